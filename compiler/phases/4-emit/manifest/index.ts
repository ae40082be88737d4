// manifest.json: every emitted file with its sha256 and the TypeScript source it came from.
import type * as ir from "../../3-lower/ir.js";
import type { EmittedFile } from "../files.js";

/**
 * `entries(files)`: the entries of `files` (in that order) as they stand in the manifest, joined
 * by ",\n" (manifestEntry's texts), so that a watch session reuses what it made of the files it
 * reuses. The text is JSON.stringify(manifest, null, 2)'s.
 */
export function emitManifest(files: readonly EmittedFile[], program: ir.Program, entries: (files: readonly EmittedFile[]) => string): EmittedFile {
  const sorted = files.every((f, i) => i === 0 || files[i - 1]!.path < f.path) ? files : [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const head = JSON.stringify({ generator: `${program.generator.name} ${program.generator.version}`, runtime: { name: program.runtime.name, version: program.runtime.version } }, null, 2);
  // `head` without its closing "\n}", then the files.
  const list = sorted.length === 0 ? `"files": []` : `"files": [\n${entries(sorted)}\n  ]`;
  return { path: "manifest.json", content: `${head.slice(0, -2)},\n  ${list}\n}\n`, source: "fleetform.config.ts" };
}

/** A file's entry in the manifest, indented as it stands there. */
export function manifestEntry(file: EmittedFile, sha256: string): string {
  return JSON.stringify({ path: file.path, sha256, source: file.source }, null, 2).replace(/^/gm, "    ");
}
