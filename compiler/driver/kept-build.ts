// A whole build kept in the persistent cache (compiler/driver/cache.ts), for `fleetform build` and
// `fleetform check` of unchanged sources in a new process: the build's result (diagnostics, the
// sources they point into, the list of files, the output folder) keyed by the digest of every input
// and the options; and, per output folder, the state of the files a build wrote there (size, mtime,
// inode of each). A build whose inputs are unchanged and whose output folder still holds exactly
// what it wrote (no file changed, added or removed since) prints the kept diagnostics and writes
// nothing; otherwise it compiles (with the cached type check and PowerShell findings) and writes.
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { fileText, type EmittedFile } from "../phases/4-emit/files.js";
import { folderState, sameState, type FileStamp, type FileState, type LastWrite } from "./write.js";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { findPwsh } from "../powershell/pwsh.js";
import type { DiskCache } from "./cache.js";
import { keyOf } from "../util/hash.js";
import type { CompileResult } from "./compile.js";
import type { PersistentCache } from "../phases/context.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { messages } from "../diagnostics/messages.js";
import type { ResolvedOptions } from "../phases/options.js";

/** What a build's result is kept as (JSON). */
export interface KeptBuild {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The texts of the files diagnostics point into (as the build redacted them). */
  readonly sources: readonly [string, string][];
  /** Every source the build read (repo-relative): the output folder may not hold one. */
  readonly read: readonly string[];
  readonly out?: string;
  /** The emitted files' paths (empty for check, or with errors). */
  readonly files: readonly string[];
  readonly modules: number;
  readonly configurations: number;
}

/**
 * Diagnostics that depend on more than the inputs (the machine, the moment): a build reporting one
 * is not kept.
 */
const NOT_KEPT = new Set<string>([messages.FragmentsNotParsed.code, messages.InternalError.code, messages.EvaluationTimeout.code, messages.TypeScriptUnavailable.code]);

/**
 * The key of a build: its inputs, every option but the repo's location, and the pwsh that checks
 * the fragments (a build where it is missing or another must not pass for one it checked).
 */
export function buildKey(disk: PersistentCache, options: ResolvedOptions): string {
  const { root: _, toolsRoot, ...rest } = options;
  const pwsh = options.pwshCheck ? findPwsh(toolsRoot) : undefined;
  const checker = pwsh ? JSON.stringify([pwsh.command, pwsh.modulePath ?? "", pwsh.command.filter((a) => isAbsolute(a)).map((a) => existsSync(a))]) : "no pwsh";
  return keyOf("build", disk.inputs, JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))), checker);
}

export function keptBuild(disk: PersistentCache, key: string): KeptBuild | undefined {
  const kept = disk.cache.get<KeptBuild>("build", key);
  return kept && Array.isArray(kept.diagnostics) && Array.isArray(kept.sources) && Array.isArray(kept.files) && Array.isArray(kept.read) ? kept : undefined;
}

/** Keeps a build's result, unless a diagnostic of it depends on more than the inputs. */
export function keepBuild(disk: PersistentCache, key: string, result: CompileResult): void {
  if (result.diagnostics.some((d) => NOT_KEPT.has(d.code))) return;
  const shown = new Set<string>();
  for (const d of result.diagnostics) {
    if (d.span) shown.add(d.span.file);
    for (const n of d.notes ?? []) if (n.span) shown.add(n.span.file);
  }
  const kept: KeptBuild = {
    ok: result.ok,
    diagnostics: result.diagnostics,
    sources: [...result.sources].filter(([file]) => shown.has(file)),
    read: [...result.sources.keys()],
    ...(result.out !== undefined ? { out: result.out } : {}),
    files: result.files.map((f) => f.path),
    modules: result.program?.modules.length ?? 0,
    configurations: result.program?.configurations.length ?? 0,
  };
  disk.cache.put("build", key, kept);
}

/** What the last build that wrote an output folder left there (by the folder's path). */
interface OutputRecord {
  readonly build: string;
  readonly files: FileState[];
}

function outputKey(out: string): string {
  return keyOf("output", resolve(out));
}

function recordOf(cache: DiskCache, out: string): OutputRecord | undefined {
  const r = cache.get<OutputRecord>("output", outputKey(out));
  return r && typeof r.build === "string" && Array.isArray(r.files) ? r : undefined;
}

/**
 * The state of every file in the output folder (sorted by path), or undefined when it cannot be
 * read, or a build is writing it (its lock is there).
 */
function stateOf(out: string): FileState[] | undefined {
  if (existsSync(join(dirname(out), `.${basename(out)}.fleetform-lock`))) return undefined;
  return folderState(out);
}

/** After writing `out`: the state the write left there (writeOutput's answer), kept for the next build of the same inputs. */
export function recordOutput(cache: DiskCache, key: string, out: string, state: FileState[]): void {
  cache.put("output", outputKey(out), { build: key, files: state } satisfies OutputRecord);
}

/**
 * Whether `out` holds exactly what the build of `key` wrote there: the same files (none added or
 * removed), each with the size, mtime and inode it had after the write. A file rewritten, even
 * with the same size, has another mtime (or inode, when replaced).
 */
export function outputHolds(cache: DiskCache, key: string, out: string): boolean {
  const record = recordOf(cache, out);
  if (record?.build !== key) return false;
  const now = stateOf(out);
  return now !== undefined && sameState(now, record.files);
}

/**
 * What the last build left in `out` (every file with its stamp then), and the files of it that
 * already hold what the build about to be written there has (by its manifest.json's sha256): that
 * build's manifest.json must still have its stamp (so it lists what that build wrote). The writer
 * keeps each one that still has its stamp, and writes the rest (writeOutput).
 */
export function lastWrite(cache: DiskCache, out: string, files: readonly EmittedFile[]): LastWrite | undefined {
  const unchanged = new Map<string, FileStamp>();
  const record = recordOf(cache, out);
  const manifestFile = files.find((f) => f.path === "manifest.json");
  if (!record || !manifestFile) return undefined;
  const stamps = new Map(record.files.filter((f) => Array.isArray(f) && f.length === 4).map((f) => [f[0], [f[1], f[2], f[3]] as const]));
  const oldManifest = join(out, "manifest.json");
  const stamp = stamps.get("manifest.json");
  const s = lstatSync(oldManifest, { throwIfNoEntry: false });
  if (!stamp || !s || s.size !== stamp[0] || s.mtimeMs !== stamp[1] || s.ino !== stamp[2]) return undefined;
  type Manifest = { files?: { path?: unknown; sha256?: unknown }[] };
  let before: Manifest;
  let after: Manifest;
  try {
    before = JSON.parse(readFileSync(oldManifest, "utf8")) as Manifest;
    after = JSON.parse(fileText(manifestFile)) as Manifest;
  } catch {
    return undefined;
  }
  const old = new Map((before.files ?? []).map((f) => [f.path, f.sha256]));
  for (const f of after.files ?? []) {
    if (typeof f.path !== "string" || typeof f.sha256 !== "string" || old.get(f.path) !== f.sha256) continue;
    const st = stamps.get(f.path);
    if (st) unchanged.set(f.path, st);
  }
  return { files: record.files, unchanged };
}
