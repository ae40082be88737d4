import { defineConfig } from "fleetform";

// One error at the misspelling: not also "`layers` must be a list of at least one layer" at defineConfig.
export default defineConfig({ layres: ["platform", "application", "role"], out: "dist" });
