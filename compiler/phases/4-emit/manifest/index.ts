// manifest.json: every emitted file with its sha256 and the TypeScript source it came from.
import type * as ir from "../../3-lower/ir.js";
import type { EmittedFile } from "../files.js";

/**
 * `entries(files)`: the entries of `files` (in that order) as they stand in the manifest, in runs:
 * each run the UTF-8 bytes of its entries (manifestEntry's texts) joined by ",\n", so that a watch
 * session reuses what it made of the files it reuses and joins a few buffers, not a megabyte of
 * text, on every rebuild. The bytes are those of JSON.stringify(manifest, null, 2). `sorted`: the
 * files, sorted by path (as emit() sorts them).
 */
export function emitManifest(sorted: readonly EmittedFile[], program: ir.Program, entries: (files: readonly EmittedFile[]) => readonly Uint8Array[]): EmittedFile {
  const head = JSON.stringify({ generator: `${program.generator.name} ${program.generator.version}`, runtime: { name: program.runtime.name, version: program.runtime.version } }, null, 2);
  // `head` without its closing "\n}", then the files.
  const start = `${head.slice(0, -2)},\n  `;
  if (sorted.length === 0) return { path: "manifest.json", content: Buffer.from(`${start}"files": []\n}\n`, "utf8"), source: "fleetform.config.ts" };
  const parts: Uint8Array[] = [Buffer.from(`${start}"files": [\n`, "utf8")];
  for (const run of entries(sorted)) {
    if (parts.length > 1) parts.push(BETWEEN_RUNS);
    parts.push(run);
  }
  parts.push(END);
  return { path: "manifest.json", content: Buffer.concat(parts), source: "fleetform.config.ts" };
}

const BETWEEN_RUNS = Buffer.from(",\n", "utf8");
const END = Buffer.from("\n  ]\n}\n", "utf8");

/** A file's entry in the manifest, indented as it stands there. */
export function manifestEntry(file: EmittedFile, sha256: string): string {
  return JSON.stringify({ path: file.path, sha256, source: file.source }, null, 2).replace(/^/gm, "    ");
}
