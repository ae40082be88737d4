// vitest's global setup: assembles the runtime module from its sources (stdlib/runtime/src) into
// lib/stdlib/runtime/Fleetform.Runtime, as `npm run build` does, so every suite (the runtime's
// Pester tests, the golden cases, the compiler run from its TypeScript sources) tests the sources
// as they are now, never a module left from an older build. Unchanged files are not rewritten.
import { writeRuntime } from "../../scripts/build-runtime.mjs";
import { RUNTIME_VERSION } from "../../stdlib/runtime/version.js";

export default function setup(): void {
  writeRuntime(RUNTIME_VERSION);
}
