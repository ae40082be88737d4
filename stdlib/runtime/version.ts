/**
 * Fleetform.Runtime's module version: its one place. `npm run build` writes it into the module's
 * manifest (scripts/build-runtime.mjs fills `ModuleVersion` of stdlib/runtime/src/Fleetform.Runtime.psd1),
 * the runtime reads it back from its loaded module when it runs, and the compiler puts it into every
 * RequiredModules entry and CodeDeploy install folder of the runtime. Raise it when the runtime's
 * behaviour changes, so instances install the new runtime beside the old one.
 */
export const RUNTIME_VERSION = "0.1.0";
