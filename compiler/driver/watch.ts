// `fleetform build --watch`: rebuild on every change of the config repo and rewrite only the
// artifacts whose content changed. Builds share a BuildCache: a changed file is evaluated again with
// the files that import it, and only what was made from those is lowered and emitted again. A
// rebuild writes as soon as fleetform's own checks pass; the TypeScript type check and the
// PowerShell parse of new fragments then run in the background (in child processes) and their
// findings are printed when they arrive (`fleetform build`, as CI runs it, waits for them).
import { existsSync, statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { checkLater, compile, type CompileResult } from "./compile.js";
import { formatDiagnostics } from "../diagnostics/format.js";
import { BuildCache } from "./incremental.js";
import type { EmittedFile } from "../phases/4-emit/files.js";
import { watchTree } from "../util/watch-tree.js";
import { diag } from "../diagnostics/messages.js";
import { internalError } from "../diagnostics/internal.js";
import { EXIT_INPUT } from "../cli/exit-codes.js";
import type { Io } from "../cli/io.js";
import { outputFolderProblem, writeChanged, writeFailure, writeOutput } from "./write.js";

const IGNORED = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;

function errorCount(n: number): string {
  return `${n} error${n === 1 ? "" : "s"}`;
}

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

/** Runs until the process is stopped. Returns only if the first build cannot start watching. */
export async function watchBuild(io: Io, root: string, outOption: string | undefined, evalTimeout?: number): Promise<number> {
  const limit = evalTimeout !== undefined ? { evalTimeout } : {};
  const print = (result: CompileResult): void => {
    const text = formatDiagnostics(result.diagnostics, (f) => result.sources.get(f));
    if (text) io.stderr(text);
  };

  if (outOption !== undefined) {
    // A refused --out is said before anything is built.
    const early = outputFolderProblem(root, resolve(outOption));
    if (early) {
      io.stderr(formatDiagnostics([diag("OutputFolderRefused", { message: early })], () => undefined));
      return EXIT_INPUT;
    }
  }
  const cache = new BuildCache();
  /** The output folder: --out, else the config's `out` (known after the first build). */
  let out = outOption !== undefined ? resolve(outOption) : "";
  let previous = new Map<string, EmittedFile>();
  let written = false;
  let running = false;
  /** Rebuilds so far, failed ones too. */
  let generation = 0;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const rebuild = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await rebuildOnce();
    } catch (e) {
      // A bug in fleetform: said as FF9001 (never a stack trace), and the session goes on.
      io.stderr(formatDiagnostics([internalError(e)], () => undefined));
      io.stdout("fleetform: rebuild failed (an internal error)\n");
    }
    running = false;
    if (again) {
      again = false;
      await rebuild();
    }
  };

  const rebuildOnce = async (): Promise<void> => {
    const started = performance.now();
    generation++;
    const result = await compile({ root, typecheck: false, pwshCheck: false, ...limit }, cache);
    if (process.env.FLEETFORM_WATCH_DEBUG) io.stderr(`timings ${JSON.stringify(Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)])))}\n`);
    if (!result.ok) {
      print(result);
      io.stdout(`fleetform: rebuild failed (${errorCount(result.diagnostics.filter((d) => d.severity === "error").length)}); the output is unchanged\n`);
    } else {
      if (result.out !== undefined && outOption === undefined) out = resolve(root, result.out);
      const next = byPath(result);
      const changed = result.files.filter((f) => !same(previous.get(f.path), f));
      const removed = [...previous.keys()].filter((p) => !next.has(p));
      if (changed.length === 0 && removed.length === 0) {
        io.stdout(`fleetform: no changes (${Math.round(performance.now() - started)} ms)\n`);
      } else {
        // Until this session has written a build, the output folder may hold an older one (with
        // files this build no longer makes): the first write replaces the whole folder.
        try {
          if (written) writeChanged(out, changed, removed);
          else writeOutput(out, result.files);
        } catch (e) {
          io.stderr(formatDiagnostics([writeFailure(out, e)], () => undefined));
          io.stdout("fleetform: rebuild not written\n");
          return;
        }
        written = true;
        previous = next;
        const names = [...changed.map((f) => f.path), ...removed.map((p) => `-${p}`)];
        io.stdout(`fleetform: rebuilt in ${Math.round(performance.now() - started)} ms: ${changed.length} written, ${removed.length} removed (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", ..." : ""})\n`);
      }
      checkInBackground(result);
    }
  };

  // The slower checks, in the background and one at a time: a rebuild while one runs makes its
  // findings stale, and the newest rebuild is checked when it ends.
  let unchecked: CompileResult | undefined;
  let checking = false;
  /** The last background check found errors (so its passing again is worth a line). */
  let reportedErrors = false;
  const checkInBackground = (result: CompileResult): void => {
    unchecked = result;
    if (!checking) void checkAll();
  };
  const checkAll = async (): Promise<void> => {
    checking = true;
    while (unchecked) {
      const result = unchecked;
      unchecked = undefined;
      const of = generation;
      let checked: CompileResult;
      try {
        checked = await checkLater(root, result, cache);
      } catch (e) {
        io.stderr(formatDiagnostics([internalError(e)], () => undefined));
        io.stdout("fleetform: the type check and PowerShell parse could not run (an internal error)\n");
        continue;
      }
      if (generation !== of) continue;
      const errors = checked.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) {
        print(checked);
        io.stdout(`fleetform: the type check or PowerShell parse found ${errorCount(errors.length)} (the output above does not pass \`fleetform build\`)\n`);
      } else if (reportedErrors) {
        io.stdout("fleetform: the type check and PowerShell parse pass again\n");
      }
      reportedErrors = errors.length > 0;
    }
    checking = false;
  };

  // The first build is a full one, written atomically. The folders are watched before anything is
  // printed (a script may edit a file as soon as it reads the first line), and a source changed
  // while the first build ran is built again at once.
  const firstStarted = Date.now();
  running = true;
  const first = await compile({ root, ...limit }, cache);
  running = false;
  print(first);
  if (outOption === undefined) out = resolve(root, first.out ?? "dist");
  // The output folder is checked once, before watching: a session never writes into a folder
  // that is not fleetform's to replace.
  const problem = outputFolderProblem(root, out, [...first.sources.keys()].map((f) => resolve(root, f)));
  if (problem) {
    io.stderr(formatDiagnostics([diag("OutputFolderRefused", { message: problem })], () => undefined));
    return EXIT_INPUT;
  }
  reportedErrors = !first.ok;
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
    if (event === "rename") cache.listingsChanged();
    // A new source may be what an import of an unchanged file now resolves to: start afresh.
    if (source && !cache.knows(path) && existsSync(path)) cache.reset();
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 15);
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
    written = true;
    previous = byPath(first);
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
  if (again || changedMeanwhile) {
    again = false;
    void rebuild();
  }
  return new Promise<number>(() => undefined);
}
