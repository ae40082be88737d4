// Hostile sources through bin/fleetform.js: an endless loop is stopped with one coded diagnostic
// naming the file (build, check, plan and watch), nesting deeper than the compiler follows is one
// coded diagnostic at its place, and a literal written where a secret belongs is not printed back.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;

function fleetform(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8", timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A small valid config repo; `edit` changes its files. */
function makeRepo(edit: (repo: string) => void): string {
  const repo = mkdtempSync(join(work, "limits-"));
  made.push(repo);
  cpSync(join(repoRoot, "test", "e2e", "fixtures", "bad-interpolation"), repo, { recursive: true });
  const mod = join(repo, "modules", "base", "index.ts");
  writeFileSync(mod, readFileSync(mod, "utf8").replace(" -Stamp ${new Date(0) as unknown as string}", ""));
  edit(repo);
  return repo;
}

function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

function only(stderr: string, code: string): void {
  expect(stderr.match(/(?:^|: )(?:error|warning) (?:FF|TS)\d+/gm), stderr).toEqual([expect.stringContaining(code)]);
  expect(stderr).not.toMatch(STACK);
  expect(stderr).not.toContain("FF9001");
}

describe("an endless loop in a config source", () => {
  const repo = makeRepo((r) => {
    writeFileSync(join(r, "modules", "base", "helper.ts"), "export const answer = 42;\nwhile (answer === 42) {}\n");
    replaceIn(join(r, "modules", "base", "index.ts"), 'from "fleetform";\n', 'from "fleetform";\nimport { answer } from "./helper.js";\nexport const theAnswer = answer;\n');
  });
  const said = /error FF1022: evaluating modules\/base\/helper\.ts did not finish within 500 ms/;

  it("stops build and check with FF1022 naming the file that loops", () => {
    for (const command of ["build", "check"]) {
      const r = fleetform([command, repo, "--no-typecheck", "--eval-timeout", "500"]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(said);
      only(r.stderr, "FF1022");
    }
  });

  it("stops plan, for the base and the head", () => {
    const r = fleetform(["plan", "--base", repo, repo, "--no-typecheck", "--eval-timeout", "500"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^base: ${said.source}`, "m"));
    expect(r.stderr).toMatch(new RegExp(`^${said.source}`, "m"));
    expect(r.stderr).not.toMatch(STACK);
  });

  it("stops a watch session's build, which goes on watching", async () => {
    const child = spawn(process.execPath, [bin, "build", repo, "--watch", "--eval-timeout", "500"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const deadline = Date.now() + 240_000;
      while (!stdout.includes("watching for changes") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toContain("fleetform: the first build failed; watching for changes");
      expect(stderr).toMatch(said);
      expect(stderr).not.toMatch(STACK);
    } finally {
      child.kill();
    }
  });

  it("rejects a --eval-timeout that is not a number of milliseconds", () => {
    const r = fleetform(["build", repo, "--eval-timeout", "soon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--eval-timeout takes a whole number of milliseconds");
  });
});

describe("nesting deeper than the compiler follows", () => {
  it("is one FF1023 at the bracket that goes too deep in a source (with the type check too)", () => {
    const repo = makeRepo((r) => replaceIn(join(r, "configurations", "site.ts"), 'content: "hello"', `content: ${"[".repeat(1000)}"hello"${"]".repeat(1000)} as any`));
    const r = fleetform(["build", repo]);
    expect(r.code, r.stderr).toBe(1);
    // `configuration({`, `resources: {` and `File({` open 5 levels; the array's 196th `[` is the 201st level.
    // `    motd: File({ path: "C:\\motd.txt", content: ` is 48 characters: it stands at column 48 + 196.
    expect(r.stderr).toMatch(/^configurations\/site\.ts:9:244: error FF1023: this expression nests too deeply: more than 200 levels of brackets/m);
    only(r.stderr, "FF1023");
  });

  it("is one FF1023 at the callback whose fragment nests 1,000 ps`...` fragments", () => {
    const repo = makeRepo((r) =>
      replaceIn(join(r, "modules", "base", "index.ts"), "export const File", "let deep = ps`1`;\nfor (let i = 0; i < 1000; i++) deep = ps`(${deep})`;\n\nexport const File"),
    );
    replaceIn(join(repo, "modules", "base", "index.ts"), "-eq ${content}`", "-eq ${content} -and ${deep}`");
    const r = fleetform(["build", repo, "--no-typecheck"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^modules\/base\/index\.ts:\d+:3: error FF1023: the test of resource TextFile nests too deeply: more than 200 levels of ps`\.\.\.` fragments/m);
    only(r.stderr, "FF1023");
  });
});

describe("a literal where a secret belongs", () => {
  const withSecret = (value: string): string =>
    makeRepo((r) => {
      replaceIn(join(r, "modules", "base", "index.ts"), "content: t.string() }", "content: t.string(), password: t.secret({ optional: true }) }");
      replaceIn(join(r, "configurations", "site.ts"), 'content: "hello"', `content: "hello", password: ${value}`);
    });

  it("is not printed back with the type check on: the frame stars it out", () => {
    const r = fleetform(["build", withSecret('"Hunter2-TopSecret"')]);
    expect(r.code).toBe(1);
    // tsc and fleetform both reject it; it is reported once (by fleetform when both see it).
    expect(r.stderr.match(/error (TS2322|FF2104): /g), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain('password: "*****************" })');
    expect(r.stdout + r.stderr).not.toContain("Hunter2");
  });

  it("is not printed back by fleetform's FF2104 when the type check is bypassed, nor in --json", () => {
    const repo = withSecret('"Hunter2-TopSecret" as any');
    const r = fleetform(["build", repo, "--no-typecheck"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error FF2104: property 'password' of resource 'TextFile': a secret property takes only a reference/);
    expect(r.stderr).toContain('password: "*****************" as any })');
    expect(r.stdout + r.stderr).not.toContain("Hunter2");
    const json = fleetform(["build", repo, "--no-typecheck", "--json"]);
    expect(json.stdout).toContain("FF2104");
    expect(json.stdout + json.stderr).not.toContain("Hunter2");
  });
});
