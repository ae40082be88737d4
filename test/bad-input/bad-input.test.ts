// Bad-input corpus: every folder of cases/ is a small config repo that must fail cleanly.
// Each case is copied to test/bad-input/.work/<name>-XXXXXX/repo (inside this package, so
// `import "fleetform"` resolves to it), given a dist/ holding a previous build (fixtures/previous-dist)
// and built with the CLI's own entry point, main(["build", <copy>]) of lib/compiler/cli/index.js (what
// bin/fleetform.js runs), in this process: a new Node.js per case would load the compiler ~100 times.
// One case of each kind (its exit code and the families of its codes: FF1xxx, FF2xxx, ..., TS) and the
// base repo go through the real CLI process, `node bin/fleetform.js build <copy>`, for the exit code
// and the output as a user's shell sees them. Then, for every case:
//   - the exit code is case.json's exitCode (1: errors in the input; never 3 or a crash);
//   - stderr reports exactly the codes of case.json, as `error <CODE>:` (`warning <CODE>:` for the
//     codes listed under "warnings"), TypeScript's TS codes included;
//   - no stack trace, no FF9001 / "internal error" on stdout or stderr;
//   - a failed build leaves dist/ byte for byte as it was (same file list, same bytes), and the whole
//     copy as it was: no `.dist.fleetform-new-*` / `-old-*` folder beside dist, no other stray file;
//   - a case with exitCode 0 (inputs that are accepted, kept to pin that down) replaces dist/.
// A case.json "bug": { "fails": [parts], "note" } marks the parts a known compiler bug breaks
// (`it.fails`, so the test flags the day the bug is fixed); the note says what is wrong.
//
// Needs lib/ built (`npm test` runs `npm run build` first; alone: `npx tsc -p . && npx vitest run
// test/bad-input`) and PowerShell for the fragment checks (`node scripts/setup-pwsh.mjs`, as npm test
// does): without pwsh the build adds warning FF3024 and the ps-* cases fail. Builds run in parallel
// (FF_BAD_INPUT_JOBS, default: the number of CPUs + 1); FILTER=<substring> limits the cases.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseNames } from "../helpers/cases.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const bin = join(repoRoot, "bin", "fleetform.js");
const casesDir = join(here, "cases");
const workDir = join(here, ".work");
const previousDist = join(here, "fixtures", "previous-dist");
const baseRepo = join(here, "fixtures", "base");

const JOBS = Number(process.env.FF_BAD_INPUT_JOBS ?? availableParallelism() + 1);
const BUILD_TIMEOUT_MS = 240_000;

/** The parts of a case's expectations, each one test. */
type Part = "exit" | "codes" | "clean" | "dist";

interface CaseFile {
  /** Codes reported as errors (TS or FF). Together with `warnings`, exactly the codes the build prints. */
  readonly codes: readonly string[];
  readonly warnings?: readonly string[];
  readonly exitCode: 0 | 1;
  readonly note?: string;
  readonly bug?: { readonly fails: readonly Part[]; readonly note: string };
}

interface Tree {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly dirs: readonly string[];
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The whole temporary folder (the repo copy and anything written beside it), before and after. */
  readonly before: Tree;
  readonly after: Tree;
  readonly ms: number;
  /** Built by `node bin/fleetform.js` or by main() in this process. */
  readonly how: "process" | "in-process";
}

function readTree(root: string): Tree {
  const files = new Map<string, Buffer>();
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const rel = relative(root, p).split(sep).join("/");
      if (e.isDirectory()) {
        dirs.push(rel + "/");
        walk(p);
      } else files.set(rel, readFileSync(p));
    }
  };
  walk(root);
  return { files, dirs: dirs.sort() };
}

function subtree(tree: Tree, prefix: string): Tree {
  return {
    files: new Map([...tree.files].filter(([f]) => f.startsWith(prefix))),
    dirs: tree.dirs.filter((d) => d.startsWith(prefix)),
  };
}

/** File list and bytes (as hex digests would be unreadable in a diff: sizes plus the differing paths). */
function treeDifferences(before: Tree, after: Tree): string[] {
  const out: string[] = [];
  for (const d of after.dirs) if (!before.dirs.includes(d)) out.push(`new folder ${d}`);
  for (const d of before.dirs) if (!after.dirs.includes(d)) out.push(`folder removed ${d}`);
  for (const [f, bytes] of after.files) {
    const old = before.files.get(f);
    if (!old) out.push(`new file ${f}`);
    else if (!old.equals(bytes)) out.push(`changed ${f} (${old.length} -> ${bytes.length} bytes)`);
  }
  for (const f of before.files.keys()) if (!after.files.has(f)) out.push(`file removed ${f}`);
  return out.sort();
}

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** `node bin/fleetform.js <args>` as a process. */
function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

type Main = (argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number>;
let cliMain: Promise<Main> | undefined;

/** The same command run by the CLI's main() in this process (lib/compiler/cli/index.js, as bin/fleetform.js runs it). */
async function runMain(args: readonly string[]): Promise<Run> {
  cliMain ??= import(pathToFileURL(join(repoRoot, "lib", "compiler", "cli", "index.js")).href).then((m: { main: Main }) => m.main);
  const main = await cliMain;
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, signal: null, stdout, stderr };
}

/** Copies the repo to .work/<name>-XXXXXX/repo, adds the previous dist, builds, snapshots, cleans up. */
async function buildCase(name: string, source: string, how: "process" | "in-process"): Promise<Outcome> {
  mkdirSync(workDir, { recursive: true });
  const dir = mkdtempSync(join(workDir, `${name}-`));
  try {
    const repo = join(dir, "repo");
    cpSync(source, repo, { recursive: true, filter: (src) => basename(src) !== "case.json" });
    cpSync(previousDist, join(repo, "dist"), { recursive: true });
    const before = readTree(dir);
    const started = Date.now();
    const r = await (how === "process" ? runCli : runMain)(["build", repo]);
    return { ...r, how, before, after: readTree(dir), ms: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs jobs with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

const STACK = /^\s+at .+:\d+:\d+/m;
const DIAGNOSTIC = /(?:^|: )(error|warning) ((?:FF|TS)\d+):/gm;

function reported(stderr: string): { errors: string[]; warnings: string[] } {
  const errors = new Set<string>();
  const warnings = new Set<string>();
  for (const m of stderr.matchAll(DIAGNOSTIC)) (m[1] === "error" ? errors : warnings).add(m[2]!);
  return { errors: [...errors].sort(), warnings: [...warnings].sort() };
}

const names = caseNames(casesDir);
const cases = new Map<string, CaseFile>(names.map((n) => [n, JSON.parse(readFileSync(join(casesDir, n, "case.json"), "utf8")) as CaseFile]));
const outcomes = new Map<string, Outcome>();
const BASE = "<base>";

/** A case's kind: its exit code and the families of the codes it reports (FF1xxx ... FF4xxx, TS, warnings). */
function kindOf(c: CaseFile): string {
  const families = new Set([...c.codes.map((x) => (x.startsWith("TS") ? "TS" : `${x.slice(0, 3)}xxx`)), ...(c.warnings ?? []).map((x) => `warning ${x.slice(0, 3)}xxx`)]);
  return `exit ${c.exitCode}: ${[...families].sort().join(" + ") || "no codes"}`;
}

/** The cases built by the CLI as a process: the first of each kind (the others are built in this process). */
const throughProcess = new Map<string, string>();
for (const n of names) if (![...throughProcess.values()].includes(kindOf(cases.get(n)!))) throughProcess.set(n, kindOf(cases.get(n)!));

beforeAll(async () => {
  if (!existsSync(join(repoRoot, "lib", "compiler", "cli", "index.js"))) throw new Error("lib/ is not built: run `npx tsc -p .` (npm test does it) first");
  const jobs: [string, string][] = [[BASE, baseRepo], ...names.map((n): [string, string] => [n, join(casesDir, n)])];
  await pool(jobs, JOBS, async ([name, dir]) => {
    outcomes.set(name, await buildCase(name, dir, name === BASE || throughProcess.has(name) ? "process" : "in-process"));
  });
}, 60 * 60_000);

afterAll(() => {
  // Only the folder itself, and only when no other run is using it.
  if (existsSync(workDir) && readdirSync(workDir).length === 0) rmdirSync(workDir);
});

function outcome(name: string): Outcome {
  const o = outcomes.get(name);
  if (!o) throw new Error(`case ${name} did not run`);
  return o;
}

describe("the base repo every case is derived from", () => {
  it("builds cleanly (so each case fails for its own reason)", () => {
    const o = outcome(BASE);
    expect(o.stderr).toBe("");
    expect(o.code).toBe(0);
    expect(o.stdout).toMatch(/^fleetform: wrote \d+ files to .* \(1 module, 1 configuration\)\n$/);
  });
});

describe.each(names)("%s", (name) => {
  const c = cases.get(name)!;
  const test = (part: Part): typeof it.fails => (c.bug?.fails.includes(part) ? it.fails : it);
  const bug = (part: Part): string => (c.bug?.fails.includes(part) ? " [known compiler bug, see case.json]" : "");

  test("exit")(`exits ${c.exitCode}${throughProcess.has(name) ? " (node bin/fleetform.js)" : ""}${bug("exit")}`, () => {
    const o = outcome(name);
    expect(o.signal, `killed (${o.ms} ms)`).toBeNull();
    expect(o.code, o.stderr).toBe(c.exitCode);
  });

  const listed = [...c.codes.map((x) => `error ${x}`), ...(c.warnings ?? []).map((x) => `warning ${x}`)];
  test("codes")(`reports exactly ${listed.join(", ") || "nothing"}${bug("codes")}`, () => {
    const o = outcome(name);
    for (const code of c.codes) expect(o.stderr, `error ${code}`).toMatch(new RegExp(`(?:^|: )error ${code}:`, "m"));
    for (const code of c.warnings ?? []) expect(o.stderr, `warning ${code}`).toMatch(new RegExp(`(?:^|: )warning ${code}:`, "m"));
    expect(reported(o.stderr), o.stderr).toEqual({ errors: [...c.codes].sort(), warnings: [...(c.warnings ?? [])].sort() });
  });

  test("clean")(`prints no stack trace and no internal error${bug("clean")}`, () => {
    const o = outcome(name);
    for (const text of [o.stdout, o.stderr]) {
      expect(text).not.toMatch(STACK);
      expect(text).not.toContain("FF9001");
      expect(text).not.toMatch(/internal error/i);
    }
    expect(o.code).not.toBe(3);
  });

  if (c.exitCode === 1) {
    test("dist")(`leaves the previous dist byte-identical and writes nothing else${bug("dist")}`, () => {
      const o = outcome(name);
      // dist/ itself: the same file list and the same bytes.
      const distBefore = subtree(o.before, "repo/dist/");
      const distAfter = subtree(o.after, "repo/dist/");
      expect([...distAfter.files.keys()]).toEqual([...distBefore.files.keys()]);
      expect(treeDifferences(distBefore, distAfter)).toEqual([]);
      // Nothing beside it either: no .dist.fleetform-new-* / -old-* folders, no stray output.
      expect(o.after.dirs.filter((d) => /\.fleetform-(new|old)-/.test(d))).toEqual([]);
      expect(treeDifferences(o.before, o.after)).toEqual([]);
    });
  } else {
    test("dist")(`replaces dist with the new build, leaving the sources as they were${bug("dist")}`, () => {
      const o = outcome(name);
      expect(o.after.files.has("repo/dist/previous.txt")).toBe(false);
      expect(o.after.files.has("repo/dist/manifest.json")).toBe(true);
      expect(o.after.dirs.filter((d) => /\.fleetform-(new|old)-/.test(d))).toEqual([]);
      const outsideDist = (t: Tree): Tree => ({ files: new Map([...t.files].filter(([f]) => !f.startsWith("repo/dist/"))), dirs: t.dirs.filter((d) => !d.startsWith("repo/dist/")) });
      expect(treeDifferences(outsideDist(o.before), outsideDist(o.after))).toEqual([]);
    });
  }
});

it("builds the base repo and one case of each kind through the CLI process (the others in-process)", () => {
  expect(outcome(BASE).how).toBe("process");
  const kinds = new Set(names.map((n) => kindOf(cases.get(n)!)));
  expect(new Set(throughProcess.values())).toEqual(kinds);
  for (const n of names) expect(outcome(n).how, n).toBe(throughProcess.has(n) ? "process" : "in-process");
  if (!process.env.FILTER) expect(throughProcess.size).toBeGreaterThanOrEqual(5);
});

it("has at least 50 cases that must fail", () => {
  if (process.env.FILTER) return;
  expect([...cases.values()].filter((c) => c.exitCode === 1).length).toBeGreaterThanOrEqual(50);
});
