// Type-checks the config repo with the native TypeScript compiler (the `typescript` 7 package's
// tsc) in a child process, so it runs on the other core while this process evaluates the sources.
// Single-threaded: as fast on a 2-core machine (the build takes longer than the check anyway), and
// a third less CPU, taken from this process's evaluation otherwise.
import { spawn } from "node:child_process";
import { constants, setPriority } from "node:os";
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { fromTypeScript } from "../../diagnostics/from-typescript.js";
import { closest, LineIndex } from "../../util/text.js";
import { templateEnd } from "./lexical.js";
import { messages } from "../../diagnostics/messages.js";
import { keyOf } from "../../util/hash.js";
import type { PersistentCache } from "../context.js";

export interface TypecheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of files that diagnostics point into, by repo-relative path. */
  readonly sources: ReadonlyMap<string, string>;
}

function tscPath(): string {
  const pkg = createRequire(import.meta.url).resolve("typescript/package.json");
  return join(dirname(pkg), "bin", "tsc");
}

let nativeTsc: Promise<string | undefined> | undefined;

/**
 * How tsc is started: its native executable, found the way the typescript package's own launcher
 * finds it (lib/getExePath.js), else that launcher. The launcher is a Node.js process that runs the
 * executable as a child of its own (on Node.js before 22.15): stopping it would leave the checker
 * running, and starting it costs a Node.js start-up.
 */
function tscCommand(): Promise<readonly string[]> {
  if (!nativeTsc) {
    const installed = installedExe();
    nativeTsc = installed !== undefined ? Promise.resolve(installed) : (async () => {
      try {
        const lookup = (await import(pathToFileURL(join(dirname(tscPath()), "..", "lib", "getExePath.js")).href)) as { default: () => string };
        const exe = lookup.default();
        return existsSync(exe) ? exe : undefined;
      } catch {
        return undefined;
      }
    })();
  }
  return nativeTsc.then((exe) => (exe ? [exe] : [process.execPath, tscPath()]));
}

/**
 * The native executable of an installed typescript package, found at once: its platform package's
 * lib/tsc, resolved from typescript's lib/ as typescript's getExePath.js does for an installed
 * package. Importing that module instead takes turns of the event loop, which the synchronous
 * evaluation of the sources does not give: tsc then started only after it (~1-2 s later on the
 * bench repo). Anything else (a source checkout of TypeScript) goes through getExePath.js.
 */
function installedExe(): string | undefined {
  try {
    const lib = join(dirname(tscPath()), "..", "lib");
    const platformPackage = createRequire(join(lib, "getExePath.js")).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const exe = join(dirname(platformPackage), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a type check of this config repo reads its tsconfig.json (and so needs no list of files). */
export function hasTsconfig(root: string): boolean {
  return existsSync(join(root, "tsconfig.json"));
}

export interface TypecheckOptions {
  /** At the lowest CPU priority (watch mode's check after a rebuild, which must not slow the next one). */
  readonly background?: boolean;
  /** Stops tsc. */
  readonly signal?: AbortSignal;
  /** tsc's build info file in the persistent cache (tsc runs --incremental from it). */
  readonly buildInfo?: string;
}

/** Starts tsc; the promise never rejects (a failure to run becomes a diagnostic). */
export function startTypecheck(root: string, files: readonly string[], { background = false, signal, buildInfo }: TypecheckOptions = {}): Promise<TypecheckResult> {
  const hasConfig = hasTsconfig(root);
  const args = hasConfig
    ? ["-p", "tsconfig.json", "--noEmit", "--pretty", "false", "--singleThreaded"]
    : ["--ignoreConfig", "--noEmit", "--pretty", "false", "--singleThreaded", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--skipLibCheck", ...files];
  // tsc's own incremental state, in the persistent cache: a copy of its own for this run (tsc
  // rewrites the file in place), renamed over the kept one when tsc is done, so builds at once
  // never read a half-written one (tsc starts afresh from a corrupt one anyway).
  const ownInfo = buildInfo ? `${buildInfo}.tmp-${process.pid}-${randomBytes(4).toString("hex")}` : undefined;
  if (buildInfo && ownInfo) {
    try {
      copyFileSync(buildInfo, ownInfo);
    } catch {
      // none yet: tsc checks everything and writes it
    }
    args.push("--incremental", "--tsBuildInfoFile", ownInfo);
  }
  const keepInfo = (): void => {
    if (!buildInfo || !ownInfo) return;
    try {
      renameSync(ownInfo, buildInfo);
    } catch {
      rmSync(ownInfo, { force: true });
    }
  };
  return tscCommand().then((command) => new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let child;
    try {
      child = spawn(command[0]!, [...command.slice(1), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], ...(signal ? { signal } : {}) });
      if (background) lowerPriority(child.pid);
    } catch (e) {
      done({ diagnostics: [diag("TypeScriptUnavailable", { message: (e as Error).message })], sources: new Map() });
      return;
    }
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (e) => {
      if (ownInfo) rmSync(ownInfo, { force: true });
      done({ diagnostics: [diag("TypeScriptUnavailable", { message: e.message })], sources: new Map() });
    });
    child.on("close", (code) => {
      const parsed = parseTscOutput(stdout, root);
      if (code === 0 || parsed.diagnostics.length > 0) keepInfo();
      else if (ownInfo) rmSync(ownInfo, { force: true });
      if (code !== 0 && parsed.diagnostics.length === 0) {
        const message = (stderr || stdout).trim() || `tsc exited with code ${code}`;
        done({ diagnostics: [diag("TypeScriptUnavailable", { message })], sources: new Map() });
        return;
      }
      done(parsed);
    });
  }));
}

/** Parses `file(line,col): error TS1234: message` lines (continuation lines are indented). */
export function parseTscOutput(output: string, root: string): TypecheckResult {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const lines = output.replace(/\r\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const global = /^(error|warning) TS(\d+): (.*)$/.exec(lines[i]!);
    if (global) {
      // No file position (e.g. TS6053 "File not found", TS5xxx option errors).
      let message = global[3]!;
      while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!)) message += " " + lines[++i]!.trim();
      diagnostics.push({ code: `TS${global[2]}`, severity: global[1] as "error" | "warning", message });
      continue;
    }
    const m = /^(.+)\((\d+),(\d+)\): (error|warning) TS(\d+): (.*)$/.exec(lines[i]!);
    if (!m) continue;
    let message = m[6]!;
    while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!)) message += "\n  " + lines[++i]!.trim();
    const abs = resolve(root, m[1]!);
    const rel = relative(root, abs).split(sep).join("/");
    let text = sources.get(rel);
    if (text === undefined && existsSync(abs)) {
      text = readFileSync(abs, "utf8");
      sources.set(rel, text);
    }
    diagnostics.push(withPropertySuggestion(fromTypeScript({ file: rel, line: Number(m[2]), column: Number(m[3]), code: Number(m[5]), category: m[4] as "error" | "warning", message, text })));
  }
  return { diagnostics: firstSyntaxErrors(diagnostics, sources), sources };
}

/**
 * TS2339 on a resource's or function's properties (`({ usrName }) => ...`, the callback's handles):
 * tsc names the type, with every property in it, but no near name; the note says which one the
 * misspelling likely means.
 */
function withPropertySuggestion(d: Diagnostic): Diagnostic {
  const m = d.code === "TS2339" ? /^Property '([^']+)' does not exist on type '(?:Handles|PropValues)<\{([^\n]*)\}>'/.exec(d.message) : null;
  if (!m) return d;
  const names = [...m[2]!.matchAll(/(?:^|;)\s*readonly (\w+)\??:/g)].map((p) => p[1]!);
  const meant = closest(m[1]!, names);
  return meant === undefined ? d : { ...d, notes: [...(d.notes ?? []), { message: `did you mean '${meant}'?` }] };
}

/**
 * One mistake, one diagnostic: after a syntax error TypeScript's parser recovers as it can, and what
 * it reports further on in that file (more syntax errors, and type errors of code it misread) is
 * mostly the first error again. So a file with a syntax error (TS1xxx) keeps that first one only;
 * the rest show once it is fixed. When the first is just after a backtick that ends a ps`...`
 * template early (PowerShell's escape character, `e or a line continuation, written as it is), a
 * note points at that backtick.
 */
function firstSyntaxErrors(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): Diagnostic[] {
  const first = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    if (d.span && d.severity === "error" && /^TS1\d{3}$/.test(d.code) && !first.has(d.span.file)) first.set(d.span.file, d);
  }
  if (first.size === 0) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const kept = d.span ? first.get(d.span.file) : undefined;
    if (kept === undefined) out.push(d);
    else if (kept === d) out.push(withBacktickNote(d, sources.get(d.span!.file)));
  }
  return out;
}

/** `d` with a note at the backtick that ended the ps`...` template before it, if one did (see firstSyntaxErrors). */
function withBacktickNote(d: Diagnostic, text: string | undefined): Diagnostic {
  if (text === undefined || !d.span) return d;
  const index = new LineIndex(text);
  const at = index.offset(d.span.start.line, d.span.start.column);
  // The last ps` template opened before the error, and where it ends as JavaScript reads it (lexical.ts).
  let open = -1;
  for (const m of text.slice(0, at).matchAll(/\bps`/g)) open = m.index! + 2;
  if (open < 0) return d;
  const after = templateEnd(text, open);
  const end = after !== undefined && after <= at ? after - 1 : -1;
  // Only a backtick JavaScript cannot go on from (`e, `n, `", `$: a letter, digit, quote or dollar
  // after it), or a line continuation: at the end of its line, the next going on with a parameter
  // or a pipe (a template's own end there is followed by JavaScript); and close to the error.
  if (end < 0 || d.span.start.line - index.position(end).line > 2) return d;
  const escape = /[\w$"'`]/.test(text[end + 1] ?? "");
  const continuation = /^[ \t]*\r?\n[ \t]*[-|]/.test(text.slice(end + 1, end + 200));
  if (!escape && !continuation) return d;
  const start = index.position(end);
  const opened = index.position(open);
  const note = {
    message: `this backtick ends the ps\`...\` template opened at line ${opened.line}; PowerShell's backtick is written \\\` inside it`,
    span: { file: d.span.file, start, end: { line: start.line, column: start.column + 1 } },
  };
  return { ...d, notes: [...(d.notes ?? []), note] };
}

/**
 * A lower CPU priority for a child process, where the OS allows it: below normal (nice 10), so a
 * rebuild in the foreground comes first. Not the lowest (nice 19): on a machine kept busy by other
 * work, such a child got under 2% of a core, and watch's background check took minutes.
 */
export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not allowed here: it runs at normal priority
  }
}

function ownText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/**
 * The type check through the persistent cache: its result is kept by the digest of the config
 * repo's inputs (every file of the repo, the installed packages, fleetform's and TypeScript's
 * versions: see inputDigest and cacheFingerprint) and of the files it starts from; on a miss tsc
 * runs incrementally from its kept state (kept per package.json and tsconfig.json: the cache folder
 * is shared by the config repos of the machine; tsc checks the state against the files itself). A check that could not run is not kept.
 */
export function cachedTypecheck(disk: PersistentCache | undefined, root: string, files: readonly string[], signal?: AbortSignal): Promise<TypecheckResult> {
  if (!disk) return startTypecheck(root, files, signal ? { signal } : {});
  const key = keyOf("typecheck", disk.inputs, hasTsconfig(root) ? "tsconfig.json" : JSON.stringify(files));
  const kept = disk.cache.get<{ diagnostics: Diagnostic[]; sources: [string, string][] }>("typecheck", key);
  if (kept) return Promise.resolve({ diagnostics: kept.diagnostics, sources: new Map(kept.sources) });
  return startTypecheck(root, files, { ...(signal ? { signal } : {}), buildInfo: disk.cache.path("tsc", keyOf("tsbuildinfo", ownText(join(root, "package.json")), ownText(join(root, "tsconfig.json")), JSON.stringify(files))) }).then((result) => {
    if (!result.diagnostics.some((d) => d.code === messages.TypeScriptUnavailable.code)) disk.cache.put("typecheck", key, { diagnostics: result.diagnostics, sources: [...result.sources] });
    return result;
  });
}
