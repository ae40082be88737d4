// Installing what `fleetform test` (and the build's fragment check) runs: PowerShell 7 and Pester 5,
// from NuGet only (no PowerShell Gallery). One implementation, used by `fleetform setup` in a config
// repo (tools in <repo>/.fleetform/tools) and by this package's own scripts/setup-pwsh.mjs (.tools).
//   - PowerShell: an existing pwsh when allowed and present, else PowerShell as a dotnet local tool
//     (a tool manifest in the tools folder; `dotnet tool restore` puts it in the NuGet packages folder)
//   - Pester: already importable by that pwsh, else restored by the NuGet client (`dotnet restore` of a
//     generated project with a PackageDownload) and copied to <tools>/modules/Pester/<version>, the
//     layout PowerShell's module loader expects
// and writes <tools>/pwsh.json, which findPwsh() (compiler/powershell/pwsh.ts) and the tests read.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, sep } from "node:path";
import { packageAsset } from "../util/package.js";

export const POWERSHELL_VERSION = "7.6.9";
export const PESTER_VERSION = "5.7.1";
/** What the generated tests/Invoke-Tests.ps1 imports (Import-Module -MinimumVersion/-MaximumVersion). */
export const PESTER_RANGE = { minimum: "5.5.0", maximum: "5.99.99" } as const;
/** Where `fleetform setup` puts the tools, relative to the config repo. */
export const CONFIG_REPO_TOOLS = join(".fleetform", "tools");

/** What <tools>/pwsh.json holds. */
export interface ToolsFile {
  readonly command: readonly string[];
  /** Prepended to PSModulePath (holds Pester/<version>); absent when pwsh finds Pester itself. */
  readonly modulePath?: string;
  readonly powershell: string;
  readonly pester: string;
  /**
   * The build's fragment check compiled for this pwsh (check-fragments.ps1's FragmentCheck.cs,
   * seconds of CPU to compile): read by builds that use this pwsh, so that a build with an empty
   * cache does not compile it. Absent when it could not be compiled (a build compiles it then).
   */
  readonly checkAssembly?: string;
}

/** A tools file (pwsh.json) as written by setupTools; undefined when it is missing, unreadable or has no command. */
export function readTools(file: string): ToolsFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as ToolsFile;
    return Array.isArray(info.command) && info.command.length > 0 ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The tools setup installs or needs, as FF1017 names them. */
export const TOOLS = { pwsh: "PowerShell 7 (pwsh)", pester: "Pester 5" } as const;
type Tool = keyof typeof TOOLS;

/** A problem of the machine (a tool missing or failing), with what to do about it. */
export class SetupError extends Error {
  constructor(
    message: string,
    /** The tool that is missing or could not be installed (the .NET SDK installs both). */
    readonly tool: Tool,
  ) {
    super(message);
  }
}

export interface SetupOptions {
  /** The tools folder (created when missing). */
  readonly dir: string;
  /** A pwsh command line already on the machine, to use instead of installing PowerShell from NuGet. */
  readonly existingPwsh?: readonly string[];
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(cmd, [...args], { cwd, encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"], windowsHide: true, maxBuffer: 64 * 1024 * 1024 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? r.error.message : ""), missing };
}

export const NO_DOTNET =
  "the .NET SDK (dotnet, version 8 or later) is not on PATH; it installs PowerShell and Pester from NuGet. " +
  "Install it (https://dotnet.microsoft.com/download), or install PowerShell 7 and Pester 5.5+ yourself and put pwsh on PATH";

function dotnetSdkMajor(cwd: string, tool: Tool): number {
  const r = run("dotnet", ["--version"], cwd);
  const major = /^(\d+)\./.exec(r.stdout.trim())?.[1];
  if (r.status !== 0 || major === undefined) throw new SetupError(r.missing ? NO_DOTNET : `\`dotnet --version\` failed: ${(r.stderr || r.stdout).trim()}`, tool);
  return Number(major);
}

/** The NuGet global packages folder, as the NuGet client itself reports it. */
function globalPackages(cwd: string, tool: Tool): string {
  const r = run("dotnet", ["nuget", "locals", "global-packages", "--list"], cwd);
  const folder = /global-packages:\s*(.+)$/m.exec(r.stdout)?.[1]?.trim();
  if (r.status !== 0 || !folder) throw new SetupError(`\`dotnet nuget locals global-packages --list\` failed: ${(r.stderr || r.stdout).trim()}`, tool);
  return folder;
}

function env(modulePath: string | undefined): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off", NO_COLOR: "1" };
  if (modulePath) e.PSModulePath = [modulePath, process.env.PSModulePath ?? ""].filter(Boolean).join(delimiter);
  return e;
}

/** Runs a command in pwsh; returns its output or throws a SetupError naming the command line. */
function pwshCommand(pwsh: readonly string[], script: string, cwd: string, tool: Tool, modulePath?: string): string {
  const r = run(pwsh[0]!, [...pwsh.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script], cwd, env(modulePath));
  if (r.missing) throw new SetupError(`${pwsh[0]} does not exist`, "pwsh");
  if (r.status !== 0) throw new SetupError(`${pwsh.join(" ")} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`, tool);
  return r.stdout.trim();
}

/** PowerShell that prints how many Pester versions the generated runner accepts are importable. */
export const PESTER_AVAILABLE = `@(Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'${PESTER_RANGE.minimum}' -and $_.Version -le [version]'${PESTER_RANGE.maximum}' }).Count`;

/**
 * Writes a file whole or not at all (aside, then renamed over it): a test or build reading it
 * meanwhile sees the old file or the new one, never an empty or half-written one.
 */
function writeWhole(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * The pinned PowerShell an earlier setup restored into this folder, when its pwsh.json names it and
 * its dll is still there: `dotnet tool restore` (seconds, and a NuGet round trip) is then not needed.
 */
function restoredPowerShell(dir: string): string[] | undefined {
  const tools = readTools(join(dir, "pwsh.json"));
  if (!tools) return undefined;
  // (readTools: a command line of one or more words)
  const command = tools.command;
  if (command.length !== 2 || command[0] !== "dotnet" || typeof command[1] !== "string") return undefined;
  const dll = command[1];
  const pinned = `${sep}powershell${sep}${POWERSHELL_VERSION}${sep}tools${sep}`;
  if (tools.powershell !== POWERSHELL_VERSION || !dll.includes(pinned) || !existsSync(dll)) return undefined;
  return ["dotnet", dll];
}

/** PowerShell as a dotnet local tool: the command line that runs it (`dotnet <pwsh.dll>`). */
function installPowerShell(dir: string, log: (line: string) => void): string[] {
  const restored = restoredPowerShell(dir);
  if (restored) {
    log(`PowerShell ${POWERSHELL_VERSION}: already restored`);
    return restored;
  }
  dotnetSdkMajor(dir, "pwsh");
  const manifest = join(dir, "dotnet-tools.json");
  writeWhole(manifest, JSON.stringify({ version: 1, isRoot: true, tools: { powershell: { version: POWERSHELL_VERSION, commands: ["pwsh"], rollForward: false } } }, null, 2) + "\n");
  log(`PowerShell ${POWERSHELL_VERSION}: dotnet tool restore (NuGet)`);
  const r = run("dotnet", ["tool", "restore", "--tool-manifest", manifest], dir);
  if (r.status !== 0) throw new SetupError(`\`dotnet tool restore\` of PowerShell ${POWERSHELL_VERSION} failed:\n${(r.stdout + r.stderr).trim()}`, "pwsh");
  // Running the tool's dll through `dotnet` directly saves `dotnet tool run`'s indirection on every start.
  const toolDir = join(globalPackages(dir, "pwsh"), "powershell", POWERSHELL_VERSION, "tools");
  const frameworks = existsSync(toolDir) ? readdirSync(toolDir).filter((f) => /^net\d/.test(f)).sort((a, b) => a.localeCompare(b, "en", { numeric: true })) : [];
  const dll = join(toolDir, frameworks[frameworks.length - 1] ?? "net", "any", process.platform === "win32" ? "win" : "unix", "pwsh.dll");
  if (!existsSync(dll)) throw new SetupError(`PowerShell ${POWERSHELL_VERSION} was restored but ${dll} does not exist`, "pwsh");
  return ["dotnet", dll];
}

/** Pester from NuGet into <dir>/modules/Pester/<version>; returns <dir>/modules. */
function installPester(dir: string, log: (line: string) => void): string {
  const modules = join(dir, "modules");
  const target = join(modules, "Pester", PESTER_VERSION);
  if (existsSync(join(target, "Pester.psd1"))) return modules;
  const major = dotnetSdkMajor(dir, "pester");
  // Not a .NET project: restoring it is how the NuGet client fetches a package that is not a library.
  const project = join(dir, "pester");
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "pester.csproj"),
    `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net${major}.0</TargetFramework>\n    <IsPackable>false</IsPackable>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" />\n  </ItemGroup>\n</Project>\n`,
  );
  log(`Pester ${PESTER_VERSION}: dotnet restore (NuGet)`);
  const r = run("dotnet", ["restore", join(project, "pester.csproj")], dir);
  if (r.status !== 0) throw new SetupError(`restoring Pester ${PESTER_VERSION} from NuGet failed:\n${(r.stdout + r.stderr).trim()}`, "pester");
  const restored = join(globalPackages(dir, "pester"), "pester", PESTER_VERSION, "tools");
  if (!existsSync(join(restored, "Pester.psd1"))) throw new SetupError(`Pester ${PESTER_VERSION} was restored but ${join(restored, "Pester.psd1")} does not exist`, "pester");
  rmSync(join(modules, "Pester"), { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(restored, target, { recursive: true });
  return modules;
}

/**
 * Makes PowerShell 7 and Pester 5 ready and writes <dir>/pwsh.json. Quick when everything is there
 * already. Throws SetupError when the machine lacks what it needs (the message says what to install).
 */
export function setupTools(options: SetupOptions): ToolsFile {
  const { dir } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(dir, { recursive: true });
  const command = options.existingPwsh ? [...options.existingPwsh] : installPowerShell(dir, log);
  let modulePath: string | undefined;
  if (existsSync(join(dir, "modules", "Pester", PESTER_VERSION, "Pester.psd1"))) {
    modulePath = join(dir, "modules");
  } else if (!(options.existingPwsh && Number(pwshCommand(command, PESTER_AVAILABLE, dir, "pwsh")) > 0)) {
    modulePath = installPester(dir, log);
  } else {
    log("Pester: already installed for this pwsh");
  }
  // The real check: this pwsh imports Pester the way the generated runner does.
  const versions = pwshCommand(
    command,
    `Import-Module -Name Pester -MinimumVersion ${PESTER_RANGE.minimum} -MaximumVersion ${PESTER_RANGE.maximum}; '{0} {1}' -f $PSVersionTable.PSVersion, (Get-Module Pester).Version`,
    dir,
    "pester",
    modulePath,
  ).split(/\s+/);
  const checkAssembly = compileCheck(command, dir, log);
  const tools: ToolsFile = { command, ...(modulePath ? { modulePath } : {}), powershell: versions[0] ?? "", pester: versions[1] ?? "", ...(checkAssembly ? { checkAssembly } : {}) };
  writeWhole(join(dir, "pwsh.json"), JSON.stringify(tools, null, 2) + "\n");
  log(`PowerShell ${tools.powershell}, Pester ${tools.pester} ready`);
  return tools;
}

/**
 * Compiles the build's fragment check for this pwsh into <dir>/fragment-check.assembly: check-fragments.ps1
 * run with no input compiles it into the file FLEETFORM_CHECK_ASSEMBLY names (or finds it there,
 * compiled from the same C# text for the same pwsh) and ends. Undefined when no file came of it: a
 * build then compiles the check into its cache, as without setup.
 */
function compileCheck(pwsh: readonly string[], dir: string, log: (line: string) => void): string | undefined {
  const file = join(dir, "fragment-check.assembly");
  const e: NodeJS.ProcessEnv = { ...env(undefined), FLEETFORM_CHECK_ASSEMBLY: file };
  delete e.FLEETFORM_CHECK_PREPARED;
  const r = run(pwsh[0]!, [...pwsh.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", packageAsset("fragmentCheck")], dir, e);
  if (r.status === 0 && existsSync(file)) {
    log("the build's PowerShell check: compiled for this pwsh");
    return file;
  }
  log(`the build's PowerShell check was not compiled (builds compile it into their cache): ${(r.stderr || r.stdout).trim().split("\n")[0] || `exit ${r.status}`}`);
  return undefined;
}
