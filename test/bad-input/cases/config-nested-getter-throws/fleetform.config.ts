import { defineConfig } from "fleetform";

// A getter deep in the options throws: said where it throws, while the config file is evaluated
// (it was read later by the stack check, as an internal error).
export default defineConfig({
  layers: ["platform", "application", "role"],
  stack: {
    get logs(): { retentionDays: 30 } {
      throw new Error("the log settings are not known yet");
    },
  },
});
