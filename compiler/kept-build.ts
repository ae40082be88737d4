// A whole build kept in the persistent cache (compiler/cache.ts), for `fleetform build` and
// `fleetform check` of unchanged sources in a new process: the build's result (diagnostics, the
// sources they point into, the list of files, the output folder) keyed by the digest of every input
// and the options; and, per output folder, the state of the files a build wrote there (size, mtime,
// inode of each). A build whose inputs are unchanged and whose output folder still holds exactly
// what it wrote (no file changed, added or removed since) prints the kept diagnostics and writes
// nothing; otherwise it compiles (with the cached type check and PowerShell findings) and writes.
import { lstatSync, readdirSync, type Dirent } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { findPwsh } from "./pwsh.js";
import { keyOf, type DiskCache } from "./cache.js";
import type { CompileResult } from "./compile.js";
import type { PersistentCache } from "./context.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { messages } from "./diagnostics/messages.js";
import type { ResolvedOptions } from "./options.js";
import { existsSync } from "node:fs";

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
  const { root, ...rest } = options;
  const pwsh = options.pwshCheck ? findPwsh(root) : undefined;
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

/** One file of an output folder as a build left it: path, size, mtime and inode. */
type FileState = [string, number, number, number];

function outputKey(key: string, out: string): string {
  return keyOf("output", key, resolve(out));
}

/**
 * The state of every file in the output folder (sorted by path), or undefined when it cannot be
 * read, or a build is writing it (its lock is there).
 */
function stateOf(out: string): FileState[] | undefined {
  if (existsSync(join(dirname(out), `.${basename(out)}.fleetform-lock`))) return undefined;
  const files: FileState[] = [];
  const walk = (dir: string, rel: string): boolean => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
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
  if (!walk(out, "")) return undefined;
  return files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** After writing `out`: what is there now, kept for the next build of the same inputs. */
export function recordOutput(cache: DiskCache, key: string, out: string): void {
  const state = stateOf(out);
  if (state) cache.put("output", outputKey(key, out), state);
}

/**
 * Whether `out` holds exactly what the build of `key` wrote there: the same files (none added or
 * removed), each with the size, mtime and inode it had after the write. A file rewritten, even
 * with the same size, has another mtime (or inode, when replaced).
 */
export function outputHolds(cache: DiskCache, key: string, out: string): boolean {
  const recorded = cache.get<FileState[]>("output", outputKey(key, out));
  if (!Array.isArray(recorded)) return false;
  const now = stateOf(out);
  if (!now || now.length !== recorded.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = now[i]!;
    const b = recorded[i];
    if (!Array.isArray(b) || a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2] || a[3] !== b[3]) return false;
  }
  return true;
}
