// manifest.json: every emitted file with its sha256 and the TypeScript source it came from.
import type * as ir from "../../3-lower/ir.js";
import type { EmittedFile } from "../files.js";

export function emitManifest(files: readonly EmittedFile[], program: ir.Program, hash: (file: EmittedFile) => string): EmittedFile {
  const entries = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: f.path, sha256: hash(f), source: f.source }));
  const manifest = {
    generator: `${program.generator.name} ${program.generator.version}`,
    runtime: { name: program.runtime.name, version: program.runtime.version },
    files: entries,
  };
  return { path: "manifest.json", content: JSON.stringify(manifest, null, 2) + "\n", source: "fleetform.config.ts" };
}
