// Finding PowerShell 7 (pwsh) on the build host, for `fleetform test` (and fragment checks later).
// Order: FLEETFORM_PWSH (a command line, split on spaces), `pwsh` on PATH, then a dotnet local
// tool set up by this package's own scripts/setup-pwsh.mjs (.tools/pwsh.json, development only).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fleetformPackage } from "./util/package.js";

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
