// Finding PowerShell 7 (pwsh) on the build host, for `fleetform test` and the build's fragment check.
// Order: FLEETFORM_PWSH (a command line, split on spaces), the config repo's `fleetform setup`
// (<repo>/.fleetform/tools/pwsh.json), `pwsh` on PATH, then this package's own development tools
// (scripts/setup-pwsh.mjs: .tools/pwsh.json, only in a checkout of fleetform). Pester installed by
// `fleetform setup` is added to PSModulePath whichever pwsh is used.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { delimiter, join } from "node:path";
import { fleetformPackage, packageAsset } from "../util/package.js";
import { lowerPriority } from "../phases/1-load/typecheck.js";
import { CONFIG_REPO_TOOLS, PESTER_AVAILABLE, PWSH_ENV, readTools, TOOLS, type ToolsFile } from "./setup.js";
import type { MessageArgs } from "../diagnostics/messages.js";
import type { DiskStore } from "../phases/context.js";
import { keyOf } from "../util/hash.js";

export interface Pwsh {
  readonly command: readonly string[];
  /** Extra PSModulePath entries (Pester installed next to a dev tool). */
  readonly modulePath?: string;
  /** Where the command line came from, for messages. */
  readonly from: string;
  /** The fragment check compiled for it by `fleetform setup` (ToolsFile.checkAssembly). */
  readonly checkAssembly?: string;
}

/** pwsh on PATH (its full path), without running it. */
export function pwshOnPath(): string | undefined {
  const probe = spawnSync(process.platform === "win32" ? "where" : "sh", process.platform === "win32" ? ["pwsh"] : ["-c", "command -v pwsh"], { encoding: "utf8" });
  return probe.status === 0 && probe.stdout.trim() ? probe.stdout.trim().split(/\r?\n/)[0]! : undefined;
}

/**
 * The pwsh to run for the config repo at root (when given). `onPath`: how to find pwsh on PATH
 * (a watch session asks once: the probe runs a shell, synchronously).
 */
export function findPwsh(root?: string, onPath: () => string | undefined = pwshOnPath): Pwsh | undefined {
  const repoFile = root ? join(root, CONFIG_REPO_TOOLS, "pwsh.json") : undefined;
  const repoTools = repoFile ? readTools(repoFile) : undefined;
  const modulePath = repoTools?.modulePath ? { modulePath: repoTools.modulePath } : {};
  const fromEnv = process.env.FLEETFORM_PWSH?.trim();
  // (setup's compiled check with it too: the check loads it only when it was compiled for the pwsh running)
  if (fromEnv) return { command: fromEnv.split(/\s+/), ...modulePath, from: "FLEETFORM_PWSH", ...(repoTools ? compiled(repoTools) : {}) };
  if (repoTools) return { command: repoTools.command, ...modulePath, from: join(CONFIG_REPO_TOOLS, "pwsh.json"), ...compiled(repoTools) };
  const found = onPath();
  if (found) return { command: [found], from: "PATH" };
  const dev = readTools(join(fleetformPackage().root, ".tools", "pwsh.json"));
  if (dev) return { command: dev.command, ...(dev.modulePath ? { modulePath: dev.modulePath } : {}), from: "fleetform's .tools/pwsh.json", ...compiled(dev) };
  return undefined;
}

function compiled(tools: ToolsFile): { checkAssembly?: string } {
  return typeof tools.checkAssembly === "string" ? { checkAssembly: tools.checkAssembly } : {};
}

/** How to get pwsh, for messages. */
const INSTALL_PWSH = "run `npx fleetform setup` in the config repo (PowerShell 7 and Pester 5 from NuGet; needs the .NET SDK), or install PowerShell 7 and put pwsh on PATH, or set FLEETFORM_PWSH";

/** Why findPwsh() found nothing. */
export const PWSH_NOT_FOUND = "not on PATH, no FLEETFORM_PWSH and no `fleetform setup` in this repo";

/**
 * FF1017's arguments when pwsh cannot be run (why: what was looked for and not found): the one text
 * of a missing pwsh, for `fleetform test` (FF1017) and the build's fragment check (FF3024).
 */
export function pwshMissing(why: string): MessageArgs<"ToolMissing"> {
  return { tool: TOOLS.pwsh, how: `${why}; ${INSTALL_PWSH}` };
}

function pwshEnv(pwsh: Pwsh): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...PWSH_ENV };
  if (pwsh.modulePath) env.PSModulePath = [pwsh.modulePath, process.env.PSModulePath ?? ""].filter(Boolean).join(delimiter);
  return env;
}

/** What runTests() found. */
export type TestRun = { readonly kind: "ran"; readonly code: number } | { readonly kind: "no-pwsh"; readonly why: string } | { readonly kind: "no-pester" };

/** Exit code of the wrapper when Pester is not importable (Invoke-Tests.ps1 itself exits 0 or 1). */
const NO_PESTER = 86;

/**
 * Runs the generated tests/Invoke-Tests.ps1 under pwsh with stdio inherited, in one pwsh process
 * that first checks that Pester 5 is there (so a missing Pester is reported, not Import-Module's error).
 */
export function runTests(pwsh: Pwsh, runner: string, junit: string): TestRun {
  const script =
    `if (${PESTER_AVAILABLE} -eq 0) { exit ${NO_PESTER} }; ` +
    "& $env:FLEETFORM_TEST_RUNNER -JUnitPath $env:FLEETFORM_TEST_JUNIT; exit $LASTEXITCODE";
  // (Pester colours its output with ANSI escapes: not into a pipe or a file, e.g. a CI log)
  const env = { ...pwshEnv(pwsh), ...(process.stdout.isTTY ? {} : { NO_COLOR: "1" }), FLEETFORM_TEST_RUNNER: runner, FLEETFORM_TEST_JUNIT: junit };
  const r = spawnSync(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script], { stdio: "inherit", env });
  // The command cannot be started (missing, not executable): the machine's problem, not a bug.
  if (r.error) return { kind: "no-pwsh", why: cannotStart(pwsh, r.error) };
  if (r.status === NO_PESTER) return { kind: "no-pester" };
  return { kind: "ran", code: r.status ?? 1 };
}

/** pwsh could not be started (its message says why, as cannotStart() does). */
export class PwshUnavailable extends Error {}

/** Why a pwsh command line could not be started. */
export function cannotStart(pwsh: Pwsh, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? `${pwsh.command[0]} (from ${pwsh.from}) does not exist` : `${pwsh.command[0]} (from ${pwsh.from}) cannot be started: ${code ?? error.message}`;
}

/** Where a finding is in a fragment's text: 1-based lines and columns, the end exclusive. */
export interface FragmentFinding {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
  readonly message: string;
}

/** `-Password $Password`: a variable passed to an in-box parameter of a type a plain value does not convert to. */
export interface FragmentTyped extends Omit<FragmentFinding, "message"> {
  /** The variable's name, without `$`. */
  readonly variable: string;
  readonly command: string;
  readonly parameter: string;
  /** The .NET type the parameter takes: System.Security.SecureString or System.Management.Automation.PSCredential. */
  readonly takes: string;
  /** Whether the fragment's own scope assigns the variable too. */
  readonly assigned?: boolean;
}

/** A call of a command that is not Windows PowerShell 5.1's, nor defined in the text, nor a program. */
export interface FragmentCall {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly text: string;
  readonly parameters: readonly { readonly name: string; readonly line: number; readonly column: number; readonly endColumn: number; readonly text: string }[];
  readonly splatted: boolean;
}

/** What check-fragments.ps1 says about one text (see the script's header). */
export interface FragmentParse {
  readonly id: string;
  /** PowerShell's first syntax error (the rest are dropped), or nothing. */
  readonly errors: readonly FragmentFinding[];
  /** What Windows PowerShell 5.1 cannot run: 7-only syntax, in-box parameters and values 5.1 lacks. */
  readonly compat: readonly FragmentFinding[];
  /** Calls the build resolves: module functions, externs, or unknown commands. */
  readonly calls: readonly FragmentCall[];
  /** Calls through a computed command (& $cmd, . $x): not linked. */
  readonly dynamic: readonly FragmentFinding[];
  /**
   * Variables passed as they are to an in-box parameter whose type no plain value converts to
   * (SecureString, PSCredential): the build knows which of them are parameters, and their types.
   */
  readonly typed?: readonly FragmentTyped[];
  /**
   * Variables the text reads and never assigns whose name is close to another variable of the text
   * (the suggestion), first place of each; the build drops the function's parameters.
   */
  readonly unassigned?: readonly (Omit<FragmentFinding, "message"> & { readonly name: string; readonly suggestion: string })[];
  /** For inputs sent with file: true, the functions the text defines. */
  readonly definitions?: readonly { readonly name: string; readonly parameters: readonly string[] }[];
}

/** A problem PowerShell found in a whole generated file (parse-files.ps1). */
export interface FileFinding {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** "syntax": the parser's error; "data": a .psd1 that is not one hashtable of constants. */
  readonly kind: "syntax" | "data";
}

export interface FragmentParser {
  /**
   * Sends the fragments (once) and resolves with PowerShell's findings. With `more`, whole files
   * follow (parseFiles); without, the process ends after the fragments.
   */
  parse(fragments: readonly { id: string; text: string; file?: boolean }[], options?: { readonly more?: boolean }): Promise<FragmentParse[]>;
  /**
   * After parse(): sends a batch of whole generated files (in the same process) and resolves with
   * what PowerShell found in them. With `more`, further batches follow (the build sends each
   * module's files as it emits them, so that PowerShell parses them while it emits the next);
   * without, this batch is the build's last.
   */
  parseFiles(files: readonly { path: string; text: string }[], options?: { readonly more?: boolean }): Promise<FileFinding[]>;
  /** Ends the process when the fragments are never sent (e.g. the build stopped early). */
  dispose(): void;
}

/** A check process and the replies it has written, one line each. */
interface CheckProcess {
  readonly child: ChildProcess;
  /** The key of the command line and environment it was started with (only a build with the same reuses it). */
  readonly key: string;
  readonly lines: string[];
  readonly waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[];
  closed?: Error;
  stderr: string;
  /**
   * For a kept process taken by a build that has had no reply yet: called when the process turns
   * out to be gone (it died while kept, before its exit was seen); moves the build to a new
   * process and returns true.
   */
  takeOver?: () => boolean;
}

/**
 * Check processes a build of this compiler process is done with, kept for its next build (the
 * same pwsh and environment): a process that calls compile() again and again (a test suite, an
 * editor's build on save) starts pwsh, loads the compiled check and reads the 5.1 inventory once,
 * not per build. At most IDLE_MAX per key; they hold no reference that keeps Node.js running, and
 * end with it (killed on exit; their stdin closing would end them anyway).
 */
const idle = new Map<string, CheckProcess[]>();
const IDLE_MAX = 2;
let endIdleOnExit = false;

/** The process ids of the check processes kept for a next build (for tests and diagnostics). */
export function keptChecks(): number[] {
  return [...idle.values()].flat().map((p) => p.child.pid!);
}

function alive(p: CheckProcess): boolean {
  return p.closed === undefined && p.child.exitCode === null && p.child.signalCode === null && !p.child.stdin!.destroyed;
}

function setRef(p: CheckProcess, ref: boolean): void {
  for (const handle of [p.child, p.child.stdin, p.child.stdout, p.child.stderr] as unknown as { ref?(): void; unref?(): void }[]) {
    if (ref) handle?.ref?.();
    else handle?.unref?.();
  }
}

function spawnCheck(pwsh: Pwsh, env: NodeJS.ProcessEnv, key: string, background: boolean): CheckProcess {
  const script = packageAsset("fragmentCheck");
  const child = spawn(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { env, stdio: ["pipe", "pipe", "pipe"] });
  if (background) lowerPriority(child.pid);
  const p: CheckProcess = { child, key, lines: [], waiting: [], stderr: "" };
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    let at: number;
    while ((at = stdout.indexOf("\n")) >= 0) {
      p.lines.push(stdout.slice(0, at));
      stdout = stdout.slice(at + 1);
    }
    deliver(p);
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (p.stderr += d));
  const finish = (e: Error): void => {
    if (p.closed) return;
    p.closed = e;
    const list = idle.get(key);
    if (list?.includes(p)) idle.set(key, list.filter((q) => q !== p));
    if (p.takeOver?.()) return;
    deliver(p);
  };
  child.on("error", (e) => finish(new PwshUnavailable(cannotStart(pwsh, e))));
  child.on("close", (code, signal) => finish(new Error(`check-fragments.ps1 ${code === null ? `was killed (${signal ?? "a signal"})` : `exited with ${code}`}: ${p.stderr.trim()}`)));
  child.stdin!.on("error", () => undefined);
  return p;
}

function deliver(p: CheckProcess): void {
  while (p.waiting.length > 0 && p.lines.length > 0) p.waiting.shift()!.resolve(p.lines.shift()!);
  if (p.closed) while (p.waiting.length > 0) p.waiting.shift()!.reject(p.closed);
}

function end(p: CheckProcess): void {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.stdin!.end();
    p.child.kill();
  }
}

/**
 * The environment of check-fragments.ps1's process: where it keeps its compiled check (in `cache`,
 * else compiled in memory) and the one `fleetform setup` compiled.
 */
export function fragmentCheckEnv(pwsh: Pwsh, cache?: DiskStore): NodeJS.ProcessEnv {
  const env = pwshEnv(pwsh);
  // The cache folder is per fleetform (its fingerprint covers FragmentCheck.cs); the script checks
  // the file's header against the C# text and the pwsh actually running, and replaces it when another's.
  if (cache) env.FLEETFORM_CHECK_ASSEMBLY = cache.path("pwsh-check", keyOf("check-fragments assembly", ...pwsh.command));
  else delete env.FLEETFORM_CHECK_ASSEMBLY;
  // The check `fleetform setup` compiled with the tools, used when it is this fleetform's for this pwsh.
  if (pwsh.checkAssembly) env.FLEETFORM_CHECK_PREPARED = pwsh.checkAssembly;
  else delete env.FLEETFORM_CHECK_PREPARED;
  // A short-lived process that parses thousands of texts: .NET's profile-guided re-compilation of hot
  // methods (an instrumented tier before the optimized one) cost more CPU than it saved (measured:
  // bench/README.md).
  env.DOTNET_TieredPGO = "0";
  return env;
}

/**
 * Starts pwsh on compiler/powershell/check-fragments.ps1 right away (or takes the process an
 * earlier build of this compiler process left: see `idle`), so its start-up overlaps the rest of
 * the build; the fragments are sent on stdin when they exist, then the generated files (none: a
 * blank line). One process for all of them; one JSON line each way per batch.
 * `cache`: where the script keeps its compiled check (FragmentCheck.cs) for the next build, by the
 * pwsh it runs on; without one (--no-cache) the script compiles it in memory.
 * `keep`: the process may be one an earlier build left, and is left for the next build on dispose()
 * (compile() does this). Otherwise the process is this parser's own, and ends after the last batch.
 * `background` (a watch session's check after the rebuild): a process of its own at a lower
 * priority, ended when the check is done.
 */
export function startFragmentParser(pwsh: Pwsh, { background = false, cache, keep = false }: { readonly background?: boolean; readonly cache?: DiskStore; readonly keep?: boolean } = {}): FragmentParser {
  packageAsset("fileCheck"); // check-fragments.ps1 dot-sources it: a broken installation is named here
  packageAsset("fragmentCheckCode"); // and compiles this
  const env = fragmentCheckEnv(pwsh, cache);
  const key = JSON.stringify([pwsh.command, Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))]);
  const reuse = keep && !background;
  let p: CheckProcess | undefined;
  if (reuse) {
    const kept = idle.get(key) ?? [];
    while (!p && kept.length > 0) {
      const q = kept.shift()!;
      if (alive(q)) p = q;
    }
    if (p) setRef(p, true);
  }
  let proc = p ?? spawnCheck(pwsh, env, key, background);
  // The lines sent, while no reply has come: a kept process found gone gets them again, in a new one.
  let unanswered: string[] | undefined = p ? [] : undefined;
  if (p) {
    p.takeOver = () => {
      if (!unanswered) return false;
      const fresh = spawnCheck(pwsh, env, key, false);
      fresh.waiting.push(...proc.waiting.splice(0));
      proc.takeOver = undefined;
      proc = fresh;
      for (const line of unanswered) fresh.child.stdin!.write(line, "utf8");
      unanswered = undefined;
      return true;
    };
  }
  // The replies this build asked for: the process is kept for another build once all have come.
  const pending: Promise<string>[] = [];
  let sentFragments = false;
  let sentFiles = false;
  let disposed = false;
  const send = (batch: unknown): Promise<string> => {
    const line = JSON.stringify(batch) + "\n";
    unanswered?.push(line);
    proc.child.stdin!.write(line, "utf8");
    const answer = new Promise<string>((resolve, reject) => {
      proc.waiting.push({
        resolve: (reply) => {
          if (unanswered) {
            unanswered = undefined;
            proc.takeOver = undefined;
          }
          resolve(reply);
        },
        reject,
      });
      deliver(proc);
    });
    pending.push(answer);
    return answer;
  };
  // (the check always answers with a JSON array)
  const list = <T>(text: string): T[] => JSON.parse(text || "[]") as T[];
  // Texts as their UTF-8 files hold them (a lone surrogate is U+FFFD there, one unit for one, so
  // columns stay): .NET's JSON reader refuses a lone surrogate, which would fail the whole check.
  const wellFormed = <T extends { text: string }>(items: readonly T[]): readonly T[] => items.map((f) => (f.text.isWellFormed() ? f : { ...f, text: f.text.toWellFormed() }));
  // An empty batch whose answer nobody waits for (it still comes, in its turn).
  const sendEmpty = (): void => void send([]).catch(() => undefined);
  // No files follow: the build's turn ends with an empty batch of them (unless the last batch sent
  // was one: that ended it), or, for a process of this parser's own, with the end of the input.
  const endTurn = (lastWasEmpty: boolean): void => {
    sentFiles = true;
    if (!reuse) proc.child.stdin!.end();
    else if (!lastWasEmpty) sendEmpty();
  };
  return {
    async parse(fragments, { more = false } = {}) {
      if (sentFragments) throw new Error("the fragments were sent already");
      sentFragments = true;
      const found = send(wellFormed(fragments));
      if (!more) endTurn(false);
      return list<FragmentParse>(await found);
    },
    async parseFiles(files, { more = false } = {}) {
      if (!sentFragments) {
        // (no fragments: an empty batch of them first, sent now, so that the batches of files
        // sent after this one follow it in order)
        sentFragments = true;
        sendEmpty();
      }
      if (sentFiles) throw new Error("the last batch of files was sent (or the fragments without `more`): no files can follow");
      // An empty batch ends the build's turn (parse-files.ps1): one that is not the last is not sent.
      if (more && files.length === 0) return [];
      const found = send(wellFormed(files));
      if (!more) endTurn(files.length === 0);
      return list<FileFinding>(await found);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      proc.takeOver = undefined;
      if (!reuse || !alive(proc)) return end(proc);
      // The build's turn is completed (empty batches for what it never sent), and the process kept
      // for the next build once every reply has come; a process that fails meanwhile is ended.
      if (!sentFragments) sendEmpty();
      if (!sentFiles) sendEmpty();
      sentFragments = sentFiles = true;
      Promise.all(pending).then(
        () => {
          const kept = idle.get(proc.key) ?? [];
          if (!alive(proc) || kept.length >= IDLE_MAX) return end(proc);
          setRef(proc, false);
          idle.set(proc.key, [...kept, proc]);
          if (!endIdleOnExit) {
            endIdleOnExit = true;
            process.once("exit", () => {
              for (const list of idle.values()) for (const q of list) end(q);
            });
          }
        },
        () => end(proc),
      );
    },
  };
}
