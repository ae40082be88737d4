// `fleetform plan` as users run it: node bin/fleetform.js (lib/ is built by `npm test` / `npx tsc -p .`),
// against a throwaway git repository made inside this package (so the head's `import "fleetform"`
// resolves for the type check) under test/plan/.work/.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBaseProblem, resolveBase } from "../../compiler/plan/base.js";
import { repoRoot } from "../helpers/pwsh.js";
import { goldenJson } from "./golden.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const cases = join(repoRoot, "test", "plan", "cases");
const work = join(repoRoot, "test", "plan", ".work");

function fleetform(args: readonly string[], cwd = repoRoot): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "fleetform tests",
  GIT_AUTHOR_EMAIL: "tests@fleetform.invalid",
  GIT_COMMITTER_NAME: "fleetform tests",
  GIT_COMMITTER_EMAIL: "tests@fleetform.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", ...args], { cwd, encoding: "utf8", env: GIT_ENV });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Replaces the config repo at `infra/` with `from` and commits it. */
function commit(repo: string, from: string, message: string): string {
  rmSync(join(repo, "infra"), { recursive: true, force: true });
  cpSync(from, join(repo, "infra"), { recursive: true });
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
  return git(repo, "rev-parse", "--short=7", "HEAD");
}

function planTemps(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith("fleetform-plan-"));
}

let repo: string;
let broken: string;
let base: string;
let tempsBefore: string[];

beforeAll(() => {
  tempsBefore = planTemps();
  mkdirSync(work, { recursive: true });
  repo = mkdtempSync(join(work, "git-"));
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "A repository with a config repo in infra/.\n");
  // 1: a base that does not compile (a dependsOn naming no resource; only the type check or the check phase sees it).
  const brokenDir = mkdtempSync(join(work, "broken-"));
  cpSync(join(cases, "property-change", "base"), brokenDir, { recursive: true });
  const web = join(brokenDir, "configurations", "web-server.ts");
  writeFileSync(web, readFileSync(web, "utf8").replace('dependsOn: ["owner"]', 'dependsOn: ["nothing"]'));
  broken = commit(repo, brokenDir, "broken");
  rmSync(brokenDir, { recursive: true, force: true });
  // 2 and 3: the property-change case's base and head.
  base = commit(repo, join(cases, "property-change", "base"), "base");
  commit(repo, join(cases, "property-change", "head"), "head");
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  if (existsSync(work) && readdirSync(work).length === 0) rmSync(work, { recursive: true, force: true });
});

describe("fleetform plan --base <git ref>", () => {
  it("prints the golden Markdown for a ref of the repository holding the config repo, exit 0", () => {
    const r = fleetform(["plan", "--base", "HEAD~1", "infra"], repo);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const expected = readFileSync(join(cases, "property-change", "expected.md"), "utf8").replace("Base `base` → head `head`.", `Base \`HEAD~1 (${base})\` → head \`infra\`.`);
    expect(r.stdout).toBe(expected);
  });

  it("exits 4 with --fail-on-change when there are changes, 0 when there are none", () => {
    const changed = fleetform(["plan", "--base", "HEAD~1", "infra", "--fail-on-change"], repo);
    expect(changed.code).toBe(4);
    expect(changed.stdout).toContain("## fleetform plan: 1 configuration, 2 resources, 3 files changed, permissions widened\n");
    const same = fleetform(["plan", "--base", "HEAD", "infra", "--fail-on-change"], repo);
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^## fleetform plan\n\nBase `HEAD \([0-9a-f]{7}\)` → head `infra`\.\n\nNo changes\.\n$/);
  });

  it("compares the working tree (uncommitted edits included) when run inside the config repo", () => {
    const web = join(repo, "infra", "configurations", "web-server.ts");
    const committed = readFileSync(web, "utf8");
    try {
      writeFileSync(web, committed.replace('schedule: "rate(30 minutes)"', 'schedule: "rate(1 hour)"'));
      const r = fleetform(["plan", "--base", "main", "--fail-on-change"], join(repo, "infra"));
      expect(r.stderr).toBe("");
      expect(r.code).toBe(4);
      expect(r.stdout).toContain("Base `main (");
      expect(r.stdout).toContain("→ head `.`.");
      expect(r.stdout).toContain('| `schedule` | `"rate(30 minutes)"` | `"rate(1 hour)"` |');
    } finally {
      writeFileSync(web, committed);
    }
  });

  it("labels the base's diagnostics and exits 1 when the base does not compile", () => {
    const r = fleetform(["plan", "--base", "HEAD~2", "infra"], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^base: configurations\/web-server\.ts:\d+:\d+: error FF\d{4}: .*nothing/m);
    expect(r.stderr).toContain(`1 error in the base (HEAD~2 (${broken}))\n`);
    const json = fleetform(["plan", "--base", "HEAD~2", "infra", "--json"], repo);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; plan: unknown; diagnostics: { build: string; severity: string }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.plan).toBeNull();
    expect(parsed.diagnostics.map((d) => [d.build, d.severity])).toEqual([["base", "error"]]);
  });

  it("rejects what is neither a folder nor a ref, and a missing --base (exit 2)", () => {
    const bad = fleetform(["plan", "--base", "no-such-branch", "infra"], repo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("fleetform: --base 'no-such-branch' is neither a folder nor a commit of the git repository at");
    const missing = fleetform(["plan", "infra"], repo);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("fleetform: plan needs --base <dir | git ref>");
  });

  it("says so when the config repo did not exist at the ref (exit 1)", () => {
    mkdirSync(join(repo, "other"), { recursive: true });
    const r = fleetform(["plan", "--base", "HEAD~2", "other"], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fleetform: other does not exist at HEAD~2 \([0-9a-f]{7}\)\n$/);
  });

  it("works for a config repo inside this package (examples/docutap at HEAD), which imports fleetform", () => {
    const r = fleetform(["plan", "--base", "HEAD", "examples/docutap", "--fail-on-change"]);
    expect(r.stderr).not.toMatch(/^base: /m);
    // 0 when the working tree's examples/docutap is as committed, 4 while someone is changing it.
    expect([0, 4]).toContain(r.code);
    expect(r.stdout).toMatch(/^## fleetform plan.*\n\nBase `HEAD \([0-9a-f]{7}\)` → head `examples\/docutap`\.\n/);
  });

  it("removes the temporary copy of the base", () => {
    const b = resolveBase("HEAD~1", join(repo, "infra"));
    if (isBaseProblem(b)) throw new Error(b.problem);
    expect(b.label).toBe(`HEAD~1 (${base})`);
    expect(readFileSync(join(b.root, "configurations", "web-server.ts"), "utf8")).toContain('content: "Welcome" }');
    expect(existsSync(join(b.root, "fleetform.config.ts"))).toBe(true);
    b.cleanup();
    expect(existsSync(b.root)).toBe(false);
    expect(planTemps().filter((n) => !tempsBefore.includes(n))).toEqual([]);
  });
});

describe("fleetform plan --base <dir>", () => {
  const dir = join("test", "plan", "cases", "target-change");

  it("compares two folders: Markdown, JSON equal to the golden plan, --fail-on-change", () => {
    const md = fleetform(["plan", "--base", join(dir, "base"), join(dir, "head")]);
    expect(md.stderr).toBe("");
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(readFileSync(join(repoRoot, dir, "expected.md"), "utf8").replace("Base `base` → head `head`.", `Base \`${join(dir, "base")}\` → head \`${join(dir, "head")}\`.`));

    const json = fleetform(["plan", "--base", join(dir, "base"), join(dir, "head"), "--json", "--fail-on-change"]);
    expect(json.code).toBe(4);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; base: string; head: string; diagnostics: unknown[]; plan: unknown };
    expect(parsed).toMatchObject({ ok: true, base: join(dir, "base"), head: join(dir, "head"), diagnostics: [] });
    expect(goldenJson(parsed.plan)).toBe(readFileSync(join(repoRoot, dir, "expected.json"), "utf8"));
  });

  it("prints No changes. for the same folder twice", () => {
    const r = fleetform(["plan", "--base", join(dir, "base"), join(dir, "base"), "--fail-on-change"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nNo changes.\n");
  });
});
