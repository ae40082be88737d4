// Installing what `fleetform test` (and the build's fragment check) runs: PowerShell 7 and Pester 5,
// from NuGet only (no PowerShell Gallery). One implementation, used by `fleetform setup` in a config
// repo (tools in <repo>/.fleetform/tools) and by this package's own scripts/setup-pwsh.mjs (.tools).
//   - PowerShell: an existing pwsh when allowed and present, else PowerShell as a dotnet local tool
//     (a tool manifest in the tools folder; `dotnet tool restore` puts it in the NuGet packages folder);
//     the tool ships IL only, which .NET compiles again on every start (about 0.5 s of a pwsh start):
//     setup makes a copy in <tools>/powershell/<version> whose start-up assemblies are precompiled
//     (ReadyToRun, by the .NET SDK's publish: crossgen2 comes from NuGet) where that pays
//     (see SetupOptions.precompile)
//   - Pester: already importable by that pwsh, else restored by the NuGet client (`dotnet restore` of a
//     generated project with a PackageDownload) and copied to <tools>/modules/Pester/<version>, the
//     layout PowerShell's module loader expects
// and writes <tools>/pwsh.json, which findPwsh() (compiler/powershell/pwsh.ts) and the tests read.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, delimiter, dirname, join, sep } from "node:path";
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
  /** True when command runs setup's precompiled copy of PowerShell (see precompilePowerShell). */
  readonly precompiled?: boolean;
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
  /**
   * Whether PowerShell from NuGet gets a copy with its start-up assemblies precompiled (tens of
   * seconds, once; each pwsh start then takes about half as long). Default: FLEETFORM_PRECOMPILE
   * when it is 1 or 0, else not on a CI machine (CI or CODEBUILD_BUILD_ID set), which runs setup for
   * every job and would spend more on it than its few pwsh starts gain.
   */
  readonly precompile?: boolean;
}

/** Whether CI is set to something other than empty, 0 or false (any case): a CI machine's run. */
export function isCi(e: NodeJS.ProcessEnv = process.env): boolean {
  const ci = e.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/** SetupOptions.precompile's default for an environment. */
export function precompileByDefault(e: NodeJS.ProcessEnv = process.env): boolean {
  const set = e.FLEETFORM_PRECOMPILE?.trim();
  if (set === "1" || set === "0") return set === "1";
  return !isCi(e) && !e.CODEBUILD_BUILD_ID;
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

/**
 * What setup asks the .NET SDK, each asked once per setup (a `dotnet` start costs a fraction of a
 * second): its major version and the NuGet packages folder. `tool`: what a failure is reported for.
 */
class Dotnet {
  #major: number | undefined;
  #packages: string | undefined;

  constructor(private readonly cwd: string) {}

  sdkMajor(tool: Tool): number {
    return (this.#major ??= dotnetSdkMajor(this.cwd, tool));
  }

  packages(tool: Tool): string {
    return (this.#packages ??= globalPackages(this.cwd, tool));
  }
}

/** The NuGet global packages folder, as the NuGet client itself reports it. */
function globalPackages(cwd: string, tool: Tool): string {
  const r = run("dotnet", ["nuget", "locals", "global-packages", "--list"], cwd);
  const folder = /global-packages:\s*(.+)$/m.exec(r.stdout)?.[1]?.trim();
  if (r.status !== 0 || !folder) throw new SetupError(`\`dotnet nuget locals global-packages --list\` failed: ${(r.stderr || r.stdout).trim()}`, tool);
  return folder;
}

/**
 * The environment every pwsh fleetform starts runs with (and its tests'): quiet, no update check,
 * and without .NET's multicore-JIT startup profile. PowerShell keeps that profile in one file per
 * user (~/.cache/powershell/StartupProfileData-NonInteractive; %LOCALAPPDATA% on Windows), which
 * pwsh processes started at once corrupt (PowerShell/PowerShell#26528); once it is corrupt, every
 * pwsh that reads it dies at start-up ("Stack overflow."), and every build's fragment check with
 * it. Below this many CPUs .NET neither reads nor writes the profile (CoreCLR's
 * MultiCoreJitMinNumCpus); pwsh's start-up is no slower for it (measured: 0.38-0.40 s both ways).
 */
export const PWSH_ENV: Readonly<Record<string, string>> = {
  POWERSHELL_TELEMETRY_OPTOUT: "1",
  POWERSHELL_UPDATECHECK: "Off",
  DOTNET_MultiCoreJitMinNumCpus: "65535",
};

function env(modulePath: string | undefined): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...PWSH_ENV, NO_COLOR: "1" };
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
 * The pinned PowerShell tool (its pwsh.dll in the NuGet packages folder) an earlier setup restored,
 * when its pwsh.json names it, or the precompiled copy made from it, and the dll is still there:
 * `dotnet tool restore` (seconds, and a NuGet round trip) is then not needed.
 */
function restoredPowerShell(dir: string): string | undefined {
  const tools = readTools(join(dir, "pwsh.json"));
  if (!tools) return undefined;
  // (readTools: a command line of one or more words)
  const command = tools.command;
  if (command.length !== 2 || command[0] !== "dotnet" || typeof command[1] !== "string" || tools.powershell !== POWERSHELL_VERSION) return undefined;
  const from = precompiledFrom(dir);
  const dll = from && command[1] === precompiledDll(dir) ? join(from, "pwsh.dll") : command[1];
  const pinned = `${sep}powershell${sep}${POWERSHELL_VERSION}${sep}tools${sep}`;
  return dll.includes(pinned) && existsSync(dll) ? dll : undefined;
}

/**
 * PowerShell as a dotnet local tool: the command line that runs it (`dotnet <pwsh.dll>`), the
 * precompiled copy's when `precompile` (kept from an earlier setup, else made now, if it can be).
 */
function installPowerShell(dir: string, dotnet: Dotnet, precompile: boolean, log: (line: string) => void): string[] {
  if (precompile && precompiledFrom(dir)) {
    log(`PowerShell ${POWERSHELL_VERSION}: already restored and precompiled`);
    return ["dotnet", precompiledDll(dir)];
  }
  const restored = restoredPowerShell(dir);
  if (restored) log(`PowerShell ${POWERSHELL_VERSION}: already restored`);
  const dll = restored ?? restorePowerShell(dir, dotnet, log);
  return ["dotnet", (precompile && precompilePowerShell(dir, dirname(dll), log)) || dll];
}

/** The dotnet tool manifest (dotnet-tools.json) of the pinned PowerShell. */
export function powershellToolManifest(): string {
  return JSON.stringify({ version: 1, isRoot: true, tools: { powershell: { version: POWERSHELL_VERSION, commands: ["pwsh"], rollForward: false } } }, null, 2) + "\n";
}

/** `dotnet tool restore` of the pinned PowerShell; its pwsh.dll in the NuGet packages folder. */
function restorePowerShell(dir: string, dotnet: Dotnet, log: (line: string) => void): string {
  dotnet.sdkMajor("pwsh");
  const manifest = join(dir, "dotnet-tools.json");
  writeWhole(manifest, powershellToolManifest());
  log(`PowerShell ${POWERSHELL_VERSION}: dotnet tool restore (NuGet)`);
  const r = run("dotnet", ["tool", "restore", "--tool-manifest", manifest], dir);
  if (r.status !== 0) throw new SetupError(`\`dotnet tool restore\` of PowerShell ${POWERSHELL_VERSION} failed:\n${(r.stdout + r.stderr).trim()}`, "pwsh");
  // Running the tool's dll through `dotnet` directly saves `dotnet tool run`'s indirection on every start.
  const packages = dotnet.packages("pwsh");
  const found = powershellDll(packages);
  if (found) return found;
  // dotnet's tool cache (~/.dotnet/toolResolverCache) remembers where the tool was restored: with
  // another packages folder (NUGET_PACKAGES changed), `dotnet tool restore` says it is restored and
  // puts nothing here. The package itself, downloaded into this folder, is the same tool.
  downloadPackage(dir, dotnet, "PowerShell", POWERSHELL_VERSION, "pwsh", () => log(`PowerShell ${POWERSHELL_VERSION}: not in ${packages}, though restored (likely dotnet's tool cache knows it in another packages folder); dotnet restore of the package (NuGet)`));
  const dll = powershellDll(packages);
  if (!dll) throw new SetupError(`PowerShell ${POWERSHELL_VERSION} was restored but ${join(packages, "powershell", POWERSHELL_VERSION, "tools")} holds no pwsh.dll`, "pwsh");
  return dll;
}

/** The pwsh.dll of the pinned PowerShell tool package in a NuGet packages folder (its newest framework), if it is there. */
function powershellDll(packages: string): string | undefined {
  const toolDir = join(packages, "powershell", POWERSHELL_VERSION, "tools");
  const frameworks = existsSync(toolDir) ? readdirSync(toolDir).filter((f) => /^net\d/.test(f)).sort((a, b) => a.localeCompare(b, "en", { numeric: true })) : [];
  const dll = join(toolDir, frameworks[frameworks.length - 1] ?? "net", "any", process.platform === "win32" ? "win" : "unix", "pwsh.dll");
  return existsSync(dll) ? dll : undefined;
}

/** The folder (in the tools folder) of the project that downloads a package: removed after, and by the next setup if left. */
function downloadProject(id: string): string {
  return `download-${id.toLowerCase()}`;
}

/**
 * A package from NuGet into the NuGet packages folder, by `dotnet restore` of a project that only
 * downloads it (PackageDownload: how the NuGet client fetches a package that is not a library).
 */
function downloadPackage(dir: string, dotnet: Dotnet, id: string, version: string, tool: Tool, announce: () => void): void {
  const major = dotnet.sdkMajor(tool);
  announce();
  const project = join(dir, downloadProject(id));
  mkdirSync(project, { recursive: true });
  try {
    const file = join(project, `${downloadProject(id)}.csproj`);
    writeProject(file, { TargetFramework: `net${major}.0`, IsPackable: "false" }, [["PackageDownload", { Include: id, Version: `[${version}]` }]]);
    const r = run("dotnet", ["restore", file], dir);
    if (r.status !== 0) throw new SetupError(`restoring ${id} ${version} from NuGet failed:\n${(r.stdout + r.stderr).trim()}`, tool);
  } finally {
    // (a project folder that cannot be removed now, e.g. a file still open on Windows, does not fail setup: the next removes it)
    try {
      rmSync(project, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // left for the next setup
    }
  }
}

/** Writes a generated SDK-style project: its properties, then its items (an element and its attributes each); values escaped for XML. */
function writeProject(file: string, properties: Readonly<Record<string, string>>, items: readonly (readonly [element: string, attributes: Readonly<Record<string, string>>])[]): void {
  const xml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  writeFileSync(
    file,
    [
      `<Project Sdk="Microsoft.NET.Sdk">`,
      `  <PropertyGroup>`,
      ...Object.entries(properties).map(([name, value]) => `    <${name}>${xml(value)}</${name}>`),
      `  </PropertyGroup>`,
      `  <ItemGroup>`,
      ...items.map(([element, attributes]) => `    <${element}${Object.entries(attributes).map(([name, value]) => ` ${name}="${xml(value)}"`).join("")} />`),
      `  </ItemGroup>`,
      `</Project>`,
      ``,
    ].join("\n"),
  );
}

/**
 * The assemblies every pwsh start (and a parse, a Pester run) goes through: precompiled in the copy.
 * The others (Roslyn for Add-Type, the help and telemetry libraries...) stay IL: compiling them would
 * double setup's time for code a build does not run.
 */
export const PRECOMPILED = [
  "pwsh.dll",
  "System.Management.Automation.dll",
  "Microsoft.PowerShell.ConsoleHost.dll",
  "Microsoft.PowerShell.Commands.Utility.dll",
  "Microsoft.PowerShell.Commands.Management.dll",
  "Microsoft.PowerShell.Security.dll",
  "Newtonsoft.Json.dll",
];

/** Where setup keeps the precompiled copy of the pinned PowerShell. */
function precompiledFolder(dir: string): string {
  return join(dir, "powershell", POWERSHELL_VERSION);
}

/** The copy's pwsh.dll. */
function precompiledDll(dir: string): string {
  return join(precompiledFolder(dir), "pwsh.dll");
}

/** The stamp in a finished copy: what it was made from (a copy without it is a killed setup's). */
const PRECOMPILED_STAMP = ".fleetform-precompiled.json";

/** When a setup finished the precompiled copy for the pinned version: the tool folder it was made from. */
function precompiledFrom(dir: string): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(join(precompiledFolder(dir), PRECOMPILED_STAMP), "utf8")) as { powershell?: unknown; from?: unknown };
    return stamp.powershell === POWERSHELL_VERSION && typeof stamp.from === "string" && existsSync(precompiledDll(dir)) ? stamp.from : undefined;
  } catch {
    return undefined;
  }
}

/** The generated project precompilePowerShell publishes, and the copy it makes before it is whole (in the tools folder). */
const PRECOMPILE_PROJECT = "precompile";
const PRECOMPILE_ASIDE = `powershell-${POWERSHELL_VERSION}.tmp`;

/** The .NET runtime identifier of this machine, for ReadyToRun code; undefined where .NET has none we know. */
function runtimeIdentifier(): string | undefined {
  const os = process.platform === "linux" ? "linux" : process.platform === "darwin" ? "osx" : process.platform === "win32" ? "win" : undefined;
  const arch = process.arch === "x64" || process.arch === "arm64" ? process.arch : undefined;
  return os && arch ? `${os}-${arch}` : undefined;
}

/**
 * Copies the tool's folder (`from`) to <dir>/powershell/<version> with PRECOMPILED compiled to
 * ReadyToRun code for this machine: `dotnet publish` of a generated project that references them
 * (PublishReadyToRun; the SDK restores crossgen2 from NuGet). The copy is made aside and renamed
 * into place when it starts; its pwsh.dll, or undefined (logged) when any step fails: the tool is
 * used as it is then, only slower to start.
 */
export function precompilePowerShell(dir: string, from: string, log: (line: string) => void): string | undefined {
  const target = precompiledFolder(dir);
  const rid = runtimeIdentifier();
  // (the tool's folder is …/tools/<framework>/any/<os>)
  const folderName = basename(dirname(dirname(from)));
  const framework = /^net\d+\.\d+$/.test(folderName) ? folderName : undefined;
  if (!rid || !framework) {
    log(`PowerShell ${POWERSHELL_VERSION}: not precompiled (no ReadyToRun target for ${process.platform}-${process.arch} ${framework ?? "(unknown framework)"})`);
    return undefined;
  }
  const project = join(dir, PRECOMPILE_PROJECT);
  // (beside the tools' other folders until it is whole: a killed setup leaves no folder that looks made)
  const aside = join(dir, PRECOMPILE_ASIDE);
  const fail = (why: string): undefined => {
    log(`PowerShell ${POWERSHELL_VERSION}: not precompiled, used as NuGet ships it (slower to start): ${why}`);
    rmSync(aside, { recursive: true, force: true });
    return undefined;
  };
  try {
    log(`PowerShell ${POWERSHELL_VERSION}: precompiling its start-up assemblies for ${rid} (dotnet publish, ReadyToRun; once)`);
    const dlls = readdirSync(from).filter((f) => f.endsWith(".dll"));
    const missing = PRECOMPILED.filter((f) => !dlls.includes(f));
    if (missing.length > 0) return fail(`${missing.join(", ")} not in ${from}`);
    // (a killed setup's project: setupTools removes them too; precompilePowerShell may be called alone)
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    writeProject(
      join(project, "precompile.csproj"),
      {
        OutputType: "Exe",
        TargetFramework: framework,
        RuntimeIdentifier: rid,
        SelfContained: "false",
        PublishReadyToRun: "true",
        ImplicitUsings: "disable",
        NoWarn: "$(NoWarn);MSB3277;NU1603",
      },
      [
        ...PRECOMPILED.map((f) => ["Reference", { Include: join(from, f) }] as const),
        // (what the references bring along is copied too: left as IL)
        ...dlls.filter((f) => !PRECOMPILED.includes(f)).map((f) => ["PublishReadyToRunExclude", { Include: f }] as const),
      ],
    );
    writeFileSync(join(project, "Program.cs"), "static class Program { static void Main() { } }\n");
    const out = join(project, "out");
    const r = run("dotnet", ["publish", join(project, "precompile.csproj"), "-c", "Release", "-o", out, "-nologo"], project);
    if (r.status !== 0) return fail(`\`dotnet publish\` failed: ${lastLines(r.stdout + r.stderr)}`);
    const unmade = PRECOMPILED.filter((f) => !existsSync(join(out, f)));
    if (unmade.length > 0) return fail(`\`dotnet publish\` made no ${unmade.join(", ")}: ${lastLines(r.stdout + r.stderr)}`);
    rmSync(aside, { recursive: true, force: true });
    cpSync(from, aside, { recursive: true });
    for (const f of PRECOMPILED) cpSync(join(out, f), join(aside, f));
    // The copy must start before it is used.
    const version = pwshCommand(["dotnet", join(aside, "pwsh.dll")], "$PSVersionTable.PSVersion.ToString()", dir, "pwsh");
    if (version !== POWERSHELL_VERSION) return fail(`the precompiled copy started as PowerShell ${version}`);
    writeFileSync(join(aside, PRECOMPILED_STAMP), JSON.stringify({ powershell: POWERSHELL_VERSION, runtime: rid, from }, null, 2) + "\n");
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(aside, target);
    return precompiledDll(dir);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/** The last lines of a tool's output, for a one-line reason. */
function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" | ");
}

/** Pester from NuGet into <dir>/modules/Pester/<version>; returns <dir>/modules. */
function installPester(dir: string, dotnet: Dotnet, log: (line: string) => void): string {
  const modules = join(dir, "modules");
  const target = join(modules, "Pester", PESTER_VERSION);
  if (existsSync(join(target, "Pester.psd1"))) return modules;
  downloadPackage(dir, dotnet, "Pester", PESTER_VERSION, "pester", () => log(`Pester ${PESTER_VERSION}: dotnet restore (NuGet)`));
  const restored = join(dotnet.packages("pester"), "pester", PESTER_VERSION, "tools");
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
  // What a killed setup left: the project and the copy aside of precompiling, and the projects that
  // download packages (an older setup left Pester's as `pester`).
  for (const left of [PRECOMPILE_PROJECT, PRECOMPILE_ASIDE, "pester", downloadProject("PowerShell"), downloadProject("Pester")]) rmSync(join(dir, left), { recursive: true, force: true });
  const dotnet = new Dotnet(dir);
  const command = options.existingPwsh ? [...options.existingPwsh] : installPowerShell(dir, dotnet, options.precompile ?? precompileByDefault(), log);
  let modulePath: string | undefined;
  if (existsSync(join(dir, "modules", "Pester", PESTER_VERSION, "Pester.psd1"))) {
    modulePath = join(dir, "modules");
  } else if (!(options.existingPwsh && Number(pwshCommand(command, PESTER_AVAILABLE, dir, "pwsh")) > 0)) {
    modulePath = installPester(dir, dotnet, log);
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
  const precompiled = command.length === 2 && command[1] === precompiledDll(dir);
  const tools: ToolsFile = { command, ...(modulePath ? { modulePath } : {}), powershell: versions[0] ?? "", pester: versions[1] ?? "", ...(checkAssembly ? { checkAssembly } : {}), ...(precompiled ? { precompiled } : {}) };
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
