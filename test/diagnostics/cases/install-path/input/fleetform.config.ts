import { defineConfig } from "fleetform";

// The runtime makes these folders its own (owner, access): none may be Windows', a shared one, or a drive's root.
export default defineConfig({
  layers: ["platform"],
  install: {
    root: "Modules",
    logDir: "C:\\Windows",
    stateDir: "D:\\",
    deployDir: "C:\\ProgramData\\Fleetform\\..\\..\\Windows\\System32\\drivers",
    logReaders: "BUILTIN\\Event Log Readers",
  },
});
