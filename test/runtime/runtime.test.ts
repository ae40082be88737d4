// Runs the hand-written runtime module Fleetform.Runtime through PowerShell: its parser, the
// manifest checks and its Pester 5 suite, on the module as the build assembles it from its
// sources (stdlib/runtime/src, scripts/build-runtime.mjs; test/setup/runtime.ts assembles it
// before the tests). The module targets Windows PowerShell 5.1; these checks run on pwsh 7, so
// the 5.1-only traps are also scanned for here as a backstop.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { RUNTIME_VERSION } from "../../stdlib/runtime/version.js";
import { parseWithPowerShell, repoRoot, runPester, runPwsh } from "../helpers/pwsh.js";

const runtimeDir = join(repoRoot, "stdlib", "runtime");
const moduleDir = join(repoRoot, PACKAGE_ASSETS.runtime);
const sourceDir = join(runtimeDir, "src");
const testsDir = join(runtimeDir, "tests");
const manifestPath = join(moduleDir, "Fleetform.Runtime.psd1");

const isPowerShellFile = (name: string): boolean => /\.(ps1|psm1|psd1)$/i.test(name);
const moduleFiles = readdirSync(moduleDir).filter(isPowerShellFile).sort().map((f) => join(moduleDir, f));
// The sources, each a PowerShell file of its own (the psd1 is the manifest with a version hole).
const sourceFiles = readdirSync(sourceDir).filter(isPowerShellFile).sort().map((f) => join(sourceDir, f));
const testFiles = readdirSync(testsDir).filter((f) => f.endsWith(".Tests.ps1")).sort().map((f) => join(testsDir, f));
// Scripts the Pester tests start in a new PowerShell process (e.g. the simulated reboot).
const supportDir = join(testsDir, "support");
const supportFiles = readdirSync(supportDir).filter(isPowerShellFile).sort().map((f) => join(supportDir, f));

const expectedFunctions = [
  "Complete-FfRun",
  "Get-FfCredential",
  "Get-FfEnvironmentValue",
  "Get-FfImdsToken",
  "Get-FfInstanceId",
  "Get-FfInstanceTag",
  "Get-FfSecret",
  "Get-FfSsmParameter",
  "Import-FfModule",
  "Initialize-FfRun",
  "Invoke-FfDscResource",
  "Invoke-FfResource",
  "Invoke-FfScript",
  "Protect-FfDirectory",
  "Write-FfLog",
];

/** Lines of code with whole-line comments and block comments (comment-based help) removed. */
function codeLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inBlock = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    let line = raw;
    if (inBlock) {
      const end = line.indexOf("#>");
      if (end < 0) return;
      line = line.slice(end + 2);
      inBlock = false;
    }
    const start = line.indexOf("<#");
    if (start >= 0) {
      const end = line.indexOf("#>", start + 2);
      if (end < 0) {
        inBlock = true;
        line = line.slice(0, start);
      } else {
        line = line.slice(0, start) + line.slice(end + 2);
      }
    }
    if (/^\s*#/.test(line)) return;
    out.push({ line: index + 1, text: line });
  });
  return out;
}

// Constructs that Windows PowerShell 5.1 does not parse or does not have (see the PowerShell
// notes, section 2). The Pester suite checks the same with the AST; this is the cheap backstop.
const sevenOnly: readonly { name: string; pattern: RegExp }[] = [
  { name: "null-coalescing ??", pattern: /\?\?/ },
  { name: "null-conditional ?. or ?[", pattern: /\}\?\.|\}\?\[|\w\?\.\w/ },
  { name: "ternary operator", pattern: /[\w)\]]\s+\?\s+[^\s'"]+\s+:\s/ },
  { name: "pipeline chain && or ||", pattern: /&&|\|\|/ },
  { name: "ForEach-Object -Parallel", pattern: /-Parallel\b/i },
  { name: "clean block", pattern: /^\s*clean\s*\{/im },
  { name: "`e escape", pattern: /`e/ },
  { name: "`u{} escape", pattern: /`u\{/ },
  { name: "ConvertFrom-Json -AsHashtable", pattern: /-AsHashtable\b/i },
  { name: "ConvertFrom-Json -Depth", pattern: /ConvertFrom-Json\b[^\n|]*-Depth\b/i },
  { name: "$IsWindows / $IsLinux / $IsMacOS", pattern: /\$Is(Windows|Linux|MacOS)\b/i },
];

describe("Fleetform.Runtime (stdlib/runtime)", () => {
  it("parses with PowerShell's parser without errors", () => {
    const parsed = parseWithPowerShell([...moduleFiles, ...sourceFiles, ...testFiles, ...supportFiles]);
    for (const [file, errors] of parsed) {
      expect({ file, errors }).toEqual({ file, errors: [] });
    }
  });

  it("is pure ASCII (no BOM needed on 5.1) and uses none of the PowerShell 7-only tokens", () => {
    for (const file of [...moduleFiles, ...sourceFiles, ...testFiles, ...supportFiles]) {
      const bytes = readFileSync(file);
      const nonAscii = bytes.findIndex((b) => b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d));
      expect({ file, nonAsciiAt: nonAscii }).toEqual({ file, nonAsciiAt: -1 });
    }
    for (const file of [...moduleFiles, ...sourceFiles, ...supportFiles]) {
      const found: string[] = [];
      for (const { line, text } of codeLines(readFileSync(file, "utf8"))) {
        for (const { name, pattern } of sevenOnly) {
          if (pattern.test(text)) found.push(`${file}:${line}: ${name}: ${text.trim()}`);
        }
      }
      expect(found).toEqual([]);
    }
  });

  it("has a manifest that Test-ModuleManifest accepts, exporting exactly FunctionsToExport", () => {
    const script = [
      "$ErrorActionPreference = 'Stop'",
      `$path = '${manifestPath.replace(/'/g, "''")}'`,
      "$manifest = Test-ModuleManifest -Path $path",
      "$data = Import-PowerShellDataFile -Path $path",
      "$module = Import-Module -Name $path -Force -PassThru",
      "[ordered]@{",
      "  exported = @($manifest.ExportedFunctions.Keys | Sort-Object)",
      "  listed = @($data.FunctionsToExport)",
      "  imported = @($module.ExportedCommands.Keys | Sort-Object)",
      "  version = [string]$manifest.Version",
      "  guid = [string]$manifest.Guid",
      "} | ConvertTo-Json -Depth 3 -Compress",
    ].join("\n");
    const r = runPwsh(script);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { exported: string[]; listed: string[]; imported: string[]; version: string; guid: string };
    expect(out.listed).toEqual(expectedFunctions);
    expect(out.exported).toEqual(expectedFunctions);
    expect(out.imported).toEqual(expectedFunctions);
    // The build wrote the version of stdlib/runtime/version.ts (its one place, which the compiler imports).
    expect(out.version).toBe(RUNTIME_VERSION);
    expect(out.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(out.guid).toBe("4f35ebf1-9635-5eae-96f3-9b02393dbd8d");
  });

  // Minutes, not seconds, on a loaded machine: a few hundred tests, many with mocks, in one pwsh process.
  it("passes its Pester 5 tests", { timeout: 480_000 }, () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const summary = runPester(testFiles);
    expect(summary.failures).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.result).toBe("Passed");
    expect(summary.total).toBeGreaterThanOrEqual(105);
    expect(summary.passed).toBe(summary.total - summary.skipped);
  });
});
