import { defineConfig } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: { tags: { SSM_Association: ["windows"] } },
});
