// Generated code against property names that are also the names of its own locals and
// parameters (test/fixtures/collide: State, Name, Result, Parameters, Ensure, Key, Value, Path,
// Properties, Resource, Run, Mode). PowerShell names are case-insensitive and a parameter keeps its
// validation attribute on its variable, so a wrapper local named `$state` is the property.
// 1. the build's generated Pester suites pass (configuration through the real runtime, module,
//    DSC resources);
// 2. the DSC resource's Get/Test/Set-TargetResource run for real under pwsh (the resource keeps
//    its state in a JSON file): Get returns the real state, not the bound parameters; Test is
//    false, then Set changes it, then Test is true; a blocked Set changes nothing.
// 3. the SSM document's commands run under pwsh as an agent would run them: `{{ Mode }}`
//    substituted (every agent does), with SSM_Mode set (3.3.2746.0 and later: ENV_VAR) and without
//    (older agents), in both modes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, writeOutput } from "../../compiler/index.js";
import { PWSH_ENV } from "../../compiler/powershell/setup.js";
import { parse } from "yaml";
import { pwshInfo, repoRoot, runPester, runPwsh } from "../helpers/pwsh.js";

const root = join(repoRoot, "test", "fixtures", "collide");
let out = "";

beforeAll(async () => {
  const result = await compile({ root });
  expect(result.diagnostics).toEqual([]);
  out = join(mkdtempSync(join(tmpdir(), "ff-collide-")), "dist");
  writeOutput(out, result.files);
});

describe("property names that collide with generated names", () => {
  it("pass the generated Pester suites", () => {
    const summary = runPester([join(out, "tests")]);
    expect(summary.failures).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.total).toBeGreaterThanOrEqual(30);
  });

  it("run through Get/Test/Set-TargetResource for real", () => {
    const psm1 = join(out, "modules", "Service", "DSCResources", "FakeService", "FakeService.psm1");
    const script = `
$ErrorActionPreference = 'Stop'
$env:PSModulePath = '${join(out, "modules")}' + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module -Name '${psm1}' -Force
$file = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ('ff-collide-' + [guid]::NewGuid().ToString('N') + '.json')
$all = @{ Name = 'Beta'; Path = $file; State = 'Running'; Result = 'r'; Parameters = 'p'; Ensure = 'Present'; Key = 'k'; Value = 7; Resource = 'res'; Run = $false; Mode = 'slow' }
$out = [ordered]@{}
$absent = FakeService\\Get-TargetResource -Name 'Beta' -Path $file -State 'Running'
$out.absentState = $absent['State']
$out.absentEnsure = $absent['Ensure']
$out.absentKeys = @($absent.Keys | Sort-Object)
$out.testBefore = FakeService\\Test-TargetResource @all
$blocked = $all.Clone(); $blocked['Run'] = $true
FakeService\\Set-TargetResource @blocked -WarningAction SilentlyContinue
$out.existsAfterBlocked = Test-Path -LiteralPath $file
FakeService\\Set-TargetResource @all
$out.testAfter = FakeService\\Test-TargetResource @all
$present = FakeService\\Get-TargetResource -Name 'Beta' -Path $file -State 'Stopped'
$out.presentState = $present['State']
$out.presentEnsure = $present['Ensure']
$out.presentResult = $present['Result']
$stopped = $all.Clone(); $stopped['State'] = 'Stopped'
$out.testStopped = FakeService\\Test-TargetResource @stopped
Remove-Item -LiteralPath $file -Force
$out | ConvertTo-Json -Compress
`;
    const r = runPwsh(script);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(got).toEqual({
      // The real state (no file: Stopped, Absent), not the bound State = 'Running'.
      absentState: "Stopped",
      absentEnsure: "Absent",
      absentKeys: ["Ensure", "Key", "Mode", "Name", "Parameters", "Path", "Properties", "Resource", "Result", "Run", "State", "Value"],
      testBefore: false,
      existsAfterBlocked: false,
      testAfter: true,
      presentState: "Running",
      presentEnsure: "Present",
      // Not in the current state and not bound: $null, not the wrapper's own result.
      presentResult: null,
      testStopped: false,
    });
  });
});

describe("the SSM document on old and new SSM Agents", () => {
  /** The document's commands with the parameter substituted as text, run like aws:runPowerShellScript (a .ps1 file), in a new folder. */
  function runDocument(text: string, mode: string, env: Record<string, string | undefined>): { code: number; stderr: string; cwd: string; logs: { step: string | null; message: string }[] } {
    const doc = parse(text) as { parameters: { Mode: { allowedPattern: string } }; mainSteps: { inputs: { runCommand: string[] } }[] };
    expect(new RegExp(doc.parameters.Mode.allowedPattern).test(mode)).toBe(true);
    const script = doc.mainSteps[0]!.inputs.runCommand.join("\n").replace(/\{\{\s*Mode\s*\}\}/g, mode);
    const cwd = mkdtempSync(join(tmpdir(), "ff-ssm-"));
    const file = join(cwd, "_script.ps1");
    writeFileSync(file, script, "utf8");
    const info = pwshInfo();
    const childEnv: Record<string, string | undefined> = { ...process.env, PSModulePath: [join(out, "modules"), join(out, "configurations"), info.modulePath].join(":"), NO_COLOR: "1", ...PWSH_ENV };
    delete childEnv.SSM_Mode;
    Object.assign(childEnv, env);
    const r = spawnSync(info.command[0]!, [...info.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file], { cwd, env: childEnv as NodeJS.ProcessEnv, encoding: "utf8" });
    // The configuration's LogDir default is a Windows path (install.logDir): on Linux, a folder of that name here.
    const logs = (readdirSync(cwd, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".log"))
      .flatMap((f) => readFileSync(join(cwd, f), "utf8").trim().split(/\r?\n/).map((l) => JSON.parse(l) as { step: string | null; message: string }));
    return { code: r.status ?? -1, stderr: r.stderr, cwd, logs };
  }
  const documentText = (): string => readFileSync(join(out, "ssm", "Collide.yaml"), "utf8");
  const startLine = (logs: { step: string | null; message: string }[]): string => logs.find((l) => l.step === "start")?.message ?? "(no start line)";

  it.each([
    ["new agent (SSM_Mode set)", { SSM_Mode: "monitor" }],
    ["old agent (no SSM_Mode)", {}],
  ] as const)("%s, monitor: tests only", (_name, env) => {
    const r = runDocument(documentText(), "monitor", env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(startLine(r.logs)).toMatch(/mode monitor/);
    // The resource keeps its state in a file named by its path property, relative to the folder here.
    expect(readdirSync(r.cwd).filter((f) => f.endsWith(".json"))).toEqual([]);
  });

  it.each([
    ["new agent (SSM_Mode set)", { SSM_Mode: "apply" }],
    ["old agent (no SSM_Mode)", {}],
  ] as const)("%s, apply: changes", (_name, env) => {
    const r = runDocument(documentText(), "apply", env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(startLine(r.logs)).toMatch(/mode apply/);
    expect(readdirSync(r.cwd).filter((f) => f.endsWith(".json"))).toHaveLength(1);
  });
});

describe("Invoke-<Config> -NoComplianceReport (CodeDeploy's ValidateService)", () => {
  /** Runs `Invoke-Collide -Mode monitor` (with `extra`) in a new folder; its log lines' steps. */
  function monitor(extra: string): string[] {
    const cwd = mkdtempSync(join(tmpdir(), "ff-compliance-"));
    const file = join(cwd, "_run.ps1");
    writeFileSync(file, `Import-Module -Name 'Collide' -ErrorAction Stop\n$code = Invoke-Collide -Mode 'monitor' -LogDir (Join-Path -Path $PWD -ChildPath 'logs') ${extra}\nexit $code\n`, "utf8");
    const info = pwshInfo();
    // (no AWS.Tools here, and instance metadata nowhere: a report that is attempted fails, with a WARN line of step compliance)
    const env = { ...process.env, PSModulePath: [join(out, "modules"), join(out, "configurations"), info.modulePath].join(":"), NO_COLOR: "1", FLEETFORM_IMDS_ENDPOINT: "http://127.0.0.1:9", ...PWSH_ENV };
    const r = spawnSync(info.command[0]!, [...info.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file], { cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return (readdirSync(join(cwd, "logs"), { recursive: true }) as string[])
      .filter((f) => f.endsWith(".log"))
      .flatMap((f) => readFileSync(join(cwd, "logs", f), "utf8").trim().split(/\r?\n/).map((l) => (JSON.parse(l) as { step: string | null }).step ?? ""));
  }

  it("reports nothing to SSM Compliance (the association's results stay what instances show); without it, the run reports", () => {
    expect(monitor("")).toContain("compliance");
    expect(monitor("-NoComplianceReport")).not.toContain("compliance");
  });
});

describe("the SSM document's preferences stay out of module code", () => {
  // SSM Agent runs the commands with -File: the script's scope is the global one, which module
  // code reads its preference variables from. A set's Write-Error must not stop it there (it did,
  // while the script set $ErrorActionPreference = 'Stop'), as docs/runtime.md and the generated
  // Pester tests (which set no preference) say.
  it("a set that writes an error goes on to its next step, and the resource fails after it (exit 20)", () => {
    const doc = parse(readFileSync(join(out, "ssm", "StepsRun.yaml"), "utf8")) as { mainSteps: { inputs: { runCommand: string[] } }[] };
    const cwd = mkdtempSync(join(tmpdir(), "ff-ssm-steps-"));
    const file = join(cwd, "_script.ps1");
    writeFileSync(file, doc.mainSteps[0]!.inputs.runCommand.join("\n"), "utf8");
    const info = pwshInfo();
    const env = { ...process.env, PSModulePath: [join(out, "modules"), join(out, "configurations"), info.modulePath].join(":"), NO_COLOR: "1", ...PWSH_ENV, SSM_Mode: "apply" };
    const r = spawnSync(info.command[0]!, [...info.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file], { cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8" });
    const logs = (readdirSync(cwd, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".log"))
      .flatMap((f) => readFileSync(join(cwd, f), "utf8").trim().split(/\r?\n/).map((l) => JSON.parse(l) as { step: string | null; result: string | null; message: string }));
    expect(r.status, r.stdout + r.stderr).toBe(20);
    expect(readFileSync(join(cwd, "step2.txt"), "utf8").trim()).toBe("step 2 ran");
    const set = logs.find((l) => l.step === "set");
    expect(set?.message).toMatch(/^set wrote an error: step 1 failed/);
    expect(set?.result).toBe("failed");
  });
});

describe("extern modules imported where first needed", () => {
  /** Runs Invoke-FeatureApp -Mode apply: its first resource installs module FfTestFeature into a new folder, its second calls it. */
  function runFeature(onPath: boolean): { code: number; results: Record<string, string>; failed: string[]; stderr: string } {
    const work = mkdtempSync(join(tmpdir(), "ff-extern-"));
    const script = `
$ErrorActionPreference = 'Stop'
$root = '${join(work, "installed")}'
$env:FF_TEST_MODULE_ROOT = $root
$env:PSModulePath = @('${join(out, "modules")}', '${join(out, "configurations")}'${onPath ? ", $root" : ""}, $env:PSModulePath) -join [IO.Path]::PathSeparator
# The configuration module loads although FfTestFeature is nowhere yet: it is no RequiredModule.
Import-Module -Name 'FeatureApp'
$code = Invoke-FeatureApp -Mode 'apply' -LogDir '${join(work, "logs")}' -StateDir '${join(work, "state")}' 6>$null
$lines = @(Get-ChildItem -LiteralPath '${join(work, "logs")}' -Filter '*.log' | ForEach-Object { Get-Content -LiteralPath $_.FullName } | ForEach-Object { $_ | ConvertFrom-Json })
$results = @{}
foreach ($l in $lines) { if ($l.category -ne 'run' -and $null -ne $l.result) { $results[$l.item] = $l.result } }
[pscustomobject]@{ code = $code; results = $results; failed = @($lines | Where-Object { $_.result -eq 'failed' -and $_.category -ne 'run' } | ForEach-Object { $_.message }) } | ConvertTo-Json -Compress -Depth 3
`;
    const r = runPwsh(script);
    const got = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { code: number; results: Record<string, string>; failed: string[] };
    return { ...got, stderr: r.stderr };
  }

  it("a resource installs the module a later resource's extern needs, in the same run", () => {
    const r = runFeature(true);
    expect(r.stderr).toBe("");
    expect(r.results).toEqual({ install: "changed", setting: "in-desired-state" });
    expect(r.code).toBe(0);
  });

  it("a module that cannot be imported fails the resource that needs it with exit code 34, naming the module", () => {
    const r = runFeature(false);
    expect(r.stderr).toBe("");
    expect(r.results).toEqual({ install: "changed", setting: "failed" });
    expect(r.code).toBe(34);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatch(/module 'FfTestFeature' \(version 1\.2 or later\) could not be imported/);
  });

  it("the author module's manifest requires only fleetform's modules", () => {
    const psd1 = readFileSync(join(out, "modules", "Feature", "Feature.psd1"), "utf8");
    expect(psd1).not.toContain("FfTestFeature");
    expect(readFileSync(join(out, "modules", "Feature", "Feature.psm1"), "utf8")).toContain("Import-FfModule -Name 'FfTestFeature' -MinimumVersion '1.2'");
  });
});
