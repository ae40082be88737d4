// Turns each folder of a cases directory into one vitest test, honouring FILTER=<substring>.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { it } from "vitest";
import { repoRoot } from "./pwsh.js";

export function caseNames(dir: string): string[] {
  const filter = process.env.FILTER;
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .filter((n) => !filter || n.includes(filter))
    .sort();
}

export function forEachCase(dir: string, run: (name: string, caseDir: string) => Promise<void> | void): void {
  for (const name of caseNames(dir)) it(name, () => run(name, join(dir, name)));
}

/** Every file under dir, repo-style relative paths with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** `vitest -u` (or UPDATE_SNAPSHOTS=1) rewrites golden files. */
export const updating = process.argv.includes("-u") || process.argv.includes("--update") || process.env.UPDATE_SNAPSHOTS === "1";

/** Removes golden files that the compiler no longer emits (only when updating). */
export function removeStale(dir: string, keep: ReadonlySet<string>): string[] {
  const stale = listFiles(dir).filter((f) => !keep.has(f));
  if (updating) for (const f of stale) rmSync(join(dir, f));
  return updating ? [] : stale;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** A writable copy of examples/docutap at `dest`, without an output folder it may hold (dist/). */
export function copyDocutap(dest: string): void {
  cpSync(join(repoRoot, "examples", "docutap"), dest, { recursive: true, filter: (src) => !/[\\/]dist([\\/]|$)/.test(src) });
}
