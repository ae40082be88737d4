// scripts/build-runtime.mjs: the runtime module assembled from its sources (stdlib/runtime/src)
// the same way every time, the version written from its one place (stdlib/runtime/version.ts),
// and a source tree it cannot assemble faithfully refused instead of half-built.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assembleRuntime, RUNTIME_SOURCES, SOURCE_DIR, writeRuntime } from "../../scripts/build-runtime.mjs";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { RUNTIME_VERSION } from "../../stdlib/runtime/version.js";
import { moduleGuid } from "../../compiler/util/hash.js";
import { repoRoot } from "../helpers/pwsh.js";

const work = mkdtempSync(join(tmpdir(), "ff-runtime-build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PSM1 = "Fleetform.Runtime.psm1";
const PSD1 = "Fleetform.Runtime.psd1";
const functionsOf = (text: string): string[] => [...text.matchAll(/^function ([A-Za-z-]+) \{$/gm)].map((m) => m[1]!);

/** A copy of the sources to break. */
function sourceCopy(name: string): string {
  const dir = join(work, name);
  cpSync(SOURCE_DIR, dir, { recursive: true });
  return dir;
}

describe("the runtime's build", () => {
  const files = assembleRuntime(RUNTIME_VERSION);

  it("writes the same bytes every time, and they are what the build put into lib/", () => {
    expect(Object.keys(files).sort()).toEqual([PSD1, PSM1]);
    expect(assembleRuntime(RUNTIME_VERSION)).toEqual(files);
    const a = join(work, "a");
    const b = join(work, "b");
    writeRuntime(RUNTIME_VERSION, a);
    writeRuntime(RUNTIME_VERSION, b);
    for (const name of [PSD1, PSM1]) {
      expect(readFileSync(join(a, name))).toEqual(readFileSync(join(b, name)));
      expect(readFileSync(join(a, name), "utf8")).toBe(readFileSync(join(repoRoot, PACKAGE_ASSETS.runtime, name), "utf8"));
    }
    // Nothing of the machine or the moment: no absolute path, no time, no host.
    expect(files[PSM1]).not.toContain(repoRoot);
    expect(files[PSM1]).not.toMatch(/\r/);
  });

  it("puts the version of stdlib/runtime/version.ts into the manifest, its only place", () => {
    expect(files[PSD1]!.match(/^\s*ModuleVersion\s*=.*$/gm)).toEqual([`    ModuleVersion        = '${RUNTIME_VERSION}'`]);
    expect(files[PSD1]).not.toContain("{{");
    for (const source of readdirSync(SOURCE_DIR)) {
      expect(readFileSync(join(SOURCE_DIR, source), "utf8"), source).not.toMatch(/ModuleVersion\s*=\s*'\d/);
      expect(readFileSync(join(SOURCE_DIR, source), "utf8"), source).not.toContain(`'${RUNTIME_VERSION}'`);
    }
    expect(assembleRuntime("2.10.3")[PSD1]).toContain("ModuleVersion        = '2.10.3'");
  });

  it("puts the GUID the compiler gives the name (what generated manifests require) into the manifest, its only place", () => {
    const guid = moduleGuid("Fleetform.Runtime");
    expect(files[PSD1]!.match(/^\s*GUID\s*=.*$/gm)).toEqual([`    GUID                 = '${guid}'`]);
    for (const source of readdirSync(SOURCE_DIR)) expect(readFileSync(join(SOURCE_DIR, source), "utf8"), source).not.toContain(guid);
  });

  it("joins every source once, in RUNTIME_SOURCES order, each between #region and #endregion lines naming it", () => {
    const psm1 = files[PSM1]!;
    let at = 0;
    for (const source of RUNTIME_SOURCES) {
      const text = readFileSync(join(SOURCE_DIR, source), "utf8");
      const block = `#region ${source}\n\n${text}\n#endregion\n`;
      expect(psm1.indexOf(block, at), source).toBeGreaterThanOrEqual(at);
      expect(psm1.split(block).length, source).toBe(2);
      at = psm1.indexOf(block, at) + block.length;
    }
    expect(psm1.slice(at)).toBe("");
    // Strict mode before anything else runs; Export-ModuleMember last.
    expect(psm1.split("\n").find((l) => l.trim() !== "" && !l.trimStart().startsWith("#"))).toBe("Set-StrictMode -Version 3.0");
    expect(psm1).toMatch(/Export-ModuleMember -Function @\([^)]*\)\n\n#endregion\n$/);
    // Each function is defined once, in the file of its concern.
    const all = RUNTIME_SOURCES.flatMap((f) => functionsOf(readFileSync(join(SOURCE_DIR, f), "utf8")));
    expect(new Set(all).size).toBe(all.length);
    expect(functionsOf(psm1)).toEqual(all);
    expect(functionsOf(readFileSync(join(SOURCE_DIR, "resource-steps.ps1"), "utf8"))).toEqual(
      expect.arrayContaining(["Invoke-FfResourceStep", "Invoke-FfDependenciesStep", "Invoke-FfPropertiesStep", "Invoke-FfTestStep", "Invoke-FfSafeStep", "Invoke-FfRebootGuardStep", "Invoke-FfSetStep", "Invoke-FfVerifyStep"]),
    );
  });

  it("refuses a source not in RUNTIME_SOURCES, a missing one, CR line endings, a bad version and a manifest without its version hole", () => {
    const extra = sourceCopy("extra");
    writeFileSync(join(extra, "forgotten.ps1"), "function Get-FfForgotten { }\n");
    expect(() => assembleRuntime(RUNTIME_VERSION, extra)).toThrow(/forgotten\.ps1 is not in RUNTIME_SOURCES/);
    const missing = sourceCopy("missing");
    rmSync(join(missing, "logging.ps1"));
    expect(() => assembleRuntime(RUNTIME_VERSION, missing)).toThrow(/logging\.ps1 is missing/);
    const crlf = sourceCopy("crlf");
    writeFileSync(join(crlf, "values.ps1"), readFileSync(join(crlf, "values.ps1"), "utf8").replace(/\n/g, "\r\n"));
    expect(() => assembleRuntime(RUNTIME_VERSION, crlf)).toThrow(/values\.ps1: CR/);
    const hole = sourceCopy("hole");
    writeFileSync(join(hole, PSD1), readFileSync(join(hole, PSD1), "utf8").replace("'{{version}}'", "'0.1.0'"));
    expect(() => assembleRuntime(RUNTIME_VERSION, hole)).toThrow(/expected one ModuleVersion = '\{\{version\}\}'/);
    for (const version of ["", "1.2", "1.2.3-beta", "v1.2.3"]) expect(() => assembleRuntime(version), version).toThrow(/major\.minor\.patch/);
  });

  it("rewrites only what changed and removes what is not the module's", () => {
    const out = join(work, "out");
    expect(writeRuntime(RUNTIME_VERSION, out).sort()).toEqual([PSD1, PSM1]);
    const before = statSync(join(out, PSM1)).mtimeMs;
    writeFileSync(join(out, "stray.ps1"), "x");
    expect(writeRuntime(RUNTIME_VERSION, out)).toEqual([]);
    expect(statSync(join(out, PSM1)).mtimeMs).toBe(before);
    expect(readdirSync(out).sort()).toEqual([PSD1, PSM1]);
    expect(writeRuntime("9.9.9", out)).toEqual([PSD1]);
  });
});
