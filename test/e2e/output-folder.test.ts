// The output folder is replaced whole, so fleetform replaces only a folder it wrote (or an empty
// one, or none): never .git, node_modules, the config repo or its parents, or a folder holding
// anything else. Builds into one folder take turns; a killed build's leftovers go with the next one.
// All through bin/fleetform.js, as users run it.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listFiles } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const NO_STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;
// The slow checks are not what is tested here (the PowerShell parse still runs).
const FAST = ["--no-typecheck"];

function fleetform(args: readonly string[], cwd = repoRoot): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function start(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; pid: number }> & { pid: number; kill: () => void } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; pid: number }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid! })),
  );
  return Object.assign(done, { pid: child.pid!, kill: () => child.kill("SIGKILL") });
}

/** A small valid config repo in its own parent folder (inside the package, so "fleetform" resolves), as a git repository. */
function makeRepo(config = 'export default defineConfig({ layers: ["base"] });'): string {
  const parent = mkdtempSync(join(work, "out-"));
  made.push(parent);
  const repo = join(parent, "repo");
  cpSync(join(repoRoot, "test", "e2e", "fixtures", "bad-interpolation"), repo, { recursive: true });
  const mod = join(repo, "modules", "base", "index.ts");
  writeFileSync(mod, readFileSync(mod, "utf8").replace(" -Stamp ${new Date(0) as unknown as string}", ""));
  writeFileSync(join(repo, "fleetform.config.ts"), `import { defineConfig } from "fleetform";\n\n${config}\n`);
  const git = (...args: string[]): void => {
    const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  };
  git("init", "-q", ".");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
  return repo;
}

/** Every file under dir (dot files too) with its sha256. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")]));
}

/** Temporary folders and lock files of builds into `out`. */
function leftovers(out: string): string[] {
  const name = out.split(/[\\/]/).pop()!;
  return readdirSync(dirname(out)).filter((f) => f.startsWith(`.${name}.fleetform-`));
}

/** Refused with one diagnostic, whose code names the reason (`code`) and which says `what`. */
function expectRefused(r: { code: number; stderr: string }, code: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: the output folder `, "m"));
  expect(r.stderr).toMatch(what);
  expect(r.stderr.match(/error FF/g)).toHaveLength(1);
  expect(r.stderr).not.toMatch(NO_STACK);
}

describe("fleetform build: the output folder", () => {
  it("refuses --out .git and leaves the repository's history intact", () => {
    const repo = makeRepo();
    const before = tree(join(repo, ".git"));
    const r = fleetform(["build", repo, "--out", join(repo, ".git"), ...FAST]);
    expectRefused(r, "FF1030", /is a \.git folder/);
    expect(tree(join(repo, ".git"))).toEqual(before);
    expect(spawnSync("git", ["log", "--format=%s"], { cwd: repo, encoding: "utf8" }).stdout).toBe("first\n");
    // Nor a folder inside it.
    expectRefused(fleetform(["build", repo, "--out", join(repo, ".git", "objects"), ...FAST]), "FF1030", /is inside a \.git folder/);
    expect(tree(join(repo, ".git"))).toEqual(before);
  });

  it("refuses --out node_modules (there or not) and leaves it intact", () => {
    const repo = makeRepo();
    expectRefused(fleetform(["build", repo, "--out", join(repo, "node_modules"), ...FAST]), "FF1030", /is a node_modules folder/);
    expect(existsSync(join(repo, "node_modules"))).toBe(false);
    mkdirSync(join(repo, "node_modules", "left-pad"), { recursive: true });
    writeFileSync(join(repo, "node_modules", "left-pad", "index.js"), "module.exports = 1;\n");
    const before = tree(join(repo, "node_modules"));
    expectRefused(fleetform(["build", repo, "--out", join(repo, "node_modules"), ...FAST]), "FF1030", /is a node_modules folder/);
    expect(tree(join(repo, "node_modules"))).toEqual(before);
  });

  it("refuses an unrelated folder that is not empty, outside the repo or in it, and leaves it intact", () => {
    const repo = makeRepo();
    const outside = mkdtempSync(join(tmpdir(), "ff-unrelated-"));
    made.push(outside);
    mkdirSync(join(outside, "photos"));
    writeFileSync(join(outside, "photos", "cat.jpg"), "not really a cat\n");
    const before = tree(outside);
    expectRefused(fleetform(["build", repo, "--out", outside, ...FAST]), "FF1035", /is not empty and was not written by fleetform/);
    expect(tree(outside)).toEqual(before);
    expect(leftovers(outside)).toEqual([]);
    // A folder of the repo that holds no source but other things (docs) is just as unrelated.
    mkdirSync(join(repo, "docs"));
    writeFileSync(join(repo, "docs", "notes.md"), "# notes\n");
    expectRefused(fleetform(["build", repo, "--out", join(repo, "docs"), ...FAST]), "FF1035", /is not empty and was not written by fleetform/);
    expect(readFileSync(join(repo, "docs", "notes.md"), "utf8")).toBe("# notes\n");
    // The repo's parent folder, and the root of the file system.
    expectRefused(fleetform(["build", repo, "--out", dirname(repo), ...FAST]), "FF1020", /is the config repo or contains it/);
    expectRefused(fleetform(["build", repo, "--out", "/", ...FAST]), "FF1020", /is the config repo or contains it/);
  });

  it("takes `out: \"../elsewhere\"` from fleetform.config.ts: refused while it holds other things, written when empty, replaced once it is fleetform's", () => {
    const repo = makeRepo('export default defineConfig({ layers: ["base"], out: "../elsewhere" });');
    const elsewhere = join(dirname(repo), "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "keep.txt"), "mine\n");
    expectRefused(fleetform(["build", repo, ...FAST]), "FF1035", /elsewhere is not empty and was not written by fleetform/);
    expect(tree(elsewhere)).toEqual({ "keep.txt": createHash("sha256").update("mine\n").digest("hex") });
    rmSync(join(elsewhere, "keep.txt"));
    const r = fleetform(["build", repo, ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(elsewhere, "manifest.json"))).toBe(true);
    expect(existsSync(join(elsewhere, ".fleetform-output"))).toBe(true);
    expect(leftovers(elsewhere)).toEqual([]);
  });

  it("replaces its own previous output (marked, or an older fleetform's whose manifest lists every file), byte-identically", () => {
    const repo = makeRepo();
    const dist = join(repo, "dist");
    expect(fleetform(["build", repo, ...FAST]).code).toBe(0);
    const first = tree(dist);
    expect(readFileSync(join(dist, ".fleetform-output"), "utf8")).toBe("This folder is written by `fleetform build`, which replaces all of it on every build.\nDo not keep anything else here.\n");
    writeFileSync(join(dist, "stale.txt"), "from an older build\n");
    expect(fleetform(["build", repo, ...FAST]).code).toBe(0);
    expect(tree(dist)).toEqual(first);
    // An older fleetform wrote no marker: its folder is recognised by its manifest.json listing every file...
    rmSync(join(dist, ".fleetform-output"));
    expect(fleetform(["build", repo, ...FAST]).code).toBe(0);
    expect(tree(dist)).toEqual(first);
    // ...but not once it holds a file the manifest does not list.
    rmSync(join(dist, ".fleetform-output"));
    writeFileSync(join(dist, "notes.md"), "mine\n");
    expectRefused(fleetform(["build", repo, ...FAST]), "FF1035", /is not empty and was not written by fleetform/);
    expect(readFileSync(join(dist, "notes.md"), "utf8")).toBe("mine\n");
  });

  it("leaves the folder as it was when PowerShell's check fails after the output was written aside, in place (cache) or swapped (--no-cache)", () => {
    const repo = makeRepo();
    const dist = join(repo, "dist");
    const cache = join(dirname(repo), "cache");
    expect(fleetform(["build", repo, ...FAST, "--cache-dir", cache]).code).toBe(0);
    const first = tree(dist);
    // The output is written aside while pwsh parses the generated files; here a fragment PowerShell
    // cannot parse fails the build only then (FF3022), after TypeScript and fleetform's own checks.
    const mod = join(repo, "modules", "base", "index.ts");
    writeFileSync(mod, readFileSync(mod, "utf8").replace("get: ({ path }) => ps`@{", "get: ({ path }) => ps`if ($true) { @{"));
    for (const how of [["--cache-dir", cache], ["--no-cache"]]) {
      const r = fleetform(["build", repo, ...FAST, ...how]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.match(/error FF\d+/g), r.stderr).toEqual(["error FF3022"]);
      expect(tree(dist), how.join(" ")).toEqual(first);
      expect(leftovers(dist), how.join(" ")).toEqual([]);
    }
  }, 120_000);

  it("lets two concurrent builds into one folder take turns: both succeed, one complete output, nothing left beside it", async () => {
    const repo = makeRepo();
    const dist = join(repo, "dist");
    const [a, b] = await Promise.all([start(["build", repo, ...FAST]), start(["build", repo, ...FAST])]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(a.stderr + b.stderr).toBe("");
    expect(leftovers(dist)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as { files: { path: string }[] };
    expect(listFiles(dist)).toEqual([".fleetform-output", "manifest.json", ...manifest.files.map((f) => f.path)].sort());
  });

  it("takes over the lock of a build whose process is gone", () => {
    const repo = makeRepo();
    const dist = join(repo, "dist");
    // The lock of a process that is gone (a SIGKILLed build) is stale.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(join(repo, ".dist.fleetform-lock"), `${dead.stdout}\n`);
    const r = fleetform(["build", repo, ...FAST]);
    expect(r.code, r.stderr).toBe(0);
    expect(leftovers(dist)).toEqual([]);
  });

  it("cleans up what a SIGKILLed build left (its lock and temporary folders) on the next build", async () => {
    const repo = makeRepo();
    const dist = join(repo, "dist");
    expect(fleetform(["build", repo, ...FAST]).code).toBe(0);
    const before = tree(dist);
    // Kill a build while it writes: poll for its temporary folder and kill it then. (Without the
    // build cache, which would find the folder up to date and write nothing.)
    let seen: string[] = [];
    for (let attempt = 0; attempt < 5 && !seen.some((f) => /fleetform-new-/.test(f)); attempt++) {
      const build = start(["build", repo, ...FAST, "--no-cache"]);
      let finished = false;
      void build.then(() => (finished = true));
      while (!finished) {
        const now = leftovers(dist);
        if (now.some((f) => /fleetform-new-/.test(f))) {
          build.kill();
          break;
        }
        await new Promise((r) => setImmediate(r));
      }
      const ended = await build;
      if (ended.signal === "SIGKILL") seen = leftovers(dist);
    }
    // A kill between mkdir and the rename leaves the lock and the half-written folder behind.
    expect(seen.length, "the build was never caught writing").toBeGreaterThan(0);
    expect(seen.some((f) => /^\.dist\.fleetform-new-\d+$/.test(f))).toBe(true);
    // The previous output is still whole (the swap is a rename) ...
    expect(tree(dist)).toEqual(before);
    // ... and the next build cleans up, and writes the same output.
    const next = fleetform(["build", repo, ...FAST]);
    expect(next.code, next.stderr).toBe(0);
    expect(leftovers(dist)).toEqual([]);
    expect(tree(dist)).toEqual(before);
  });

  it("build --watch refuses the same folders, before it starts watching", () => {
    const repo = makeRepo();
    const r = spawnSync(process.execPath, [bin, "build", repo, "--watch", "--out", join(repo, ".git")], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    expectRefused({ code: r.status ?? -1, stderr: r.stderr }, "FF1030", /is a \.git folder/);
  });

  it("test refuses a folder that holds no build, and a JUnit report into .git", () => {
    const repo = makeRepo();
    const fake = join(dirname(repo), "fake");
    mkdirSync(join(fake, "tests"), { recursive: true });
    writeFileSync(join(fake, "tests", "Invoke-Tests.ps1"), "Remove-Item -Recurse -Force ~\n");
    const r = fleetform(["test", repo, "--out", fake]);
    expect(r.code).toBe(1);
    // (no manifest.json: not a build of these sources)
    expect(r.stderr).toMatch(/^error FF1016: .*fake is not a whole build/m);
    expect(fleetform(["build", repo, ...FAST]).code).toBe(0);
    const junit = fleetform(["test", repo, "--junit", join(repo, ".git", "config")]);
    expect(junit.code).toBe(1);
    expect(junit.stderr).toMatch(/^error FF1037: the JUnit report .* is in a \.git folder/m);
  });
});
