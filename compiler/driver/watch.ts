// `fleetform build --watch`: rebuild on every change of the config repo and rewrite only the
// artifacts whose content changed. Builds share a BuildCache: a changed file is evaluated again with
// the files that import it, and only what was made from those is lowered and emitted again. A
// rebuild writes as soon as fleetform's own checks pass; the TypeScript type check and the
// PowerShell parse of new fragments then run in the background (in child processes, at a lower
// priority) once the sources have been quiet for a moment, and their findings are printed when they
// arrive (`fleetform build`, as CI runs it, waits for them). An edit stops a check that runs: its
// findings would be about sources that are gone, and its processes would slow the rebuild down.
import { existsSync, statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { relative, resolve, sep } from "node:path";
import { checkLater, compile, type CompileResult } from "./compile.js";
import { formatDiagnostics } from "../diagnostics/format.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { BuildCache } from "./incremental.js";
import type { EmittedFile } from "../phases/4-emit/files.js";
import { watchTree } from "../util/watch-tree.js";
import { diag, messages } from "../diagnostics/messages.js";
import { counted } from "../util/text.js";
import { internalError } from "../diagnostics/internal.js";
import { EXIT_INPUT } from "../cli/exit-codes.js";
import type { Io } from "../cli/io.js";
import { outputFolderProblem, writeChanged, writeFailure, writeOutput } from "./write.js";
import { pwshOnPath } from "../powershell/pwsh.js";

const IGNORED = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;

/**
 * How long the sources stay unchanged after a written rebuild before its background check starts:
 * an editor's save often comes in a burst (format on save, several files), and a check started
 * for a state about to be replaced costs its processes' start-up for nothing.
 */
const CHECK_DELAY_MS = 500;

function byPath(result: CompileResult): Map<string, EmittedFile> {
  return new Map(result.files.map((f) => [f.path, f]));
}

/** Same content (a file reused from the last build is the same object). */
function same(a: EmittedFile | undefined, b: EmittedFile): boolean {
  if (a === undefined) return false;
  if (a === b || a.content === b.content) return true;
  if (typeof a.content === "string" || typeof b.content === "string") return false;
  return Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength).equals(b.content);
}

/**
 * Where a rebuild stands: idle (waiting for a change), building, or queued (a change came while a
 * build ran: one more build follows it, however many changes came).
 */
type BuildState = "idle" | "building" | "queued";

/**
 * A watch session compiles each saved version of a changed source as a script of its own. V8's
 * compilation cache keeps every script compiled in the process, by its text, for as long as the
 * process lives: on the bench's repo about 60 KB per edit (21 MB more heap after 300 edits of one
 * file), never reclaimed. The loader keeps the compiled code of each file's text itself, so the
 * cache finds nothing a session would compile twice: it is turned off for the session's process.
 */
export function withoutCompilationCache(): void {
  setFlagsFromString("--no-compilation-cache");
}

/** Runs until the process is stopped. Returns only if the first build cannot start watching. */
export async function watchBuild(io: Io, root: string, outOption: string | undefined, evalTimeout?: number): Promise<number> {
  if (outOption !== undefined) {
    // A refused --out is said before anything is built.
    const early = outputFolderProblem(root, resolve(outOption));
    if (early) {
      io.stderr(formatDiagnostics([early], () => undefined));
      return EXIT_INPUT;
    }
  }
  withoutCompilationCache();
  return new WatchSession(io, root, outOption, evalTimeout).run();
}

/**
 * One `build --watch`: its state in named fields. Rebuilds run one at a time (`state`); the slower
 * checks of each written rebuild run after it, also one at a time (`checking`, `unchecked`).
 */
class WatchSession {
  readonly #io: Io;
  readonly #root: string;
  readonly #outOption: string | undefined;
  readonly #limit: { readonly evalTimeout?: number };
  readonly #cache = new BuildCache();
  #state: BuildState = "idle";
  /** The output folder: --out, else the config's `out` (known after the first build). */
  #out: string;
  /** What the output folder holds, by path (as this session last wrote it). */
  #written = new Map<string, EmittedFile>();
  /** Whether this session has written a build (until then the folder may hold an older one). */
  #hasWritten = false;
  /** Rebuilds so far, failed ones too: a background check of an older one is stale. */
  #generation = 0;
  /** Changes come in bursts (an editor's save): a rebuild starts when they pause. */
  #timer: NodeJS.Timeout | undefined;
  /** The newest written rebuild the background check has not taken yet. */
  #unchecked: CompileResult | undefined;
  /** Starts the background check of `unchecked` when the sources have been quiet for CHECK_DELAY_MS. */
  #checkTimer: NodeJS.Timeout | undefined;
  /** Stops the background check that runs (an edit made its findings stale). */
  #checkAbort: AbortController | undefined;
  /** Whether the background check runs. */
  #checking = false;
  /** The last background check found errors (so its passing again is worth a line). */
  #reportedErrors = false;
  /**
   * The warnings the last written rebuild and the last background check had (by code and place): a
   * warning is printed when it is new, not again after every edit (the first build printed its own).
   */
  #warnings = { rebuild: new Set<string>(), check: new Set<string>() };
  /** The last rebuild failed (so one that passes, even with nothing to write, says so). */
  #failed = false;
  /**
   * pwsh on PATH, looked up once per session (the look-up runs a shell synchronously, which blocked
   * a rebuild waiting behind it); FLEETFORM_PWSH and `fleetform setup`'s pwsh.json are read each time.
   */
  #pwshOnPath: { readonly path: string | undefined } | undefined;

  constructor(io: Io, root: string, outOption: string | undefined, evalTimeout: number | undefined) {
    this.#io = io;
    this.#root = root;
    this.#outOption = outOption;
    this.#limit = evalTimeout !== undefined ? { evalTimeout } : {};
    this.#out = outOption !== undefined ? resolve(outOption) : "";
  }

  /** Prints the warnings of `result` that neither the last rebuild nor the last check had; keeps them as `kind`'s. Returns how many it has, and how many it printed. */
  #printNewWarnings(kind: "rebuild" | "check", result: CompileResult, print = true): { readonly total: number; readonly printed: number } {
    const warnings = result.diagnostics.filter((d) => d.severity === "warning");
    // (by code and place, not text: FF4007's byte count changes with every edit, and is no new warning)
    const key = (d: Diagnostic): string => `${d.code}\0${d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}` : d.message}`;
    const fresh = warnings.filter((d) => !this.#warnings.rebuild.has(key(d)) && !this.#warnings.check.has(key(d)));
    this.#warnings[kind] = new Set(warnings.map(key));
    const text = print ? formatDiagnostics(fresh, (f) => result.sources.get(f)) : "";
    if (text) this.#io.stderr(text);
    return { total: warnings.length, printed: text ? fresh.length : 0 };
  }

  #print(result: CompileResult): void {
    const text = formatDiagnostics(result.diagnostics, (f) => result.sources.get(f));
    if (text) this.#io.stderr(text);
  }

  /** The first build, then watching: never returns unless the output folder is refused. */
  async run(): Promise<number> {
    const io = this.#io;
    const root = this.#root;
    // The first build is a full one, written atomically. The folders are watched before anything is
    // printed (a script may edit a file as soon as it reads the first line), and a source changed
    // while the first build ran is built again at once.
    const firstStarted = Date.now();
    this.#state = "building";
    const first = await compile({ root, ...this.#limit }, this.#cache);
    this.#state = "idle";
    this.#print(first);
    if (this.#outOption === undefined) this.#out = resolve(root, first.out ?? "dist");
    const out = this.#out;
    // The output folder is checked once, before watching: a session never writes into a folder
    // that is not fleetform's to replace.
    const problem = outputFolderProblem(root, out, [...first.sources.keys()].map((f) => resolve(root, f)));
    if (problem) {
      io.stderr(formatDiagnostics([problem], () => undefined));
      return EXIT_INPUT;
    }
    this.#reportedErrors = !first.ok;
    // (printed above with the rest: the rebuilds' and checks' warnings are printed when new)
    for (const kind of ["rebuild", "check"] as const) this.#printNewWarnings(kind, first, false);
    this.#failed = !first.ok;
    const outPrefix = (p: string): boolean => p === out || p.startsWith(out + sep);
    const skip = (dir: string): boolean => IGNORED.test(relative(root, dir)) || outPrefix(dir) || /\.fleetform-(new|old)-/.test(dir);
    watchTree(root, skip, (event, path, isFolder) => {
      if (process.env.FLEETFORM_WATCH_DEBUG) io.stderr(`event ${event} ${relative(root, path)}\n`);
      if (skip(path)) return;
      // Only sources are read, and folders (a folder renamed or removed takes its sources with it).
      // An editor's temporary file (index.ts.tmp, .index.ts.swp) is neither: its creation would start
      // a rebuild that finds no change, and its rename over the source is seen under the source's name.
      const source = /\.(m|c)?ts$/.test(path);
      if (!source && !(event === "rename" && isFolder)) return;
      if (event === "rename") this.#cache.listingsChanged();
      this.#stopCheck();
      // A new source may be what an import of an unchanged file now resolves to: start afresh.
      if (source && !this.#cache.knows(path) && existsSync(path)) this.#cache.reset();
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.rebuild(), 15);
    }, (dir, error) => {
      const hint = (error as NodeJS.ErrnoException).code === "ENOSPC" ? " (the system's limit of file watches: raise fs.inotify.max_user_watches)" : "";
      io.stderr(`fleetform: cannot watch ${relative(process.cwd(), dir) || "."}: ${error.message}${hint}; changes there are not seen\n`);
    });
    let firstWritten = false;
    if (first.ok) {
      try {
        writeOutput(out, first.files);
        firstWritten = true;
      } catch (e) {
        io.stderr(formatDiagnostics([writeFailure(out, e)], () => undefined));
        io.stdout("fleetform: the first build was not written; watching for changes\n");
      }
    }
    if (firstWritten) {
      this.#hasWritten = true;
      this.#written = byPath(first);
      io.stdout(`fleetform: wrote ${first.files.length} files to ${relative(process.cwd(), out) || "."}; watching ${relative(process.cwd(), root) || "."} for changes\n`);
    } else if (!first.ok) {
      io.stdout("fleetform: the first build failed; watching for changes\n");
    }
    const changedMeanwhile = [...first.sources.keys()].some((file) => {
      try {
        return statSync(resolve(root, file)).mtimeMs >= firstStarted;
      } catch {
        return true;
      }
    });
    if (changedMeanwhile) void this.rebuild();
    return new Promise<number>(() => undefined);
  }

  /** Builds again; while a build runs, queues one more (which sees every change made meanwhile). */
  async rebuild(): Promise<void> {
    this.#stopCheck();
    if (this.#state !== "idle") {
      this.#state = "queued";
      return;
    }
    do {
      this.#state = "building";
      try {
        await this.#rebuildOnce();
      } catch (e) {
        // A bug in fleetform: said as FF9001 (never a stack trace), and the session goes on.
        this.#io.stderr(formatDiagnostics([internalError(e)], () => undefined));
        this.#io.stdout("fleetform: rebuild failed (an internal error)\n");
      }
      // (state is set to "queued" by a rebuild() call while this one awaited)
    } while ((this.#state as BuildState) === "queued");
    this.#state = "idle";
  }

  async #rebuildOnce(): Promise<void> {
    const io = this.#io;
    const started = performance.now();
    this.#generation++;
    const result = await compile({ root: this.#root, typecheck: false, pwshCheck: false, ...this.#limit }, this.#cache);
    if (process.env.FLEETFORM_WATCH_DEBUG) io.stderr(`timings ${JSON.stringify(Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)])))}\n`);
    const failedBefore = this.#failed;
    this.#failed = !result.ok;
    if (!result.ok) {
      this.#print(result);
      io.stdout(`fleetform: rebuild failed (${counted(result.diagnostics.filter((d) => d.severity === "error").length, "error")}); the output is unchanged\n`);
      return;
    }
    this.#printNewWarnings("rebuild", result);
    if (result.out !== undefined && this.#outOption === undefined) this.#out = resolve(this.#root, result.out);
    const next = byPath(result);
    const changed = result.files.filter((f) => !same(this.#written.get(f.path), f));
    const removed = [...this.#written.keys()].filter((p) => !next.has(p));
    if (changed.length === 0 && removed.length === 0) {
      io.stdout(`fleetform: no changes (${Math.round(performance.now() - started)} ms)${failedBefore ? ": the build passes again" : ""}\n`);
    } else {
      // Until this session has written a build, the output folder may hold an older one (with
      // files this build no longer makes): the first write replaces the whole folder.
      try {
        if (this.#hasWritten) writeChanged(this.#out, changed, removed);
        else writeOutput(this.#out, result.files);
      } catch (e) {
        io.stderr(formatDiagnostics([writeFailure(this.#out, e)], () => undefined));
        io.stdout("fleetform: rebuild not written\n");
        return;
      }
      this.#hasWritten = true;
      this.#written = next;
      const names = [...changed.map((f) => f.path), ...removed.map((p) => `-${p}`)];
      io.stdout(`fleetform: rebuilt in ${Math.round(performance.now() - started)} ms: ${changed.length} written, ${removed.length} removed (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", ..." : ""})\n`);
    }
    this.#checkInBackground(result);
  }

  // The slower checks, in the background and one at a time, once the sources have been quiet for
  // CHECK_DELAY_MS: a change stops the one that runs (see #stopCheck), and the newest rebuild is
  // checked when it is written.
  #checkInBackground(result: CompileResult): void {
    this.#unchecked = result;
    clearTimeout(this.#checkTimer);
    this.#checkTimer = setTimeout(() => {
      this.#checkTimer = undefined;
      if (!this.#checking) void this.#checkAll();
    }, CHECK_DELAY_MS);
  }

  /** A source changed: the check that runs or waits is about sources that are gone. */
  #stopCheck(): void {
    clearTimeout(this.#checkTimer);
    this.#checkTimer = undefined;
    this.#unchecked = undefined;
    this.#checkAbort?.abort();
  }

  async #checkAll(): Promise<void> {
    const io = this.#io;
    this.#checking = true;
    // (a newer rebuild waiting for its quiet moment is started by its timer)
    while (this.#unchecked && !this.#checkTimer) {
      const result = this.#unchecked;
      this.#unchecked = undefined;
      const generation = this.#generation;
      const abort = (this.#checkAbort = new AbortController());
      let checked: CompileResult;
      try {
        checked = await checkLater(this.#root, result, this.#cache, abort.signal, () => (this.#pwshOnPath ??= { path: pwshOnPath() }).path);
      } catch (e) {
        if (abort.signal.aborted) continue;
        io.stderr(formatDiagnostics([internalError(e)], () => undefined));
        io.stdout("fleetform: the type check and PowerShell parse could not run (an internal error)\n");
        continue;
      } finally {
        this.#checkAbort = undefined;
      }
      if (abort.signal.aborted || this.#generation !== generation) continue;
      const errors = checked.diagnostics.filter((d) => d.severity === "error");
      const hadWarnings = this.#warnings.check.size > 0;
      if (errors.length > 0) {
        this.#print(checked);
        this.#printNewWarnings("check", checked, false);
        io.stdout(`fleetform: the type check or PowerShell parse found ${counted(errors.length, "error")} (the output above does not pass \`fleetform build\`)\n`);
      } else {
        // (a warning is printed once, when it appears: FF3071's misspelt variable, FF3024 without pwsh)
        const warnings = this.#printNewWarnings("check", checked);
        if (warnings.printed > 0) {
          io.stdout(`fleetform: the type check or PowerShell parse found ${counted(warnings.printed, "new warning")} (above; the output passes \`fleetform build\`)\n`);
        } else if (this.#reportedErrors || (hadWarnings && warnings.total === 0)) {
          // (without pwsh, only the type check ran: FF3024 says why)
          const parsed = !checked.diagnostics.some((d) => d.code === messages.FragmentsNotParsed.code);
          io.stdout(parsed ? "fleetform: the type check and PowerShell parse pass again\n" : "fleetform: the type check passes again (PowerShell's parse did not run)\n");
        }
      }
      this.#reportedErrors = errors.length > 0;
    }
    this.#checking = false;
  }
}
