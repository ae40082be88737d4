// Finding PowerShell 7 (pwsh) on the build host, for `fleetform test` and the build's fragment check.
// Order: FLEETFORM_PWSH (a command line, split on spaces), the config repo's `fleetform setup`
// (<repo>/.fleetform/tools/pwsh.json), `pwsh` on PATH, then this package's own development tools
// (scripts/setup-pwsh.mjs: .tools/pwsh.json, only in a checkout of fleetform). Pester installed by
// `fleetform setup` is added to PSModulePath whichever pwsh is used.
import { spawn, spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { fleetformPackage, packageAsset } from "../util/package.js";
import { lowerPriority } from "../phases/1-load/typecheck.js";
import { CONFIG_REPO_TOOLS, PESTER_AVAILABLE, readTools, TOOLS, type ToolsFile } from "./setup.js";
import type { MessageArgs } from "../diagnostics/messages.js";
import type { DiskStore } from "../phases/context.js";
import { keyOf } from "../util/hash.js";

export interface Pwsh {
  readonly command: readonly string[];
  /** Extra PSModulePath entries (Pester installed next to a dev tool). */
  readonly modulePath?: string;
  /** Where the command line came from, for messages. */
  readonly from: string;
}

/** pwsh on PATH (its full path), without running it. */
export function pwshOnPath(): string | undefined {
  const probe = spawnSync(process.platform === "win32" ? "where" : "sh", process.platform === "win32" ? ["pwsh"] : ["-c", "command -v pwsh"], { encoding: "utf8" });
  return probe.status === 0 && probe.stdout.trim() ? probe.stdout.trim().split(/\r?\n/)[0]! : undefined;
}

/** The pwsh to run for the config repo at root (when given). */
export function findPwsh(root?: string): Pwsh | undefined {
  const repoFile = root ? join(root, CONFIG_REPO_TOOLS, "pwsh.json") : undefined;
  const repoTools = repoFile ? readTools(repoFile) : undefined;
  const modulePath = repoTools?.modulePath ? { modulePath: repoTools.modulePath } : {};
  const fromEnv = process.env.FLEETFORM_PWSH?.trim();
  if (fromEnv) return { command: fromEnv.split(/\s+/), ...modulePath, from: "FLEETFORM_PWSH" };
  if (repoTools) return { command: repoTools.command, ...modulePath, from: join(CONFIG_REPO_TOOLS, "pwsh.json") };
  const onPath = pwshOnPath();
  if (onPath) return { command: [onPath], from: "PATH" };
  const dev = readTools(join(fleetformPackage().root, ".tools", "pwsh.json"));
  if (dev) return { command: dev.command, ...(dev.modulePath ? { modulePath: dev.modulePath } : {}), from: "fleetform's .tools/pwsh.json" };
  return undefined;
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
  const env: NodeJS.ProcessEnv = { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off" };
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
  const env = { ...pwshEnv(pwsh), FLEETFORM_TEST_RUNNER: runner, FLEETFORM_TEST_JUNIT: junit };
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
  /** After parse(): sends whole generated files (once, in the same process) and resolves with what PowerShell found. */
  parseFiles(files: readonly { path: string; text: string }[]): Promise<FileFinding[]>;
  /** Ends the process when the fragments are never sent (e.g. the build stopped early). */
  dispose(): void;
}

/**
 * Starts pwsh on compiler/powershell/check-fragments.ps1 right away, so its start-up overlaps the
 * rest of the build; the fragments are sent on stdin when they exist, then (optionally) the
 * generated files. One process for all of them; one JSON line each way per batch.
 * `cache`: where the script keeps its compiled check (FragmentCheck.cs) for the next build, by the
 * pwsh it runs on; without one (--no-cache) the script compiles it in memory.
 */
export function startFragmentParser(pwsh: Pwsh, { background = false, cache }: { readonly background?: boolean; readonly cache?: DiskStore } = {}): FragmentParser {
  const script = packageAsset("fragmentCheck");
  packageAsset("fileCheck"); // check-fragments.ps1 dot-sources it: a broken installation is named here
  packageAsset("fragmentCheckCode"); // and compiles this
  const env = pwshEnv(pwsh);
  // The cache folder is per fleetform (its fingerprint covers FragmentCheck.cs); the script checks
  // the file's header against the C# text and the pwsh actually running, and replaces it when another's.
  if (cache) env.FLEETFORM_CHECK_ASSEMBLY = cache.path("pwsh-check", keyOf("check-fragments assembly", ...pwsh.command));
  else delete env.FLEETFORM_CHECK_ASSEMBLY;
  // A short-lived process that parses thousands of texts: .NET's profile-guided re-compilation of hot
  // methods (an instrumented tier before the optimized one) cost more CPU than it saved (measured:
  // bench/README.md).
  env.DOTNET_TieredPGO = "0";
  const child = spawn(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { env, stdio: ["pipe", "pipe", "pipe"] });
  if (background) lowerPriority(child.pid);
  let stdout = "";
  let stderr = "";
  // Replies, one per line, in the order the batches were sent.
  const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  const lines: string[] = [];
  let closed: Error | undefined;
  let sentFragments = false;
  const deliver = (): void => {
    while (waiting.length > 0 && lines.length > 0) waiting.shift()!.resolve(lines.shift()!);
    if (closed) while (waiting.length > 0) waiting.shift()!.reject(closed);
  };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    let at: number;
    while ((at = stdout.indexOf("\n")) >= 0) {
      lines.push(stdout.slice(0, at));
      stdout = stdout.slice(at + 1);
    }
    deliver();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const finish = (e: Error): void => {
    closed ??= e;
    deliver();
  };
  child.on("error", (e) => finish(new PwshUnavailable(cannotStart(pwsh, e))));
  child.on("close", (code) => finish(new Error(`check-fragments.ps1 exited with ${code}: ${stderr.trim()}`)));
  child.stdin.on("error", () => undefined);
  const reply = (): Promise<string> => new Promise<string>((resolve, reject) => {
    waiting.push({ resolve, reject });
    deliver();
  });
  // (the check always answers with a JSON array)
  const list = <T>(text: string): T[] => JSON.parse(text || "[]") as T[];
  return {
    async parse(fragments, { more = false } = {}) {
      if (sentFragments) throw new Error("the fragments were sent already");
      sentFragments = true;
      // Texts as their UTF-8 files hold them (a lone surrogate is U+FFFD there, one unit for one, so
      // columns stay): .NET's JSON reader refuses a lone surrogate, which would fail the whole check.
      const line = JSON.stringify(fragments.map((f) => (f.text.isWellFormed() ? f : { ...f, text: f.text.toWellFormed() }))) + "\n";
      if (more) child.stdin.write(line, "utf8");
      else child.stdin.end(line, "utf8");
      return list<FragmentParse>(await reply());
    },
    async parseFiles(files) {
      if (!sentFragments) await this.parse([], { more: true });
      if (child.stdin.writableEnded) throw new Error("the fragments were sent without `more`: no files can follow");
      child.stdin.end(JSON.stringify(files.map((f) => (f.text.isWellFormed() ? f : { ...f, text: f.text.toWellFormed() }))) + "\n", "utf8");
      return list<FileFinding>(await reply());
    },
    dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill();
      }
    },
  };
}
