#!/usr/bin/env node
// Installs what the PowerShell tests need, from NuGet only:
//   - PowerShell 7.6.9 as a dotnet local tool (.config/dotnet-tools.json)
//   - Pester 5.7.1 (restored by the NuGet client, then laid out as a module folder)
// and writes .tools/pwsh.json, which test/helpers/pwsh.ts and `fleetform test` read.
// Idempotent and quick when everything is already there. With CI=true any failure exits 1;
// locally it exits 0 with a loud warning so `npm test` can still run the non-PowerShell suites
// (the PowerShell suites then fail, they do not skip silently).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, ".tools");
const PESTER_VERSION = "5.7.1";
const ci = process.env.CI === "true" || process.env.CI === "1";

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

function fail(message) {
  const text = `setup-pwsh: ${message}`;
  if (ci) {
    console.error(text);
    process.exit(1);
  }
  console.warn(`\n!!! ${text}\n!!! PowerShell-based tests will fail until this is fixed.\n`);
  process.exit(0);
}

try {
  run("dotnet", ["--version"]);
} catch {
  fail("the .NET SDK (dotnet) is not on PATH; it is needed to install PowerShell from NuGet.");
}

try {
  run("dotnet", ["tool", "restore"]);
} catch (e) {
  fail(`dotnet tool restore failed:\n${e.stderr ?? e.message}`);
}

const nugetRoot = join(tools, "nuget");
const pesterPkg = join(nugetRoot, "pester", PESTER_VERSION, "tools");
if (!existsSync(join(pesterPkg, "Pester.psd1"))) {
  try {
    run("dotnet", ["restore", join("scripts", "pester", "pester.csproj"), "--packages", nugetRoot]);
  } catch (e) {
    fail(`restoring Pester ${PESTER_VERSION} from NuGet failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}
const modules = join(tools, "modules");
const pesterModule = join(modules, "Pester", PESTER_VERSION);
if (!existsSync(join(pesterModule, "Pester.psd1"))) {
  rmSync(join(modules, "Pester"), { recursive: true, force: true });
  mkdirSync(pesterModule, { recursive: true });
  cpSync(pesterPkg, pesterModule, { recursive: true });
}

// Resolve the pwsh entry point once: running the tool's dll through `dotnet` directly saves the
// `dotnet tool run` indirection on every test process start.
const manifest = JSON.parse(readFileSync(join(root, ".config", "dotnet-tools.json"), "utf8"));
const psVersion = manifest.tools.powershell.version;
const nugetPackages = process.env.NUGET_PACKAGES ?? join(homedir(), ".nuget", "packages");
let command = ["dotnet", "tool", "run", "pwsh", "--"];
const toolDir = join(nugetPackages, "powershell", psVersion, "tools");
try {
  const frameworks = run("ls", [toolDir]).trim().split(/\s+/).sort();
  const dll = join(toolDir, frameworks[frameworks.length - 1], "any", process.platform === "win32" ? "win" : "unix", "pwsh.dll");
  if (existsSync(dll)) command = ["dotnet", dll];
} catch {
  /* keep `dotnet tool run` */
}

let version;
try {
  version = run(command[0], [...command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-Command",
    `$env:PSModulePath = '${modules}' + [IO.Path]::PathSeparator + $env:PSModulePath; ` +
    `Import-Module Pester -RequiredVersion ${PESTER_VERSION}; ` +
    `'{0} {1}' -f $PSVersionTable.PSVersion, (Get-Module Pester).Version`]).trim();
} catch (e) {
  fail(`pwsh did not start or could not import Pester:\n${e.stderr ?? e.message}`);
}
mkdirSync(tools, { recursive: true });
writeFileSync(join(tools, "pwsh.json"), JSON.stringify({ command, modulePath: modules, pester: PESTER_VERSION }, null, 2) + "\n");
console.log(`setup-pwsh: PowerShell ${version.split(" ")[0]}, Pester ${version.split(" ")[1]} ready`);
