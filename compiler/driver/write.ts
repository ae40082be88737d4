// Writes a build's files atomically: into a temporary folder beside the output folder, then
// swapped in. A failed write leaves the previous output as it was.
//
// The output folder is replaced whole, so fleetform only replaces a folder it made: one holding its
// marker file (OUTPUT_MARKER, written with every build, the same bytes every time), one an older
// fleetform wrote (every file in it listed by its manifest.json), an empty one, or none. Never a
// `.git` or `node_modules` folder or anything inside one, and never the config repo or a folder
// above it. Builds into one folder take turns through a lock file beside it (created exclusively,
// holding the writer's pid); a lock whose process is gone is stale and taken over, and the
// temporary folders a killed build left are removed by the next one.
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, parse, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { EmittedFile } from "../phases/4-emit/files.js";

/** The file that marks a folder as fleetform's output (not an emitted file: not in manifest.json). */
export const OUTPUT_MARKER = ".fleetform-output";
const MARKER_TEXT = "This folder is written by `fleetform build`, which replaces all of it on every build.\nDo not keep anything else here.\n";

/** Why a folder cannot be the output folder (or is held by another build): its diagnostic. */
export class OutputFolderError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** A failed write of the output folder as a diagnostic (never a stack trace). */
export function writeFailure(out: string, e: unknown): Diagnostic {
  if (e instanceof OutputFolderError) return e.diagnostic;
  return diag("OutputWriteFailed", { path: out, reason: e instanceof Error ? e.message : String(e) });
}

/** Folders that are never an output folder, nor hold one. */
const PROTECTED = new Set([".git", "node_modules"]);

/**
 * What is wrong with `out` as the output folder of the config repo at `root` (sources: the build's
 * source files, absolute), or undefined. The checks that need no config repo are repeated by
 * writeOutput itself.
 */
export function outputFolderProblem(root: string, out: string, sources: readonly string[] = []): Diagnostic | undefined {
  const rel = relative(out, root);
  if (rel === "" || (!rel.startsWith("..") && !isAbsolutePath(rel))) return diag("OutputFolderIsRepo", { out });
  // Every folder of the path below what it shares with the config repo (a repo that itself lives in
  // a node_modules folder may still write its own dist).
  const shared = commonPrefix(resolve(root).split(sep), resolve(out).split(sep));
  const protectedPart = resolve(out).split(sep).slice(shared).find((p) => PROTECTED.has(p));
  if (protectedPart !== undefined) return protectedProblem(out, protectedPart);
  if (existsSync(join(out, "fleetform.config.ts"))) return diag("OutputFolderHoldsConfig", { out });
  const inside = sources.find((s) => !relative(out, s).startsWith("..") && relative(out, s) !== "");
  if (inside) return diag("OutputFolderHoldsSource", { out, source: relative(root, inside) });
  return folderProblem(out);
}

function isAbsolutePath(p: string): boolean {
  return parse(p).root !== "";
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function protectedProblem(out: string, part: string): Diagnostic {
  return diag("OutputFolderProtected", { out, where: basename(out) === part ? "" : "inside ", folder: part });
}

/** The JUnit report may not be in a .git or node_modules folder, nor be a folder. */
export function reportPathProblem(file: string, root: string): Diagnostic | undefined {
  const parts = resolve(file).split(sep);
  const part = parts.slice(commonPrefix(resolve(root).split(sep), parts)).find((p) => PROTECTED.has(p));
  if (part !== undefined) return diag("ReportPathProtected", { path: file, folder: part });
  if (existsSync(file) && !statSync(file).isFile()) return diag("ReportPathIsFolder", { path: file });
  return undefined;
}

/** The checks of the folder itself: not protected, and absent, empty or fleetform's. */
function folderProblem(out: string): Diagnostic | undefined {
  const name = basename(resolve(out));
  if (PROTECTED.has(name)) return protectedProblem(out, name);
  let stat;
  try {
    stat = lstatSync(out);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) return diag("OutputFolderSymlink", { out });
  if (!stat.isDirectory()) return diag("OutputFolderIsFile", { out });
  if (isFleetformOutput(out)) return undefined;
  return diag("OutputFolderNotFleetforms", { out, marker: OUTPUT_MARKER });
}

/** True when the folder is empty, carries the marker, or holds only what an older fleetform's manifest.json lists. */
export function isFleetformOutput(out: string): boolean {
  const entries = readdirSync(out);
  if (entries.length === 0) return true;
  if (entries.includes(OUTPUT_MARKER)) return statSync(join(out, OUTPUT_MARKER)).isFile();
  return writtenByOlderFleetform(out);
}

function writtenByOlderFleetform(out: string): boolean {
  let listed: Set<string>;
  try {
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { generator?: unknown; files?: { path?: unknown }[] };
    if (typeof manifest.generator !== "string" || !manifest.generator.startsWith("fleetform ") || !Array.isArray(manifest.files)) return false;
    listed = new Set(manifest.files.map((f) => String(f.path)));
  } catch {
    return false;
  }
  listed.add("manifest.json");
  // `fleetform test` writes its JUnit report into tests/ by default.
  listed.add("tests/junit.xml");
  const walk = (dir: string, prefix: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).every((e) => {
      const rel = prefix + e.name;
      if (e.isDirectory()) return walk(join(dir, e.name), rel + "/");
      return e.isFile() && listed.has(rel);
    });
  return walk(out, "");
}

/** Holds the lock of an output folder while `run` runs; waits up to `waitMs` for another writer. */
export function withOutputLock<T>(out: string, run: () => T, waitMs = 120_000): T {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const lock = join(parent, `.${basename(out)}.fleetform-lock`);
  const deadline = Date.now() + waitMs;
  let holder: number | undefined;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    holder = lockHolder(lock);
    if (holder === undefined || !alive(holder)) {
      // Stale (its process is gone) or unreadable after a grace period: take it over. Renaming it
      // away first means two builds that both found it stale cannot both remove a fresh lock.
      const stale = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, stale);
        rmSync(stale, { force: true });
      } catch {
        // another build took it over first
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OutputFolderError(diag("OutputFolderBusy", { pid: holder, out, seconds: Math.round(waitMs / 1000), lock }));
    }
    sleep(50);
  }
  try {
    return run();
  } finally {
    try {
      if (lockHolder(lock) === process.pid) unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}

/** The pid in a lock file; undefined when it holds none (being written, or garbage) for more than a second. */
function lockHolder(lock: string): number | undefined {
  try {
    const text = readFileSync(lock, "utf8");
    const m = /^(\d+)\n$/.exec(text);
    if (m) return Number(m[1]);
    // Just created, the pid not written yet: give its writer a moment.
    return Date.now() - statSync(lock).mtimeMs < 1000 ? -1 : undefined;
  } catch {
    return -1;
  }
}

function alive(pid: number): boolean {
  if (pid === -1) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Removes the temporary folders of earlier builds into `out` (called with the lock held, so none is in use). */
function removeLeftovers(out: string): void {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.fleetform-`;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith(prefix) && /^(new|old)-\d+$/.test(name.slice(prefix.length))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Writes the build into `outDir`, replacing the folder whole. Throws OutputFolderError when the
 * folder is not fleetform's to replace or another build holds it too long.
 */
export function writeOutput(outDir: string, files: readonly EmittedFile[], unchanged?: ReadonlyMap<string, FileStamp>): void {
  const out = resolve(outDir);
  const early = folderProblem(out);
  if (early) throw new OutputFolderError(early);
  withOutputLock(out, () => {
    // Checked again with the lock held: another build may have changed it meanwhile.
    const problem = folderProblem(out);
    if (problem) throw new OutputFolderError(problem);
    removeLeftovers(out);
    swapIn(out, files, unchanged);
  });
}

/** A file as a build left it: size, mtime (ms) and inode. */
export type FileStamp = readonly [size: number, mtimeMs: number, ino: number];

/**
 * `unchanged`: files of the current output folder known to hold the new content (the build cache
 * knows the folder is as a build left it, and that build's manifest.json lists the same sha256),
 * with their stamp then. Each is hard-linked into the new folder instead of written, if it still
 * has that stamp (else it is written): the swap stays whole, and writes only what changed.
 */
function swapIn(out: string, files: readonly EmittedFile[], unchanged?: ReadonlyMap<string, FileStamp>): void {
  const parent = dirname(out);
  const tmp = join(parent, `.${basename(out)}.fleetform-new-${process.pid}`);
  const old = join(parent, `.${basename(out)}.fleetform-old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    // Each folder is made once (a recursive mkdir per file was a third of the write time).
    const made = new Set<string>();
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, OUTPUT_MARKER), MARKER_TEXT, "utf8");
    for (const f of files) {
      const target = resolve(tmp, f.path);
      refuseOutside(tmp, target, f.path);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const stamp = unchanged?.get(f.path);
      if (stamp && linkedFrom(join(out, f.path), target, stamp)) continue;
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

/** An emitted path must stay inside the folder and not be the marker (only an emitter bug breaks this; the write then fails whole). */
function refuseOutside(folder: string, target: string, path: string): void {
  if (relative(folder, target).startsWith("..") || path === OUTPUT_MARKER) throw new Error(`refusing to write outside the output folder: ${path}`);
}

/** Hard-links `from` to `to` when `from` is a file with `stamp`; false when it is not (or linking fails). */
function linkedFrom(from: string, to: string, stamp: FileStamp): boolean {
  try {
    const s = lstatSync(from);
    if (!s.isFile() || s.size !== stamp[0] || s.mtimeMs !== stamp[1] || s.ino !== stamp[2]) return false;
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** Watch mode: writes only the changed files into an existing output folder and deletes the removed ones. */
export function writeChanged(outDir: string, changed: readonly EmittedFile[], removed: readonly string[]): void {
  const out = resolve(outDir);
  withOutputLock(out, () => {
    // Another build may have replaced or removed the folder since this session wrote it.
    if (!existsSync(join(out, OUTPUT_MARKER))) throw new OutputFolderError(diag("OutputFolderMarkerGone", { out, marker: OUTPUT_MARKER }));
    for (const f of changed) {
      const target = resolve(out, f.path);
      refuseOutside(out, target, f.path);
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
  });
}
