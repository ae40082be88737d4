// Writes a build's files atomically: into a temporary folder beside the output folder, then
// swapped in. A failed write leaves the previous output as it was.
import { existsSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { EmittedFile } from "./phases/4-emit/files.js";

export function writeOutput(outDir: string, files: readonly EmittedFile[]): void {
  const out = resolve(outDir);
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(out)}.fleetform-new-${process.pid}`);
  const old = join(parent, `.${basename(out)}.fleetform-old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    // Each folder is made once (a recursive mkdir per file was a third of the write time).
    const made = new Set<string>();
    for (const f of files) {
      const target = resolve(tmp, f.path);
      if (relative(tmp, target).startsWith("..")) throw new Error(`refusing to write outside the output folder: ${f.path}`);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      if (typeof f.content === "string") writeFileSync(target, f.content, "utf8");
      else writeFileSync(target, f.content);
    }
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(out) && existsSync(old)) renameSync(old, out);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Watch mode: writes only the changed files into an existing output folder and deletes the removed ones. */
export function writeChanged(outDir: string, changed: readonly EmittedFile[], removed: readonly string[]): void {
  const out = resolve(outDir);
  for (const f of changed) {
    const target = resolve(out, f.path);
    if (relative(out, target).startsWith("..")) throw new Error(`refusing to write outside the output folder: ${f.path}`);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.fleetform-tmp`;
    if (typeof f.content === "string") writeFileSync(tmp, f.content, "utf8");
    else writeFileSync(tmp, f.content);
    renameSync(tmp, target);
  }
  for (const path of removed) {
    const target = resolve(out, path);
    if (!relative(out, target).startsWith("..") && existsSync(target)) unlinkSync(target);
  }
}
