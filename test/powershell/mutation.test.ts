// The generated Pester suites are data-driven (-ForEach over a table of resources); these
// mutations prove they still catch broken wiring. Each test builds the `values` golden case,
// breaks one thing in a copy of the output the way a bad emitter or a bad hand edit would, runs
// the generated suite that covers it under real Pester, and expects the named tests to fail:
// 1. a DSC resource wrapper whose Set-TargetResource no longer calls the module's set function;
// 2. a configuration module that dropped a resource's dependsOn ordering;
// 3. a module function whose parameter was renamed;
// 4. the runtime's Invoke-FfDscResource no longer checking that a test returns one [bool].
// The unmutated suites pass (generated.test.ts), so each failure here is the mutation's.
import { cpSync, rmSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../compiler/index.js";
import { repoRoot, runPester } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

let built = "";

beforeAll(async () => {
  const result = await sharedCompile(join(repoRoot, "test", "golden", "cases", "values", "input"));
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  built = join(mkdtempSync(join(tmpdir(), "ff-mutation-")), "dist");
  writeOutput(built, result.files);
});

/** A copy of the build with `file` edited by `edit`, which must change it. */
function mutate(file: string, edit: (text: string) => string): string {
  const out = join(mkdtempSync(join(tmpdir(), "ff-mutant-")), "dist");
  cpSync(built, out, { recursive: true });
  const path = join(out, file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after, `the mutation of ${file} changes nothing`).not.toBe(before);
  writeFileSync(path, after);
  return out;
}

/** Replaces exactly one occurrence. */
function once(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === "string" ? text.split(from).length - 1 : [...text.matchAll(new RegExp(from.source, `${from.flags.replace("g", "")}g`))].length;
  expect(count, `${String(from)} occurs once`).toBe(1);
  return text.replace(from, to);
}

function failedTests(out: string, suite: string): string[] {
  const summary = runPester([join(out, "tests", suite)]);
  // The suite itself ran: the failures are assertions, not a broken file.
  expect(summary.total, summary.output).toBeGreaterThan(5);
  return summary.failures.map((f) => f.name);
}

// Each case builds a copy and runs Pester once: up to two minutes on a busy 2-core machine.
describe("the generated Pester suites fail when wiring breaks", { timeout: 300_000 }, () => {
  it("a generated file edited by hand, or removed (manifest.json's sha256 no longer matches)", () => {
    const out = mutate("modules/Base/Base.psm1", (t) => `${t}# hand edit\n`);
    rmSync(join(out, "modules", "Base", "Base.psd1"));
    const summary = runPester([join(out, "tests", "Manifest.Tests.ps1")]);
    expect(summary.total, summary.output).toBe(1);
    expect(summary.failures.map((f) => f.name)).toEqual(["The output folder.holds every file as fleetform wrote it (sha256 in manifest.json)"]);
    expect(summary.output).toContain("modules/Base/Base.psm1 (changed)");
    expect(summary.output).toContain("modules/Base/Base.psd1 (missing)");
  });

  it("a DSC resource's Set-TargetResource that no longer calls the module's set", () => {
    const out = mutate("modules/Base/DSCResources/Setting/Setting.psm1", (t) => once(t, "-Command { param($__ff) Set-SettingResource @__ff }", "-Command { param($__ff) }"));
    const failed = failedTests(out, "Base.DscResources.Tests.ps1");
    expect(failed).toContain("DSC resources of module Base.DSC resource Setting (DSCResources/Setting/Setting.psm1).Set-TargetResource calls Set-SettingResource once");
    expect(failed.every((name) => name.includes("DSC resource Setting "))).toBe(true);
  });

  it("a configuration that dropped a dependsOn ordering (owner after banner)", () => {
    const out = mutate("configurations/Everything/Everything.psm1", (t) => once(t, /(Id\s+= 'owner'[\s\S]*?DependsOn\s+= )@\('banner'\)/, "$1@()"));
    const failed = failedTests(out, "Everything.Tests.ps1");
    expect(failed).toContain("Configuration Everything.resource banner (Setting).fails when verify finds it still out of the desired state");
  });

  it("a module function whose parameter was renamed", () => {
    const out = mutate("modules/Base/Base.psm1", (t) => once(t, /(function Test-SettingResource \{[\s\S]*?param\(\s*\[Parameter\(Mandatory = \$true\)\](?:\[AllowEmptyString\(\)\])?\s*\[string\]\$)Name\b/, "$1Label"));
    const failed = failedTests(out, "Base.Tests.ps1");
    expect(failed).toContain("Module Base.Test-SettingResource has its parameters, mandatory or optional as declared");
  });

  it("a runtime that no longer checks that a resource's test returns exactly one [bool]", () => {
    const out = mutate("modules/Fleetform.Runtime/Fleetform.Runtime.psm1", (t) => once(t, "if ($result.Count -ne 1 -or $result[0] -isnot [bool]) {", "if ($false) {"));
    const failed = failedTests(out, "App.DscResources.Tests.ps1");
    expect(failed).toContain("DSC resources of module App.DSC resource Motd (DSCResources/Motd/Motd.psm1).Test-TargetResource throws when the test returns two values");
  });
});
