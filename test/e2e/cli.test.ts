// The command line as users run it: node bin/fleetform.js (lib/ is built by `npm test`).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const fixtures = join(repoRoot, "test", "e2e", "fixtures");

function fleetform(args: readonly string[], cwd = repoRoot): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a fixture inside the package (so `import "fleetform"` resolves to this package). */
function copyFixture(name: string): string {
  const parent = join(repoRoot, "test", "e2e", ".work");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

const NO_STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;

describe("fleetform build", () => {
  it("builds examples/docutap into the DESIGN.md layout, byte-identical when run twice", () => {
    const out1 = join(mkdtempSync(join(tmpdir(), "ff-cli-")), "dist");
    const out2 = join(mkdtempSync(join(tmpdir(), "ff-cli-")), "dist");
    const first = fleetform(["build", "examples/docutap", "--out", out1]);
    // Only info notes (FF3063: calls the build cannot link, such as `& $choco`), no warning or error.
    expect(first.stderr).not.toMatch(/: (warning|error) /);
    expect(first.stderr.match(/: info FF\d+:/g)?.length ?? 0).toBe(first.stderr.match(/: \w+ [A-Z]+\d+:/g)?.length ?? 0);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^fleetform: wrote \d+ files to .* \(4 modules, 3 configurations\)\n$/);
    expect(fleetform(["build", "examples/docutap", "--out", out2]).code).toBe(0);
    const files = listFiles(out1);
    for (const expected of [
      "manifest.json",
      "modules/Windows/Windows.psd1",
      "modules/Windows/Windows.psm1",
      "modules/Fleetform.Runtime/Fleetform.Runtime.psd1",
      "configurations/AppServer/AppServer.psm1",
      "ssm/AppServer.yaml",
      "ssm/DatabaseServer.yaml",
      "tests/Windows.Tests.ps1",
      "tests/AppServer.Tests.ps1",
    ]) {
      expect(files).toContain(expected);
    }
    expect(snapshot(out2)).toEqual(snapshot(out1));
    // manifest.json lists every other file with its hash and source.
    const manifest = JSON.parse(readFileSync(join(out1, "manifest.json"), "utf8")) as { files: { path: string; sha256: string; source: string }[] };
    expect(manifest.files.map((f) => f.path)).toEqual(files.filter((f) => f !== "manifest.json" && f !== ".fleetform-output"));
    // The marker that makes dist fleetform's to replace: the same bytes on every build.
    expect(files).toContain(".fleetform-output");
    expect(manifest.files.find((f) => f.path === "modules/Emr/Emr.psm1")?.source).toBe("modules/emr/index.ts");
    // No absolute paths or host names leak into the output.
    for (const [file, text] of Object.entries(snapshot(out1))) {
      expect(text.includes(repoRoot), file).toBe(false);
      expect(text.includes(out1), file).toBe(false);
    }
  });

  it("reports a type error at file:line:col with a code frame, with fleetform's own findings in one list, exits 1, and leaves the previous output untouched", () => {
    const repo = copyFixture("type-error");
    const dist = join(repo, "dist");
    mkdirSync(dist);
    writeFileSync(join(dist, "previous.txt"), "from the last good build\n");
    const before = readdirSync(repo).sort();
    const r = fleetform(["build", repo]);
    expect(r.code).toBe(1);
    // The number for a string property: once, at the value, by fleetform (not TS2322 at `content`).
    expect(r.stderr).toMatch(/^configurations\/site\.ts:9:49: error FF2104: property 'content' of [^:]+: expected a string, got number 42/m);
    expect(r.stderr).toContain("    |                                                 ^^");
    expect(r.stderr).not.toContain("site.ts:9:40");
    // A type error no check of ours sees comes in the same list, after it (sorted by place).
    expect(r.stderr).toMatch(/^configurations\/site\.ts:14:14: error TS2322: Type 'string' is not assignable to type 'number'/m);
    expect(r.stderr.indexOf("9:49: error FF2104")).toBeLessThan(r.stderr.indexOf("14:14: error TS2322"));
    expect(r.stderr).toMatch(/^2 errors$/m);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(snapshot(dist)).toEqual({ "previous.txt": "from the last good build\n" });
    expect(readdirSync(repo).sort()).toEqual(before);
  });

  it("reports a name used without its import once, by the type check, at the use: the build fails and the output stays (not a build of nothing)", () => {
    const repo = copyFixture("type-error");
    const site = join(repo, "configurations", "site.ts");
    const module = join(repo, "modules", "base", "index.ts");
    const siteText = readFileSync(site, "utf8")
      .replace("content: 42", 'content: "hello"')
      .replace(/\n\/\/ A type error[^]*$/, "\n")
      .replace("import { File }", "import { File as TextFile }")
      .replace("motd: File(", "motd: TextFile(");
    const moduleText = readFileSync(module, "utf8");
    writeFileSync(site, siteText);
    const dist = join(repo, "dist");
    expect(fleetform(["build", repo]).code).toBe(0);
    const before = snapshot(dist);
    expect(Object.keys(before).length).toBeGreaterThan(5);
    // A configuration's resource type, then a module's `t` (used twice: two errors), not imported.
    for (const [file, text, at, count] of [
      [site, siteText.replace('import { File as TextFile } from "../modules/base/index.js";\n', ""), /^configurations\/site\.ts:8:11: error TS2304: Cannot find name 'TextFile'\.$/m, "1 error"],
      [module, moduleText.replace("resource, t }", "resource }"), /^modules\/base\/index\.ts:8:23: error TS2304: Cannot find name 't'\.$/m, "2 errors"],
    ] as const) {
      const original = readFileSync(file, "utf8");
      writeFileSync(file, text);
      for (const command of ["build", "check"]) {
        const r = fleetform([command, repo]);
        expect(r.code, `${command} ${file}`).toBe(1);
        expect(r.stderr).toMatch(at);
        expect(r.stderr).toMatch(new RegExp(`^${count}$`, "m"));
        expect(r.stderr).not.toMatch(NO_STACK);
      }
      expect(snapshot(dist)).toEqual(before);
      writeFileSync(file, original);
    }
  });

  it("reports a value that cannot be interpolated into ps at its ${...}, exits 1, writes nothing", () => {
    const repo = copyFixture("bad-interpolation");
    const r = fleetform(["build", repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^modules\/base\/index\.ts:12:94: error FF3001: cannot interpolate a Date object into a ps`\.\.\.` fragment/m);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(repo, "dist"))).toBe(false);
    expect(readdirSync(repo).filter((f) => f.includes("fleetform-"))).toEqual([]);
  });

  it("reports a file that does not parse once, at its place: by tsc, or by the evaluator with --no-typecheck", () => {
    const repo = copyFixture("type-error");
    // "ï" is two bytes in UTF-8: the column counts characters, as tsc's do.
    writeFileSync(join(repo, "configurations", "broken.ts"), '// A file that does not parse.\nexport const note = "naïve" + (;\n');
    const checked = fleetform(["build", repo, "--json"]);
    expect(checked.code).toBe(1);
    const codes = (JSON.parse(checked.stdout) as { diagnostics: { code: string; span?: { file: string } }[] }).diagnostics.filter((d) => d.span?.file === "configurations/broken.ts").map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith("TS"))).toBe(true);
    const unchecked = fleetform(["build", repo, "--no-typecheck"]);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toMatch(/^configurations\/broken\.ts:2:32: error FF1040: configurations\/broken\.ts does not parse as TypeScript: Unexpected ";"$/m);
    expect(unchecked.stderr.match(/error FF10/g)).toHaveLength(1);
    expect(unchecked.stderr).not.toMatch(NO_STACK);
  });

  it("prints the same diagnostics as JSON with --json", () => {
    const repo = copyFixture("bad-interpolation");
    const r = fleetform(["build", repo, "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string; span: { file: string; start: { line: number; column: number } } }[] };
    expect(json.ok).toBe(false);
    expect(json.diagnostics.map((d) => [d.code, d.span.file, d.span.start.line, d.span.start.column])).toEqual([["FF3001", "modules/base/index.ts", 12, 94]]);
  });

  it("refuses an output folder that is the config repo itself", () => {
    const repo = copyFixture("bad-interpolation");
    const r = fleetform(["build", "examples/docutap", "--out", "examples/docutap"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error FF1020: the output folder");
    expect(existsSync(join(repo, "dist"))).toBe(false);
  });
});

describe("fleetform check and usage", () => {
  it("check passes on examples/docutap and writes nothing", () => {
    const before = existsSync(join(repoRoot, "examples", "docutap", "dist")) ? snapshot(join(repoRoot, "examples", "docutap", "dist")) : undefined;
    const r = fleetform(["check", "examples/docutap"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("fleetform: no errors\n");
    const after = existsSync(join(repoRoot, "examples", "docutap", "dist")) ? snapshot(join(repoRoot, "examples", "docutap", "dist")) : undefined;
    expect(after).toEqual(before);
  });

  it("check reports an upward import at the import statement, with a code frame, and exits 1", () => {
    const r = fleetform(["check", "test/e2e/fixtures/upward-import"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "modules/base/index.ts:2:1: error FF2002: module 'Base' (layer 'platform') imports module 'App' (layer 'application'): imports may only point down the layer stack (platform < application)",
        '  1 | import { defineModule, fn, ps, t } from "fleetform";',
        '  2 | import { getAppVersion } from "../app/index.js";',
        "    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "",
        "1 error",
        "",
      ].join("\n"),
    );
  });

  it("check fails where build fails on what the generated files hold, and warns where build warns (an SSM document over its limit, an unused stack parameter)", () => {
    // (check wrote nothing and reported nothing of verify's: it exited 0 where build exited 1)
    const tooLarge = join(repoRoot, "test", "diagnostics", "cases", "document-too-large", "input");
    const check = fleetform(["check", tooLarge]);
    const build = fleetform(["build", tooLarge, "--out", join(mkdtempSync(join(tmpdir(), "ff-check-")), "dist")]);
    expect(build.code).toBe(1);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/error FF4001: SSM document for '/);
    expect(check.stderr).toBe(build.stderr);
    const unused = fleetform(["check", join(repoRoot, "test", "diagnostics", "cases", "stack-parameter-unused", "input")]);
    expect(unused.code).toBe(0);
    expect(unused.stderr).toMatch(/warning FF4008: stack parameter 'CostCenter'/);
    // ("no errors" alone, after the warnings' "1 warning", read as if nothing had been found)
    expect(unused.stdout).toBe("fleetform: no errors (1 warning, above)\n");
  });

  it("check fails with exit 1 on a type error", () => {
    expect(fleetform(["check", copyFixture("type-error")]).code).toBe(1);
  });

  it("exits 2 on usage errors", () => {
    expect(fleetform([]).code).toBe(2);
    expect(fleetform(["frobnicate"]).code).toBe(2);
    expect(fleetform(["build", "--bogus"]).code).toBe(2);
    expect(fleetform(["build", "does/not/exist"]).code).toBe(2);
    const watchJson = fleetform(["build", "--watch", "--json"]);
    expect(watchJson.code).toBe(2);
    expect(watchJson.stderr).toContain("--watch prints a line per rebuild; it does not go with --json");
    const help = fleetform(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: fleetform <command>");
    // A command's help: its own entry, and the options for it (not another command's).
    const test = fleetform(["test", "--help"]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^Usage: fleetform test \[dir\] \[options\]\n\n  test \[dir\] +run the built output's Pester tests/);
    expect(test.stdout).toContain("--junit <file>");
    expect(test.stdout).not.toMatch(/^ {2}(build|init|plan) /m);
    const testOptions = test.stdout.split("Exit codes:")[0]!;
    expect(testOptions).not.toContain("--fail-on-change");
    expect(testOptions).not.toContain("--cache-dir");
    expect(test.stdout).toContain("Exit codes:");
    const plan = fleetform(["plan", "--help"]);
    expect(plan.stdout).toContain("--fail-on-change");
    expect(plan.stdout).toContain("--require-pwsh");
    expect(plan.stdout).not.toContain("--junit");
    // --out is a folder for build and test, a file for graph: each command's help says its own.
    const graphOptions = fleetform(["graph", "--help"]).stdout.split("Exit codes:")[0]!;
    expect(graphOptions).toMatch(/^ {2}--out <file> +graph: the file to write the picture to/m);
    expect(graphOptions).not.toContain("output folder");
    const buildOptions = fleetform(["build", "--help"]).stdout.split("Exit codes:")[0]!;
    expect(buildOptions).toMatch(/^ {2}--out <dir> +build, test: the output folder/m);
    expect(buildOptions).not.toContain("graph:");
    // An option the command does not take is refused (exit 2, the command's help), not ignored.
    const target = mkdtempSync(join(tmpdir(), "ff-init-out-"));
    const initOut = fleetform(["init", target, "--out", "elsewhere"]);
    expect(initOut.code).toBe(2);
    expect(initOut.stderr).toMatch(/^fleetform: --out goes with build, test and graph\n\nUsage: fleetform init /);
    expect(readdirSync(target)).toEqual([]);
    expect(fleetform(["check", "examples/docutap", "--out", "x"]).stderr).toMatch(/^fleetform: --out goes with build, test and graph\n\nUsage: fleetform check /);
    // A malformed option after a command: that command's help.
    const missing = fleetform(["test", "--junit"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^fleetform: Option '--junit <value>' argument missing\n\nUsage: fleetform test /);
    // A misspelt option or command: the nearest one, not parseArgs' words about positionals.
    const outt = fleetform(["build", "examples/docutap", "--outt", "x"]);
    expect(outt.code).toBe(2);
    expect(outt.stderr).toMatch(/^fleetform: unknown option '--outt'; did you mean '--out'\?\n\nUsage: fleetform build /);
    const bulid = fleetform(["bulid", "examples/docutap"]);
    expect(bulid.code).toBe(2);
    expect(bulid.stderr).toMatch(/^fleetform: unknown command 'bulid'; did you mean 'build'\?\n/);
    expect(fleetform(["build", "-x"]).stderr).toMatch(/^fleetform: unknown option '-x'\n/);
  });

  it("reports a bad option value as FF1026 (exit 2), before anything is built", () => {
    const timeout = fleetform(["build", "examples/docutap", "--eval-timeout", "soon"]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/^error FF1026: --eval-timeout takes a whole number of milliseconds \(0: no limit\), not 'soon'$/m);
    // (with that command's usage, not every command's)
    expect(timeout.stderr).toContain("Usage: fleetform build [dir] [options]");
    expect(timeout.stderr).not.toContain("Commands:");
    const format = fleetform(["graph", "examples/docutap", "--format", "png"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/^error FF1026: --format takes one of mermaid, dot, svg, json, not 'png'$/m);
    expect(format.stdout).toBe("");
  });

  it("reports a file it cannot write as FF1024 (exit 1), without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "ff-write-"));
    const graph = fleetform(["graph", "examples/docutap", "--out", join(dir, "no-such-folder", "graph.md")]);
    expect(graph.code).toBe(1);
    expect(graph.stderr).toMatch(/^error FF1024: could not write .*no-such-folder\/graph\.md: ENOENT/m);
    expect(graph.stderr).not.toMatch(NO_STACK);
    // setup's tools folder, where a file stands in the way (before any tool is looked for).
    const repo = copyFixture("upward-import");
    writeFileSync(join(repo, ".fleetform"), "not a folder\n");
    const setup = fleetform(["setup", repo]);
    expect(setup.code).toBe(1);
    expect(setup.stderr).toMatch(/^error FF1024: could not write .*\.fleetform.*: (ENOTDIR|EEXIST)/m);
    expect(setup.stderr).not.toMatch(NO_STACK);
  });

  it("reports a folder without fleetform.config.ts", () => {
    const empty = mkdtempSync(join(tmpdir(), "ff-empty-"));
    const r = fleetform(["build", empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error FF1001: no fleetform.config.ts found in");
  });
});
