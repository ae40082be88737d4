// Runs real PowerShell (pwsh 7.6.9 from the dotnet local tool) for the tests.
// scripts/setup-pwsh.mjs (run by `npm test`) writes .tools/pwsh.json; without it the suites that
// need PowerShell fail with a message saying how to install it. They never skip silently.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PWSH_ENV } from "../../compiler/powershell/setup.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface PwshInfo {
  readonly command: readonly string[];
  readonly modulePath: string;
  readonly pester: string;
}

export function pwshInfo(): PwshInfo {
  const file = join(repoRoot, ".tools", "pwsh.json");
  if (!existsSync(file)) {
    throw new Error("PowerShell is not set up: run `node scripts/setup-pwsh.mjs` (npm test does it).");
  }
  return JSON.parse(readFileSync(file, "utf8")) as PwshInfo;
}

export interface PwshResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script file with pwsh -File, Pester and stubs on PSModulePath. */
export function runPwshFile(file: string, args: readonly string[] = [], extraModulePaths: readonly string[] = []): PwshResult {
  const info = pwshInfo();
  const env = {
    ...process.env,
    PSModulePath: [...extraModulePaths, info.modulePath, process.env.PSModulePath ?? ""].filter(Boolean).join(delimiter),
    // Keep pwsh quiet and deterministic on a build host, as fleetform starts it (PWSH_ENV: no shared
    // startup profile for the pwsh processes the suites start at once to corrupt).
    ...PWSH_ENV,
    NO_COLOR: "1",
  };
  const r = spawnSync(info.command[0]!, [...info.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file, ...args], {
    encoding: "utf8",
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a script given as text (written to a temporary .ps1 with a UTF-8 BOM). */
export function runPwsh(script: string, extraModulePaths: readonly string[] = []): PwshResult {
  const dir = mkdtempSync(join(tmpdir(), "ff-pwsh-"));
  const file = join(dir, "script.ps1");
  writeFileSync(file, "\uFEFF" + script, "utf8");
  return runPwshFile(file, [], extraModulePaths);
}

export interface ParseError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface CompatProblem {
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

export interface ParseResult {
  readonly errors: readonly ParseError[];
  /** Syntax that parses on PowerShell 7 but not on Windows PowerShell 5.1. */
  readonly compat: readonly CompatProblem[];
}

/** Parses each file with PowerShell's own parser (one pwsh process for all of them). */
export function parsePowerShellFiles(files: readonly string[]): Map<string, ParseResult> {
  const list = join(mkdtempSync(join(tmpdir(), "ff-parse-")), "files.json");
  writeFileSync(list, JSON.stringify(files));
  const r = runPwshFile(join(repoRoot, "test", "pwsh", "parse-files.ps1"), [list]);
  if (r.code !== 0) throw new Error(`parse-files.ps1 failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  const parsed = JSON.parse(r.stdout) as Record<string, ParseResult>;
  if (files.length === 1 && !(files[0]! in parsed)) throw new Error(`unexpected parse output: ${r.stdout}`);
  return new Map(files.map((f) => [f, parsed[f] ?? { errors: [], compat: [] }]));
}

/** Parse errors only, per file. */
export function parseWithPowerShell(files: readonly string[]): Map<string, ParseError[]> {
  return new Map([...parsePowerShellFiles(files)].map(([f, r]) => [f, [...r.errors]]));
}

export interface PesterSummary {
  readonly result: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly { readonly name: string; readonly message: string }[];
  readonly output: string;
}

/** Runs Pester 5 on the given paths and returns a summary (never throws for failing tests). */
export function runPester(paths: readonly string[], extraModulePaths: readonly string[] = []): PesterSummary {
  const dir = mkdtempSync(join(tmpdir(), "ff-pester-"));
  const list = join(dir, "paths.json");
  const out = join(dir, "summary.json");
  writeFileSync(list, JSON.stringify(paths));
  const r = runPwshFile(join(repoRoot, "test", "pwsh", "run-pester.ps1"), [list, out, pwshInfo().pester], extraModulePaths);
  if (!existsSync(out)) {
    throw new Error(`run-pester.ps1 wrote no summary (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  }
  const s = JSON.parse(readFileSync(out, "utf8")) as Omit<PesterSummary, "output">;
  return { ...s, failures: s.failures ?? [], output: r.stdout + r.stderr };
}

export function which(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a .NET assembly holds ReadyToRun code: its CLI header's ManagedNativeHeader directory
 * (ECMA-335 II.25.3.3, offset 64) is set. Throws when the file is not a PE image with a CLI header.
 */
export function isReadyToRun(file: string): boolean {
  const d = readFileSync(file);
  const pe = d.readUInt32LE(0x3c);
  if (d.toString("latin1", pe, pe + 4) !== "PE\0\0") throw new Error(`${file}: not a PE image`);
  const optional = pe + 24;
  const magic = d.readUInt16LE(optional);
  const directories = optional + (magic === 0x20b ? 112 : 96);
  const cliRva = d.readUInt32LE(directories + 14 * 8);
  if (cliRva === 0) throw new Error(`${file}: no CLI header (not a .NET assembly)`);
  const sections = optional + d.readUInt16LE(pe + 20);
  for (let i = 0; i < d.readUInt16LE(pe + 6); i++) {
    const at = sections + i * 40;
    const [virtualSize, virtualAddress, rawSize, rawPointer] = [8, 12, 16, 20].map((o) => d.readUInt32LE(at + o)) as [number, number, number, number];
    if (cliRva >= virtualAddress && cliRva < virtualAddress + Math.max(virtualSize, rawSize)) {
      const cli = cliRva - virtualAddress + rawPointer;
      return d.readUInt32LE(cli + 64) !== 0;
    }
  }
  throw new Error(`${file}: the CLI header is in no section`);
}
