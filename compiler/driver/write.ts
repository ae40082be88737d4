// Writes a build's files atomically: a failed write leaves the previous output as it was.
//
// The output folder is replaced whole, so fleetform only replaces a folder it made: one holding its
// marker file (OUTPUT_MARKER, written with every build, the same bytes every time), one an older
// fleetform wrote (every file in it listed by its manifest.json), an empty one, or none. Never a
// `.git` or `node_modules` folder or anything inside one, and never the config repo or a folder
// above it. Builds into one folder take turns through a lock file beside it (created exclusively,
// holding the writer's pid); a lock whose process is gone is stale and taken over, and the
// temporary folders a killed build left are removed by the next one.
//
// Two ways to replace it. In general, every file is written into a temporary folder beside it,
// which is then swapped in (two renames) and the old folder removed. When the folder holds exactly
// what the last build left there (every file with the size, mtime and inode that build recorded,
// none added or removed: LastWrite), only what changed is touched, in place: the new files are
// written aside first; then the old versions of the changed and removed files are moved into a
// backup folder that holds a journal, the new ones renamed into place, and the journal deleted
// (the commit). A failure before the commit moves every backed-up file back (the folder is then as
// it was, stamps included) and the swap is tried instead; a build killed before it leaves the
// journal, and the next build moves the files back the same way before it writes.
//
// Either way in two halves (prepareOutput): the new files are written aside with the lock held,
// then committed (the swap, or the in-place moves) or discarded (the folder untouched, what was
// written aside removed), so that the CLI writes while PowerShell still checks the build.
import { closeSync, existsSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync, type Dirent } from "node:fs";
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
  const release = takeOutputLock(out, waitMs);
  try {
    return run();
  } finally {
    release();
  }
}

/** Takes the lock of an output folder (waiting up to `waitMs` for another writer); returns its release. */
function takeOutputLock(out: string, waitMs = 120_000): () => void {
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
  return () => {
    try {
      if (lockHolder(lock) === process.pid) unlinkSync(lock);
    } catch {
      // already gone
    }
  };
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

/**
 * Removes the temporary folders of earlier builds into `out` (called with the lock held, so none is
 * in use). A backup folder whose journal is still there belongs to an in-place write that was
 * killed before its commit: its files are moved back into `out` first.
 */
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
    const kind = name.startsWith(prefix) ? /^(new|old)-\d+$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (kind === undefined) continue;
    const leftover = join(parent, name);
    if (kind === "old" && existsSync(join(leftover, JOURNAL)) && lstatSync(out, { throwIfNoEntry: false })?.isDirectory()) {
      try {
        rollBack(out, leftover);
      } catch {
        // what is not put back differs from the build cache's record: the next write swaps the whole folder
      }
    }
    rmSync(leftover, { recursive: true, force: true });
  }
}

/**
 * Writes the build into `outDir`. Throws OutputFolderError when the folder is not fleetform's to
 * replace or another build holds it too long. `last`: what the last build left there (from the
 * build cache); when the folder still holds exactly that, only what changed is written.
 * Returns the state of every file in the folder after the write (sorted by path), as a walk of
 * the folder would find it.
 */
export function writeOutput(outDir: string, files: readonly EmittedFile[], last?: LastWrite): FileState[] {
  return prepareOutput(outDir, files, last).commit();
}

/** A write of the output folder prepared (its new files written aside, the folder's lock held), not done yet. */
export interface PreparedOutput {
  /** The files it writes (as prepareOutput was given them). */
  readonly files: readonly EmittedFile[];
  /** Puts them in place (see writeOutput) and releases the lock; the state of every file in the folder after. */
  commit(): FileState[];
  /** Leaves the folder as it was, removes what was written aside, and releases the lock. */
  discard(): void;
}

/**
 * writeOutput's first half: takes the folder's lock and writes the new files aside (nothing in the
 * folder changes), so that a build can write while it still waits for a check (PowerShell's parse
 * of the generated files) and then commit, or discard when the check fails. Throws as writeOutput.
 */
export function prepareOutput(outDir: string, files: readonly EmittedFile[], last?: LastWrite): PreparedOutput {
  const out = resolve(outDir);
  const early = folderProblem(out);
  if (early) throw new OutputFolderError(early);
  const release = takeOutputLock(out);
  let done = false;
  const finish = <T>(run: () => T): T => {
    if (done) throw new Error("the output folder's write was committed or discarded already");
    done = true;
    try {
      return run();
    } finally {
      release();
    }
  };
  try {
    // Checked again with the lock held: another build may have changed it meanwhile.
    const problem = folderProblem(out);
    if (problem) throw new OutputFolderError(problem);
    removeLeftovers(out);
    const inPlace = last ? prepareInPlace(out, files, last) : undefined;
    const swap = inPlace ? undefined : prepareSwap(out, files, last?.unchanged);
    return {
      files,
      // (an in-place write that fails before its commit has put everything back: the swap writes the whole folder then)
      commit: () => finish(() => (inPlace ? (inPlace.commit() ?? prepareSwap(out, files, last?.unchanged).commit()) : swap!.commit())),
      discard: () => finish(() => (inPlace ?? swap!).discard()),
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** A file as a build left it: size, mtime (ms) and inode. */
export type FileStamp = readonly [size: number, mtimeMs: number, ino: number];

/** One file of an output folder as a build left it: its path in the folder (with `/`), size, mtime (ms) and inode. */
export type FileState = [path: string, size: number, mtimeMs: number, ino: number];

/** What the last build left in the output folder, as the build cache kept it (compiler/driver/kept-build.ts). */
export interface LastWrite {
  /** Every file it left there, sorted by path. */
  readonly files: readonly FileState[];
  /** Of those, the ones that hold what this build writes to the same path. */
  readonly unchanged: ReadonlyMap<string, FileStamp>;
}

const byPath = (a: FileState, b: FileState): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The state of every file in `dir` (sorted by path), or undefined when it cannot be read. */
export function folderState(dir: string): FileState[] | undefined {
  const files: FileState[] = [];
  const walk = (folder: string, rel: string): boolean => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const path = join(folder, e.name);
      if (e.isDirectory()) {
        if (!walk(path, `${rel}${e.name}/`)) return false;
      } else {
        const s = lstatSync(path, { throwIfNoEntry: false });
        if (!s) return false;
        files.push([`${rel}${e.name}`, s.size, s.mtimeMs, s.ino]);
      }
    }
    return true;
  };
  return walk(dir, "") ? files.sort(byPath) : undefined;
}

/** Whether two folder states are the same files with the same stamps (`b` may come from disk: each entry is checked). */
export function sameState(a: readonly FileState[], b: readonly FileState[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => {
      const g = b[i];
      return Array.isArray(g) && f[0] === g[0] && f[1] === g[1] && f[2] === g[2] && f[3] === g[3];
    })
  );
}

/** A folder beside `out` this process writes through (removeLeftovers removes a killed build's). */
function aside(out: string, kind: "new" | "old"): string {
  return join(dirname(out), `.${basename(out)}.fleetform-${kind}-${process.pid}`);
}

/** Writes a new file; its stamp. */
function writeStamped(path: string, content: string | Uint8Array): FileStamp {
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, content);
    const s = fstatSync(fd);
    return [s.size, s.mtimeMs, s.ino];
  } finally {
    closeSync(fd);
  }
}

/**
 * The swap, prepared: every file written into a temporary folder beside `out`; commit() swaps it
 * in (two renames) and removes the old folder. `unchanged`: files of the current output folder known to hold the new content (the build cache
 * knows the folder is as a build left it, and that build's manifest.json lists the same sha256),
 * with their stamp then. Each is hard-linked into the new folder instead of written, if it still
 * has that stamp (else it is written): the swap stays whole, and writes only what changed.
 */
function prepareSwap(out: string, files: readonly EmittedFile[], unchanged?: ReadonlyMap<string, FileStamp>): { commit(): FileState[]; discard(): void } {
  const tmp = aside(out, "new");
  const old = aside(out, "old");
  rmSync(tmp, { recursive: true, force: true });
  const state: FileState[] = [];
  const discard = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    // Each folder is made once (a recursive mkdir per file was a third of the write time).
    const made = new Set<string>();
    mkdirSync(tmp, { recursive: true });
    state.push([OUTPUT_MARKER, ...writeStamped(join(tmp, OUTPUT_MARKER), MARKER_TEXT)]);
    for (const f of files) {
      const target = resolve(tmp, f.path);
      refuseOutside(tmp, target, f.path);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const stamp = unchanged?.get(f.path);
      if (stamp && linkedFrom(join(out, f.path), target, stamp)) state.push([f.path, ...stamp]);
      else state.push([f.path, ...writeStamped(target, f.content)]);
    }
  } catch (e) {
    discard();
    throw e;
  }
  const commit = (): FileState[] => {
    try {
      if (existsSync(out)) renameSync(out, old);
      renameSync(tmp, out);
    } catch (e) {
      discard();
      if (!existsSync(out) && existsSync(old)) renameSync(old, out);
      throw e;
    }
    rmSync(old, { recursive: true, force: true });
    return state.sort(byPath);
  };
  return { commit, discard };
}

/** The journal of an in-place write, in its backup folder (not a name a backed-up file gets: those are numbers). */
const JOURNAL = "journal.json";

/**
 * What an in-place write does: each of `paths` (relative to the output folder) is replaced or
 * removed; `existed[i]` says whether it was there before (its old version is then backed up as
 * `<backup>/<i>` before anything takes its place); `folders` are the folders it makes (removed
 * again when it is undone).
 */
interface Journal {
  readonly paths: readonly string[];
  readonly existed: readonly boolean[];
  readonly folders: readonly string[];
}

/** The folders above a path in the output folder (`a/b/c.txt` → `a`, `a/b`). */
function foldersOf(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Replaces only what changed, when `out` holds exactly what `last` records, prepared: the new files
 * written aside (undefined when the folder is not as recorded, or that fails). commit() writes the
 * journal, moves the old versions into the backup folder and the new ones into place; it returns
 * undefined (nothing touched, or all of it put back) when a step fails: the caller swaps then.
 */
function prepareInPlace(out: string, files: readonly EmittedFile[], last: LastWrite): { commit(): FileState[] | undefined; discard(): void } | undefined {
  const now = folderState(out);
  if (!now || !sameState(now, last.files)) return undefined;
  const before = new Set(now.map((f) => f[0]));
  if (!before.has(OUTPUT_MARKER)) return undefined;
  const writes = files.filter((f) => !last.unchanged.has(f.path) || !before.has(f.path));
  const kept = new Set(files.map((f) => f.path));
  const removes = now.filter((f) => f[0] !== OUTPUT_MARKER && !kept.has(f[0])).map((f) => f[0]);
  for (const f of writes) refuseOutside(out, resolve(out, f.path), f.path);
  const existing = new Set(now.flatMap((f) => foldersOf(f[0])));
  const made = new Set<string>();
  for (const f of writes) {
    const first = foldersOf(f.path).find((d) => !existing.has(d));
    if (first !== undefined) made.add(first);
  }
  const staging = aside(out, "new");
  const backup = aside(out, "old");
  const drop = (): void => {
    for (const folder of [staging, backup]) rmSync(folder, { recursive: true, force: true });
  };
  drop();
  const written: FileState[] = [];
  const journal: Journal = { paths: [...writes.map((f) => f.path), ...removes], existed: [...writes.map((f) => before.has(f.path)), ...removes.map(() => true)], folders: [...made] };
  try {
    // Nothing in `out` changes until every new file is written.
    mkdirSync(staging);
    writes.forEach((f, i) => written.push([f.path, ...writeStamped(join(staging, String(i)), f.content)]));
  } catch {
    drop();
    return undefined;
  }
  const commit = (): FileState[] | undefined => {
    try {
      mkdirSync(backup);
      writeFileSync(join(backup, JOURNAL), JSON.stringify(journal));
    } catch {
      drop();
      return undefined;
    }
    try {
      // The old versions go first (a new file may take the place of a removed folder's file), then the new ones come in.
      journal.paths.forEach((path, i) => {
        if (journal.existed[i]) renameSync(join(out, path), join(backup, String(i)));
      });
      writes.forEach((f, i) => {
        const target = join(out, f.path);
        if (!existing.has(dirname(f.path)) && dirname(f.path) !== ".") mkdirSync(dirname(target), { recursive: true });
        renameSync(join(staging, String(i)), target);
      });
      unlinkSync(join(backup, JOURNAL));
    } catch {
      try {
        rollBack(out, backup);
      } catch {
        // a file could not be put back: the swap writes the whole folder anew
      }
      drop();
      return undefined;
    }
    // Committed: the folders only removed files were in go too.
    const remaining = new Set(files.flatMap((f) => foldersOf(f.path)));
    const emptied = new Set(removes.map((p) => foldersOf(p).find((d) => !remaining.has(d))).filter((d): d is string => d !== undefined));
    for (const folder of emptied) rmSync(join(out, folder), { recursive: true, force: true });
    drop();
    const replaced = new Set(journal.paths);
    return [...now.filter((f) => !replaced.has(f[0])), ...written].sort(byPath);
  };
  return { commit, discard: drop };
}

/**
 * Undoes an in-place write that did not reach its commit (its journal is still in `backup`): every
 * backed-up file is moved back (with its stamp: a rename keeps it), the files it added are removed,
 * and so are the folders it made. Then the journal goes.
 */
function rollBack(out: string, backup: string): void {
  const journal = JSON.parse(readFileSync(join(backup, JOURNAL), "utf8")) as Journal;
  // Every step is tried; the first failure is thrown at the end (what it left differs from the record).
  let failure: unknown;
  const step = (run: () => void): void => {
    try {
      run();
    } catch (e) {
      failure ??= e;
    }
  };
  for (let i = journal.paths.length - 1; i >= 0; i--) {
    const path = journal.paths[i]!;
    const target = resolve(out, path);
    const saved = join(backup, String(i));
    step(() => {
      refuseOutside(out, target, path);
      if (existsSync(saved)) {
        mkdirSync(dirname(target), { recursive: true });
        renameSync(saved, target);
      } else if (!journal.existed[i] && lstatSync(target, { throwIfNoEntry: false })) {
        unlinkSync(target);
      }
    });
  }
  for (const folder of journal.folders) {
    const target = resolve(out, folder);
    step(() => {
      refuseOutside(out, target, folder);
      rmSync(target, { recursive: true, force: true });
    });
  }
  if (failure !== undefined) throw failure;
  unlinkSync(join(backup, JOURNAL));
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
      if (relative(out, target).startsWith("..") || !existsSync(target)) continue;
      unlinkSync(target);
      // The folders only it was in go too (a configuration deleted, a module renamed), as a build leaves none.
      for (let dir = dirname(target); dir !== out && !relative(out, dir).startsWith(".."); dir = dirname(dir)) {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      }
    }
  });
}
