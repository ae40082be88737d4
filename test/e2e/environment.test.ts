// The CLI on machines that lack something: no pwsh, no Pester, a stale output folder, a build that
// requires pwsh (--require-pwsh, CI=true), and `fleetform setup` making PowerShell + Pester ready
// from NuGet in a fresh config repo. "No pwsh" is simulated by FLEETFORM_PWSH naming a program that
// does not exist and a PATH without pwsh; "no Pester" by the real pwsh without Pester on its PSModulePath.
import { spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { initFiles } from "../../compiler/init/templates.js";
import { powershellToolManifest } from "../../compiler/powershell/setup.js";
import { isReadyToRun, pwshInfo, repoRoot } from "../helpers/pwsh.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const parent = mkdtempSync(join(work, "env-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const NO_STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;

/** PATH without any folder holding a pwsh. */
const pathWithoutPwsh = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((d) => {
    try {
      accessSync(join(d, process.platform === "win32" ? "pwsh.exe" : "pwsh"), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  })
  .join(delimiter);

type Env = Record<string, string | undefined>;

function fleetform(args: readonly string[], env: Env = {}, cwd = repoRoot): { code: number; stdout: string; stderr: string } {
  const merged: NodeJS.ProcessEnv = { ...process.env, CI: "", FLEETFORM_PWSH: "", PATH: pathWithoutPwsh };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: merged });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A small config repo (one module, one configuration) inside the package, so `import "fleetform"` resolves. */
function repo(name: string): string {
  const dir = join(parent, name);
  cpSync(join(repoRoot, "test", "delivery", "fixtures", "pester-gate"), dir, { recursive: true });
  return dir;
}

const missingPwsh = (): Env => ({ FLEETFORM_PWSH: join(parent, "no-such-dir", "pwsh") });

describe("fleetform test without the tools it runs", () => {
  let dir: string;
  beforeAll(() => {
    dir = repo("tools");
    const built = fleetform(["build", dir]);
    expect(built.code, built.stderr).toBe(0);
  });

  it("without pwsh: exits 5 (environment), names what is missing and how to install it, and mentions no report", () => {
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code, r.stdout + r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error FF1017: PowerShell 7 \(pwsh\) is missing: .*no-such-dir\/pwsh \(from FLEETFORM_PWSH\) does not exist; run `npx fleetform setup`/m);
    expect(r.stdout + r.stderr).not.toMatch(/JUnit|junit\.xml/);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(dir, ".fleetform", "test-results", "junit.xml"))).toBe(false);
  });

  it("without Pester: exits 5, says Pester 5 is missing and to run `npx fleetform setup`, without PowerShell's Import-Module error", () => {
    // The real pwsh, with nothing on its module path that holds Pester (and a HOME of its own).
    const home = mkdtempSync(join(parent, "home-"));
    const r = fleetform(["test", dir], { FLEETFORM_PWSH: pwshInfo().command.join(" "), PSModulePath: "", HOME: home, XDG_DATA_HOME: join(home, "data") });
    expect(r.code, r.stdout + r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error FF1017: Pester 5 is missing: pwsh \(.*, from FLEETFORM_PWSH\) cannot import Pester 5\.5\.0 or a later 5\.x; run `npx fleetform setup`/m);
    expect(r.stdout + r.stderr).not.toMatch(/Import-Module|JUnit|junit\.xml/);
    expect(existsSync(join(dir, ".fleetform", "test-results", "junit.xml"))).toBe(false);
  });

  it("--json: the same problem as a diagnostic on stdout", () => {
    const r = fleetform(["test", dir, "--json"], missingPwsh());
    expect(r.code).toBe(5);
    const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string; severity: string }[] };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["error FF1017"]);
  });
});

describe("fleetform test refuses an output folder the sources would not build", () => {
  let dir: string;
  beforeAll(() => {
    dir = repo("stale");
  });

  it("the output of sources with a fragment PowerShell cannot parse (a watch session writes one): exits 1 with that FF3022, and runs no test", async () => {
    const broken = repo("broken-fragment");
    const site = join(broken, "modules", "site", "index.ts");
    const text = readFileSync(site, "utf8");
    expect(text).toContain("-NoNewline`");
    writeFileSync(site, text.replace("-NoNewline`", "-NoNewline (1 +)`"));
    // The output as such a session writes it: everything but PowerShell's check passes.
    const { compile, writeOutput } = await import("../../compiler/index.js");
    const built = await compile({ root: broken, typecheck: false, pwshCheck: false });
    expect(built.ok).toBe(true);
    writeOutput(join(broken, "dist"), built.files);
    const r = fleetform(["test", broken], { FLEETFORM_PWSH: pwshInfo().command.join(" ") });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^modules\/site\/index\.ts:12:\d+: error FF3022: PowerShell syntax error in the set of resource /m);
    expect(r.stdout + r.stderr).not.toMatch(/JUnit|Tests Passed|running the tests/);
  });

  it("no build yet: exits 1 with FF1016, before looking for pwsh", () => {
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error FF1016: \S*dist is not a whole build \(manifest\.json does not exist\); run `fleetform build` first/m);
    expect(r.stdout + r.stderr).not.toMatch(/JUnit|pwsh/);
  });

  it("a file of the build deleted (its Manifest test too, which would have found it): exits 1 with FF1016 naming it, before looking for pwsh", () => {
    expect(fleetform(["build", dir]).code).toBe(0);
    rmSync(join(dir, "dist", "tests", "Manifest.Tests.ps1"));
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error FF1016: \S*dist is not a whole build \(tests\/Manifest\.Tests\.ps1 does not exist\); run `fleetform build` first/m);
    expect(r.stdout + r.stderr).not.toMatch(/JUnit|pwsh/);
    // Built again: the next stop is the missing pwsh (exit 5).
    expect(fleetform(["build", dir]).code).toBe(0);
    expect(fleetform(["test", dir], missingPwsh()).code).toBe(5);
  });

  it("a source changed since the build: exits 1 with FF1015 naming a file that differs; after `fleetform build` it is current again", () => {
    expect(fleetform(["build", dir]).code).toBe(0);
    const site = join(dir, "configurations", "site.ts");
    const text = readFileSync(site, "utf8");
    // A value that reaches the output (the configuration module and its tests).
    const changed = text.replace('text: "welcome"', 'text: "welcome back"');
    expect(changed).not.toBe(text);
    writeFileSync(site, changed);
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error FF1015: \S*dist was not built from the current sources \(\d+ file\(s\) differ, e\.g\. [^)]+\); run `fleetform build` first/m);
    expect(r.stdout + r.stderr).not.toMatch(/JUnit/);
    // Rebuilt: the output is current, so the next stop is the missing pwsh (exit 5), not FF1015.
    expect(fleetform(["build", dir]).code).toBe(0);
    const again = fleetform(["test", dir], missingPwsh());
    expect(again.code, again.stdout + again.stderr).toBe(5);
    expect(again.stderr).not.toContain("FF1015");
  });

  it("a change that does not change the output (a comment) is not stale", () => {
    writeFileSync(join(dir, "configurations", "site.ts"), readFileSync(join(dir, "configurations", "site.ts"), "utf8") + "\n// a note\n");
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code).toBe(5);
    expect(r.stderr).not.toContain("FF1015");
  });

  it("a manifest.json from another build (another file set) is stale", () => {
    const manifest = join(dir, "dist", "manifest.json");
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { files: { path: string }[] };
    m.files.push({ path: "modules/Gone/Gone.psm1" } as never);
    writeFileSync(manifest, JSON.stringify(m, null, 2) + "\n");
    const r = fleetform(["test", dir], missingPwsh());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("1 file(s) no longer built, e.g. modules/Gone/Gone.psm1");
  });
});

describe("--require-pwsh and CI=true", () => {
  let dir: string;
  beforeAll(() => {
    dir = repo("require");
  });

  it("without them, a build without pwsh warns (FF3024) and exits 0", () => {
    const r = fleetform(["build", dir], missingPwsh());
    expect(r.code, r.stderr).toBe(0);
    // The same words as `fleetform test`'s FF1017 for a missing pwsh (one text, compiler/powershell/pwsh.ts).
    expect(r.stderr).toMatch(/^warning FF3024: the PowerShell fragments were not parsed: PowerShell 7 \(pwsh\) is missing: .*no-such-dir\/pwsh \(from FLEETFORM_PWSH\) does not exist; run `npx fleetform setup`/m);
  });

  it("--require-pwsh: FF3024 is an error, exit 5 (environment), and the previous output stays", () => {
    const before = readFileSync(join(dir, "dist", "manifest.json"), "utf8");
    writeFileSync(join(dir, "dist", "marker.txt"), "previous build\n");
    const r = fleetform(["build", dir, "--require-pwsh"], missingPwsh());
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error FF3024: the PowerShell fragments were not parsed/m);
    expect(r.stdout).not.toMatch(/wrote/);
    expect(readFileSync(join(dir, "dist", "marker.txt"), "utf8")).toBe("previous build\n");
    expect(readFileSync(join(dir, "dist", "manifest.json"), "utf8")).toBe(before);
    const check = fleetform(["check", dir, "--require-pwsh", "--json"], missingPwsh());
    expect(check.code).toBe(5);
    expect((JSON.parse(check.stdout) as { diagnostics: { code: string; severity: string }[] }).diagnostics).toMatchObject([{ code: "FF3024", severity: "error" }]);
  });

  it("CI=true implies --require-pwsh (build and plan); CI=false does not", () => {
    const ci = fleetform(["build", dir], { ...missingPwsh(), CI: "true" });
    expect(ci.code, ci.stderr).toBe(5);
    expect(ci.stderr).toMatch(/^error FF3024/m);
    const notCi = fleetform(["build", dir], { ...missingPwsh(), CI: "false" });
    expect(notCi.code, notCi.stderr).toBe(0);
    const plan = fleetform(["plan", "--base", dir, dir, "--no-typecheck"], { ...missingPwsh(), CI: "true" });
    expect(plan.code, plan.stderr).toBe(5);
    expect(plan.stderr).toMatch(/error FF3024/);
  });

  it("with pwsh there, --require-pwsh builds as usual", () => {
    const r = fleetform(["build", dir, "--require-pwsh"], { FLEETFORM_PWSH: pwshInfo().command.join(" ") });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("--require-pwsh does not go with --watch", () => {
    const r = fleetform(["build", dir, "--watch", "--require-pwsh"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not go with --require-pwsh");
  });
});

describe("fleetform setup", () => {
  it("without pwsh and without the .NET SDK: exits 5 and says what to install", () => {
    const dir = repo("setup-bare");
    const r = fleetform(["setup", dir], { PATH: mkdtempSync(join(parent, "empty-path-")) });
    expect(r.code, r.stdout + r.stderr).toBe(5);
    expect(r.stderr).toMatch(/^error FF1017: PowerShell 7 \(pwsh\) is missing: the \.NET SDK \(dotnet, version 8 or later\) is not on PATH/m);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(dir, ".fleetform", "tools", "pwsh.json"))).toBe(false);
  });

  it("from a fresh config repo: PowerShell and Pester from NuGet in .fleetform/tools, which build and test then use", { timeout: 240_000 }, () => {
    const dir = repo("setup-fresh");
    const started = performance.now();
    // (precompiled as on a developer's machine, also when the tests run under CI)
    const r = fleetform(["setup", dir], { FLEETFORM_PRECOMPILE: "1" });
    const seconds = (performance.now() - started) / 1000;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fleetform: PowerShell 7\.6\.9 and Pester 5\.7\.1 ready \(PowerShell from NuGet, precompiled\)/);
    expect(r.stderr).toMatch(/PowerShell 7\.6\.9: precompiling its start-up assemblies for \S+ \(dotnet publish, ReadyToRun; once\)/);
    // (about 20 s of it precompiling on an idle 2-core machine; the tests run beside it)
    expect(seconds, "setup with a warm NuGet cache").toBeLessThan(150);
    const tools = JSON.parse(readFileSync(join(dir, ".fleetform", "tools", "pwsh.json"), "utf8")) as { command: string[]; modulePath: string; powershell: string; pester: string; checkAssembly: string };
    expect(tools).toMatchObject({ powershell: "7.6.9", pester: "5.7.1", modulePath: join(dir, ".fleetform", "tools", "modules"), checkAssembly: join(dir, ".fleetform", "tools", "fragment-check.assembly"), precompiled: true });
    expect(tools.command).toEqual(["dotnet", join(dir, ".fleetform", "tools", "powershell", "7.6.9", "pwsh.dll")]);
    expect(isReadyToRun(join(dir, ".fleetform", "tools", "powershell", "7.6.9", "System.Management.Automation.dll"))).toBe(true);
    // The build's PowerShell check, compiled for this pwsh: an assembly after its header line.
    const compiled = readFileSync(tools.checkAssembly);
    expect(compiled.subarray(0, compiled.indexOf(10)).toString("utf8")).toMatch(/^fleetform-check-assembly 1 [0-9a-f]{64} [0-9a-f]{64}$/);
    expect(compiled.subarray(compiled.indexOf(10) + 1, compiled.indexOf(10) + 3).toString("latin1")).toBe("MZ");
    expect(existsSync(join(tools.modulePath, "Pester", "5.7.1", "Pester.psd1"))).toBe(true);
    expect(readFileSync(join(dir, ".fleetform", ".gitignore"), "utf8")).toBe("*\n");
    expect(r.stderr).toMatch(/PowerShell 7\.6\.9: dotnet tool restore \(NuGet\)/);
    // What a setup killed while precompiling leaves is removed by the next.
    for (const left of ["precompile", "powershell-7.6.9.tmp"]) {
      mkdirSync(join(dir, ".fleetform", "tools", left), { recursive: true });
      writeFileSync(join(dir, ".fleetform", "tools", left, "half-written.dll"), "MZ");
    }
    // Run again: quick (PowerShell is not restored or precompiled again), same result.
    const again = fleetform(["setup", dir], { FLEETFORM_PRECOMPILE: "1" });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stderr).toMatch(/PowerShell 7\.6\.9: already restored and precompiled/);
    expect(again.stderr).not.toMatch(/dotnet tool restore|precompiling/);
    for (const left of ["precompile", "powershell-7.6.9.tmp"]) expect(existsSync(join(dir, ".fleetform", "tools", left)), left).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, ".fleetform", "tools", "pwsh.json"), "utf8"))).toEqual(tools);
    // build and test find the tools without FLEETFORM_PWSH or pwsh on PATH.
    // (with an empty cache: the check setup compiled is used, none is compiled into the cache)
    const cache = mkdtempSync(join(parent, "cache-"));
    const build = fleetform(["build", dir, "--require-pwsh", "--cache-dir", cache]);
    expect(build.stderr).toBe("");
    expect(build.code).toBe(0);
    const cached = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.parentPath.includes("pwsh-check"));
    expect(cached.map((e) => e.name)).toEqual([]);
    const test = fleetform(["test", dir]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^fleetform: running the tests with pwsh from \.fleetform\/tools\/pwsh\.json\n/);
    expect(test.stdout).toMatch(/fleetform: all tests passed; JUnit report at \S*\.fleetform\/test-results\/junit\.xml\n$/);
    expect(readFileSync(join(dir, ".fleetform", "test-results", "junit.xml"), "utf8")).toMatch(/<testcase /);
    // (not in the output folder, which the build owns)
    expect(existsSync(join(dir, "dist", "tests", "junit.xml"))).toBe(false);
    // FLEETFORM_PRECOMPILE=0: back to the tool as NuGet ships it, not restored again.
    const plain = fleetform(["setup", dir], { FLEETFORM_PRECOMPILE: "0" });
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/PowerShell 7\.6\.9: already restored\n/);
    expect(plain.stderr).not.toMatch(/dotnet tool restore|precompil/);
    expect(plain.stdout).toMatch(/ready \(PowerShell from NuGet\)/);
    const after = JSON.parse(readFileSync(join(dir, ".fleetform", "tools", "pwsh.json"), "utf8")) as { command: string[]; precompiled?: boolean };
    expect(after.precompiled).toBeUndefined();
    expect(after.command[1]).toMatch(/[\\/]powershell[\\/]7\.6\.9[\\/]tools[\\/]/);
    expect(isReadyToRun(after.command[1]!)).toBe(false);
  });

  it("with a pwsh already there (FLEETFORM_PWSH): keeps that pwsh and adds only Pester", () => {
    const dir = repo("setup-existing");
    const pwsh = pwshInfo().command.join(" ");
    const home = mkdtempSync(join(parent, "home-"));
    const env = { FLEETFORM_PWSH: pwsh, PSModulePath: "", HOME: home, XDG_DATA_HOME: join(home, "data") };
    const r = fleetform(["setup", dir], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fleetform: PowerShell 7\.6\.9 and Pester 5\.7\.1 ready \(pwsh from FLEETFORM_PWSH\)/);
    const tools = JSON.parse(readFileSync(join(dir, ".fleetform", "tools", "pwsh.json"), "utf8")) as { command: string[] };
    expect(tools.command.join(" ")).toBe(pwsh);
    expect(existsSync(join(dir, ".fleetform", "tools", "dotnet-tools.json"))).toBe(false);
    expect(existsSync(join(dir, ".fleetform", "tools", "modules", "Pester", "5.7.1", "Pester.psd1"))).toBe(true);
  });

  it("with a NuGet packages folder other than the one dotnet's tool cache knows PowerShell in: downloads the package there", { timeout: 240_000 }, () => {
    // dotnet's tool cache (under DOTNET_CLI_HOME) learns PowerShell restored into one packages
    // folder; setup then runs with another (NUGET_PACKAGES changed), where `dotnet tool restore`
    // says "restored" and puts nothing.
    const cliHome = mkdtempSync(join(parent, "dotnet-home-"));
    const [first, second] = [mkdtempSync(join(parent, "nuget-a-")), mkdtempSync(join(parent, "nuget-b-"))];
    const dotnetEnv = { DOTNET_CLI_HOME: cliHome, DOTNET_NOLOGO: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE: "1" };
    // (NuGet reads the user's NuGet.Config, the feeds this machine reaches, under DOTNET_CLI_HOME too)
    const userConfig = join(process.env.DOTNET_CLI_HOME ?? process.env.HOME ?? "", ".nuget", "NuGet", "NuGet.Config");
    if (existsSync(userConfig)) cpSync(userConfig, join(cliHome, ".nuget", "NuGet", "NuGet.Config"));
    const manifestDir = mkdtempSync(join(parent, "tool-manifest-"));
    writeFileSync(join(manifestDir, "dotnet-tools.json"), powershellToolManifest());
    const restored = spawnSync("dotnet", ["tool", "restore", "--tool-manifest", join(manifestDir, "dotnet-tools.json")], { cwd: manifestDir, encoding: "utf8", env: { ...process.env, ...dotnetEnv, NUGET_PACKAGES: first } });
    expect(restored.status, restored.stdout + restored.stderr).toBe(0);
    expect(readdirSync(join(first, "powershell"))).toEqual(["7.6.9"]);
    const dir = repo("setup-other-nuget");
    const r = fleetform(["setup", dir], { ...dotnetEnv, NUGET_PACKAGES: second, FLEETFORM_PRECOMPILE: "0" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/PowerShell 7\.6\.9: not in \S+nuget-b-\S+, though restored \(likely dotnet's tool cache knows it in another packages folder\); dotnet restore of the package \(NuGet\)/);
    const tools = JSON.parse(readFileSync(join(dir, ".fleetform", "tools", "pwsh.json"), "utf8")) as { command: string[]; powershell: string };
    expect(tools.powershell).toBe("7.6.9");
    expect(tools.command[0]).toBe("dotnet");
    expect(tools.command[1]!.startsWith(join(second, "powershell", "7.6.9", "tools"))).toBe(true);
    expect(existsSync(tools.command[1]!)).toBe(true);
    // (the download project is gone)
    expect(readdirSync(join(dir, ".fleetform", "tools")).filter((f) => f.startsWith("download-"))).toEqual([]);
    for (const d of [first, second, cliHome, manifestDir]) rmSync(d, { recursive: true, force: true });
  });
});

describe("the buildspecs (fleetform init's and examples/docutap's)", () => {
  const specs = {
    init: initFiles("my-fleet", "0.1.0")["buildspec.yml"]!,
    docutap: readFileSync(join(repoRoot, "examples", "docutap", "buildspec.yml"), "utf8"),
  };
  for (const [name, text] of Object.entries(specs)) {
    it(`${name}: installs the tools with fleetform setup (no PowerShell Gallery), builds with --require-pwsh, uploads dist/dsc`, () => {
      // Read as CodeBuild does (YAML 1.1).
      const spec = parse(text, { version: "1.1" }) as { env?: { variables?: Record<string, string> }; phases: Record<string, { commands: string[] }> };
      expect(spec.phases.install!.commands).toContain("npx fleetform setup");
      expect(text).not.toMatch(/Install-Module|PSGallery|Install-PSResource/);
      const build = spec.phases.build!.commands;
      const command = "npx fleetform build --require-pwsh --cache-dir .fleetform/cache";
      expect(build.indexOf(command)).toBeGreaterThanOrEqual(0);
      expect(build.indexOf(command)).toBeLessThan(build.findIndex((c) => c.startsWith("npx fleetform test")));
      // The build cache is kept by CodeBuild's cache between builds.
      expect((spec as { cache?: { paths?: string[] } }).cache?.paths).toEqual([".fleetform/cache/**/*"]);
      // MOF_BUCKET/MOF_PREFIX come from the CodeBuild project (pipeline.yaml): a buildspec variable
      // of the same name would override the project's, so the buildspec declares none.
      expect(spec.env?.variables?.MOF_BUCKET).toBeUndefined();
      expect(spec.env?.variables?.MOF_PREFIX).toBeUndefined();
      expect(spec.phases.post_build!.commands).toContain(
        'if [ "$CODEBUILD_BUILD_SUCCEEDING" = "1" ] && [ -n "$MOF_BUCKET" ] && [ -d dist/dsc ]; then (set -e; for d in dist/dsc/*/; do c=$(basename "$d"); h=$(sha256sum "$d/localhost.mof" | cut -c1-16); aws s3 cp "$d" "s3://$MOF_BUCKET/${MOF_PREFIX}dsc/$c/$h/" --recursive; done); fi',
      );
    });
  }
});
