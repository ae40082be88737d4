// Finding PowerShell 7 (pwsh) on the build host, for `fleetform test` (and fragment checks later).
// Order: FLEETFORM_PWSH (a command line, split on spaces), `pwsh` on PATH, then a dotnet local
// tool set up by this package's own scripts/setup-pwsh.mjs (.tools/pwsh.json, development only).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fleetformPackage, packageAsset } from "./util/package.js";
import { lowerPriority } from "./phases/1-load/typecheck.js";

export interface Pwsh {
  readonly command: readonly string[];
  /** Extra PSModulePath entries (Pester installed next to a dev tool). */
  readonly modulePath?: string;
}

export function findPwsh(): Pwsh | undefined {
  const fromEnv = process.env.FLEETFORM_PWSH?.trim();
  if (fromEnv) return { command: fromEnv.split(/\s+/) };
  const probe = spawnSync(process.platform === "win32" ? "where" : "sh", process.platform === "win32" ? ["pwsh"] : ["-c", "command -v pwsh"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim()) return { command: [probe.stdout.trim().split(/\r?\n/)[0]!] };
  const tool = join(fleetformPackage().root, ".tools", "pwsh.json");
  if (existsSync(tool)) {
    const info = JSON.parse(readFileSync(tool, "utf8")) as { command: string[]; modulePath?: string };
    return { command: info.command, ...(info.modulePath ? { modulePath: info.modulePath } : {}) };
  }
  return undefined;
}

/** Runs a script file under pwsh, inheriting stdio. Returns the exit code. */
export function runPwshScript(pwsh: Pwsh, file: string, args: readonly string[]): number {
  const env: NodeJS.ProcessEnv = { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off" };
  if (pwsh.modulePath) env.PSModulePath = [pwsh.modulePath, process.env.PSModulePath ?? ""].filter(Boolean).join(delimiter);
  const r = spawnSync(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file, ...args], { stdio: "inherit", env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export interface FragmentParse {
  readonly id: string;
  readonly errors: readonly { readonly line: number; readonly column: number; readonly message: string }[];
  readonly compat: readonly { readonly line: number; readonly column: number; readonly text: string; readonly message: string }[];
}

export interface FragmentParser {
  /** Sends the fragments (once) and resolves with PowerShell's findings. */
  parse(fragments: readonly { id: string; text: string }[]): Promise<FragmentParse[]>;
  /** Ends the process when the fragments are never sent (e.g. the build stopped early). */
  dispose(): void;
}

/**
 * Starts pwsh on compiler/powershell/check-fragments.ps1 right away, so its start-up overlaps the
 * rest of the build; the fragments are sent on stdin when they exist. One process for all of them.
 */
export function startFragmentParser(pwsh: Pwsh, background = false): FragmentParser {
  const script = packageAsset("fragmentCheck");
  const env: NodeJS.ProcessEnv = { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off" };
  const child = spawn(pwsh.command[0]!, [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { env, stdio: ["pipe", "pipe", "pipe"] });
  if (background) lowerPriority(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const finished = new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  finished.catch(() => undefined);
  child.stdin.on("error", () => undefined);
  return {
    async parse(fragments) {
      child.stdin.end(JSON.stringify(fragments), "utf8");
      const code = await finished;
      if (code !== 0) throw new Error(`check-fragments.ps1 exited with ${code}: ${stderr.trim()}`);
      const parsed = JSON.parse(stdout || "[]") as FragmentParse[] | FragmentParse;
      return Array.isArray(parsed) ? parsed : [parsed];
    },
    dispose() {
      if (child.exitCode === null) child.kill();
    },
  };
}
