// The DocuTAP pipeline (github.com/bo67192/aws-windows-configman) ported to fleetform:
// Windows building blocks at the bottom, the EMR and Practice Management applications above
// them, server roles on top; imports may only point down this stack.
import { defineConfig } from "fleetform";

export default defineConfig({
  layers: ["platform", "application", "role"],
  modules: ["modules/*/index.ts"],
  configurations: ["configurations/*.ts"],
  out: "dist",
  install: {
    root: "C:\\Program Files\\WindowsPowerShell\\Modules",
    logDir: "C:\\ProgramData\\Fleetform\\Logs",
  },
});
