// `fleetform init` writes a config repo that builds and passes `fleetform test` as generated.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";
import { parseCfn } from "../delivery/helpers.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const parent = mkdtempSync(join(work, "init-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function fleetform(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("fleetform init", () => {
  const repo = join(parent, "my-fleet");

  it("writes a config repo with one module per layer, two resources, a configuration, tsconfig and buildspec", () => {
    const r = fleetform(["init", repo]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(listFiles(repo)).toEqual([
      ".gitignore",
      "README.md",
      "buildspec.yml",
      "configurations/web.ts",
      "fleetform.config.ts",
      "modules/app/index.ts",
      "modules/platform/index.ts",
      "package.json",
      "pipeline.yaml",
      "tsconfig.json",
    ]);
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { name: string; devDependencies: Record<string, string> };
    expect(pkg.name).toBe("my-fleet");
    expect(pkg.devDependencies.fleetform).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it("refuses a folder that is not empty", () => {
    const r = fleetform(["init", repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not empty");
  });

  it("builds, type-checked, and passes its generated tests under pwsh", () => {
    // What `npm install` would do: make "fleetform" resolve to this package.
    mkdirSync(join(repo, "node_modules"), { recursive: true });
    symlinkSync(repoRoot, join(repo, "node_modules", "fleetform"), "dir");
    const build = fleetform(["build", repo]);
    expect(build.stderr).toBe("");
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/wrote \d+ files .*\(2 modules, 1 configuration\)/);
    const test = fleetform(["test", repo]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    // Pester's output into a pipe (a CI log) has no colour escapes.
    expect(test.stdout).toContain("Tests Passed:");
    expect(test.stdout).not.toMatch(/\x1b\[/);
    const junit = readFileSync(join(repo, ".fleetform", "test-results", "junit.xml"), "utf8");
    expect((junit.match(/<testcase /g) ?? []).length).toBeGreaterThan(20);
    expect(junit).not.toMatch(/<failure/);
    // The report is not in the output folder: the next build finds it as it left it.
    const again = fleetform(["build", repo]);
    expect(again.stdout).toMatch(/is up to date: .*nothing to write/);
  });

  it("writes pipeline.yaml as the build's cloudformation/pipeline.yaml (one source: the pipeline emitter), named by the repo's stack prefix", () => {
    const written = readFileSync(join(repo, "pipeline.yaml"), "utf8");
    expect(written).toBe(readFileSync(join(repo, "dist", "cloudformation", "pipeline.yaml"), "utf8"));
    expect(readFileSync(join(repo, "fleetform.config.ts"), "utf8")).toContain('prefix: "my-fleet"');
    expect(written).toContain("DeploymentGroupName: my-fleet-fleet");
    // The revision is dist/ as it is: appspec.yml at its root, and the buildspec patches nothing.
    expect(existsSync(join(repo, "dist", "appspec.yml"))).toBe(true);
    // Every !Sub has a variable (cfn-lint's W1020: the starter's Systems Manager change set passes no
    // parameter, and its ParameterOverrides were !Sub "{}"; now the plain text).
    const subs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) k === "Fn::Sub" && typeof x === "string" ? subs.push(x) : walk(x);
    };
    walk(parseCfn(written));
    expect(subs.length).toBeGreaterThan(0);
    expect(subs.filter((t) => !/\$\{[A-Za-z0-9:.]+\}/.test(t))).toEqual([]);
    // (nothing copied into place: the one `cp` is the DSC documents' upload, `aws s3 cp` from dist/dsc)
    expect(readFileSync(join(repo, "buildspec.yml"), "utf8").replace(/\baws s3 cp "\$d" /g, "")).not.toMatch(/^\s*- .*\b(cp|mv)\b/m);
  });

  it("fails `fleetform test` when a generated test fails", () => {
    // Break the build output the way a hand edit would: the manifest no longer matches the module.
    const psm1 = join(repo, "dist", "modules", "Platform", "Platform.psm1");
    writeFileSync(psm1, readFileSync(psm1, "utf8").replace("'Get-SettingsKey'", "'Get-SettingKey'"));
    const test = fleetform(["test", repo]);
    expect(test.code).toBe(1);
    expect(existsSync(join(repo, ".fleetform", "test-results", "junit.xml"))).toBe(true);
    expect(readFileSync(join(repo, ".fleetform", "test-results", "junit.xml"), "utf8")).toMatch(/<failure/);
  });
});
