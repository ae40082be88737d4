import { defineConfig } from "fleetform";

export default defineConfig({
  layers: ["platform", "application", "role"],
  stack: { tags: { SSM_Association: ["windows-prod", "windows-test"] } },
});
