// The persistent build cache through the command line (node bin/fleetform.js): what a build in a
// new process reuses, that it changes nothing in what is built or printed, and that damaged entries
// and builds at once never break a build.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFiles } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";
import { writeFiles } from "../helpers/kept.js";

const bin = join(repoRoot, "bin", "fleetform.js");
const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const dir = mkdtempSync(join(work, "cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// CI=true would make a missing pwsh an error; the builds here have it (.tools) either way.
function fleetform(args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function fleetformAsync(args: readonly string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** A copy of a fixture inside the package (so `import "fleetform"` resolves to this package). */
function copyRepo(from: string, name: string): string {
  const repo = join(dir, name);
  cpSync(from, repo, { recursive: true });
  return repo;
}

function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(listFiles(folder).map((f) => [f, readFileSync(join(folder, f)).toString("base64")]));
}

/** Every entry file of a cache folder (path → kind). */
function entries(cacheDir: string): { path: string; kind: string }[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir).flatMap((version) =>
    readdirSync(join(cacheDir, version)).flatMap((kind) => readdirSync(join(cacheDir, version, kind)).map((name) => ({ path: join(cacheDir, version, kind, name), kind }))),
  );
}

const fromCache = (r: Run): boolean => /^ {2}total \(from the cache\) /m.test(r.stderr);
const base = join(repoRoot, "test", "bad-input", "fixtures", "base");

// Several builds per test: more than the default test timeout on a busy machine.
const SLOW = { timeout: 900_000 };

describe("the persistent cache", SLOW, () => {
  const repo = copyRepo(base, "repo");
  const cacheDir = join(dir, "cache");
  const outPlain = join(dir, "out-plain");
  const out = join(dir, "out");

  it("--no-cache neither reads nor writes it; a cached build writes the same bytes as one without", () => {
    const plain = fleetform(["build", repo, "--out", outPlain, "--no-cache", "--timings"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(fromCache(plain)).toBe(false);
    expect(plain.stderr).not.toMatch(/cache:/);

    const first = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^fleetform: wrote \d+ files to .* \(1 module, 1 configuration\)\n$/);
    expect(fromCache(first)).toBe(false);
    expect(snapshot(out)).toEqual(snapshot(outPlain));
    // What the first build kept: the build, its output folder's state, the type check (and tsc's
    // own incremental state), transpiled sources, what was read off the sources (imports, spans),
    // V8's code cache of the sources, and PowerShell's findings. TypeScript's parser was not
    // loaded: sources as plain as these are read without it (1-load/lexical.ts).
    const kinds = new Set(entries(cacheDir).map((e) => e.kind));
    for (const kind of ["build", "output", "typecheck", "tsc", "transpiled", "derived", "code-cache", "pwsh-fragments", "pwsh-files"]) expect(kinds, kind).toContain(kind);
    expect(first.stderr).toMatch(/^ {2}load /m);
    expect(first.stderr).not.toMatch(/loading TypeScript's parser/);
    expect(kinds).not.toContain("typescript-code");
    // No temporary file is left behind.
    expect(entries(cacheDir).filter((e) => e.path.includes(".tmp-"))).toEqual([]);
    // Every source's transpiled text is kept, fleetform.config.ts's too (it is transpiled as the
    // others are, not by esbuild's synchronous call, which starts a process of its own): an entry per text.
    const texts = new Set(listFiles(repo).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(repo, f), "utf8")));
    expect(entries(cacheDir).filter((e) => e.kind === "transpiled").length).toBe(texts.size);

    // --no-cache again: nothing read (a full build) and nothing written.
    const before = entries(cacheDir).map((e) => [e.path, statSync(e.path).mtimeMs]);
    const again = fleetform(["build", repo, "--out", outPlain, "--no-cache", "--timings"]);
    expect(again.code).toBe(0);
    expect(fromCache(again)).toBe(false);
    expect(entries(cacheDir).map((e) => [e.path, statSync(e.path).mtimeMs])).toEqual(before);
  });

  it("a code cache V8 does not accept (well-formed entries, wrong data) is compiled afresh: the same bytes, and kept again", () => {
    const codeEntries = entries(cacheDir).filter((e) => e.kind === "code-cache" && !e.path.includes(".tmp-"));
    expect(codeEntries.length).toBeGreaterThan(0);
    const tampered = new Map<string, Buffer>();
    for (const e of codeEntries) {
      const data = readFileSync(e.path);
      const header = data.subarray(0, data.indexOf(10)).toString("utf8").split(" ");
      const body = Buffer.from("not V8's code cache for this code ".repeat(40));
      header[header.length - 1] = createHash("sha256").update(body).digest("hex");
      tampered.set(e.path, Buffer.concat([Buffer.from(`${header.join(" ")}\n`, "utf8"), body]));
      writeFileSync(e.path, tampered.get(e.path)!);
    }
    // (another input changes, so that the sources are evaluated again)
    writeFileSync(join(repo, "notes.txt"), "v8\n");
    try {
      const outV8 = join(dir, "out-v8");
      const r = fleetform(["build", repo, "--out", outV8, "--cache-dir", cacheDir, "--timings"]);
      expect(r.code, r.stderr).toBe(0);
      expect(fromCache(r)).toBe(false);
      expect(snapshot(outV8)).toEqual(snapshot(outPlain));
      // Kept again: V8's own data now.
      for (const e of codeEntries) expect(readFileSync(e.path).equals(tampered.get(e.path)!), e.path).toBe(false);
    } finally {
      rmSync(join(repo, "notes.txt"), { force: true });
    }
  });

  it("the same sources at another path share the cache and still name their own files (V8's code cache keeps the name it was compiled under)", () => {
    const shared = join(dir, "cache-moved");
    const a = copyRepo(base, "moved-a");
    const b = copyRepo(base, "moved-b");
    const first = fleetform(["build", a, "--out", join(dir, "out-moved-a"), "--cache-dir", shared]);
    expect(first.code, first.stderr).toBe(0);
    // b's sources are a's, byte for byte, elsewhere: the sites of its authoring calls must be b's
    // files (a's would be outside b's module folders: FF2005).
    const moved = fleetform(["build", b, "--out", join(dir, "out-moved-b"), "--cache-dir", shared]);
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    const plain = fleetform(["build", b, "--out", join(dir, "out-moved-b-plain"), "--no-cache"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(snapshot(join(dir, "out-moved-b"))).toEqual(snapshot(join(dir, "out-moved-b-plain")));
  });

  it("an unchanged build in a new process is served from the cache and writes nothing; a changed or added output file is written again", () => {
    const stamp = (): [string, number][] => listFiles(out).map((f) => [f, statSync(join(out, f)).mtimeMs]);
    const before = stamp();
    const second = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
    expect(second.code, second.stderr).toBe(0);
    expect(fromCache(second)).toBe(true);
    expect(second.stderr).not.toMatch(/^ {2}load /m);
    expect(second.stdout).toMatch(/^fleetform: .* is up to date: \d+ files \(1 module, 1 configuration\); nothing to write\n$/);
    expect(stamp()).toEqual(before);

    // --json says the same as a build that wrote.
    const json = JSON.parse(fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--json"]).stdout) as { ok: boolean; files: string[] };
    const plainJson = JSON.parse(fleetform(["build", repo, "--out", join(dir, "out-json"), "--no-cache", "--json"]).stdout) as { ok: boolean; files: string[] };
    expect(json.ok).toBe(true);
    expect(json.files).toEqual(plainJson.files);

    // A generated file edited by hand (same size), and a file added: the folder is written again.
    const module = listFiles(out).find((f) => f.endsWith(".psm1"))!;
    const text = readFileSync(join(out, module), "utf8");
    writeFileSync(join(out, module), text.replace(/[a-z]/, "X"));
    const edited = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir]);
    expect(edited.code).toBe(0);
    expect(edited.stdout).toMatch(/^fleetform: wrote /);
    expect(snapshot(out)).toEqual(snapshot(outPlain));
    writeFileSync(join(out, "extra.txt"), "mine\n");
    const added = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir]);
    expect(added.stdout).toMatch(/^fleetform: wrote /);
    expect(existsSync(join(out, "extra.txt"))).toBe(false);
    // And now it is up to date again.
    expect(fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir]).stdout).toMatch(/is up to date/);
    // A file of the repo that no source reads (notes, a test's stdout): the build runs again, and
    // says it wrote only what it wrote (manifest.json), not every file.
    writeFileSync(join(repo, "notes.txt"), "mine\n");
    try {
      const unrelated = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir]);
      const total = listFiles(outPlain).length - 1;
      expect(unrelated.stdout).toBe(`fleetform: wrote 1 of ${total} files to ${relative(process.cwd(), out) || "."} (1 module, 1 configuration); the other ${total - 1} were up to date\n`);
    } finally {
      rmSync(join(repo, "notes.txt"));
    }
  });

  it("a changed source is a miss: the build equals one without the cache, and files it did not change are linked, not written", () => {
    const file = join(repo, "modules", "windows", "index.ts");
    const original = readFileSync(file, "utf8");
    const inodes = new Map(listFiles(out).map((f) => [f, statSync(join(out, f)).ino]));
    // A generated file edited by hand (same size) is written again, not linked.
    const runtime = listFiles(out).find((f) => f.startsWith("modules/Fleetform.Runtime/") && f.endsWith(".psm1"))!;
    const runtimeText = readFileSync(join(out, runtime), "utf8");
    writeFileSync(join(out, runtime), runtimeText.replace(/[a-z]/, "X"));
    writeFileSync(file, original.replace('description: "Windows building blocks"', 'description: "Windows building blocks, changed"'));
    try {
      const changed = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
      expect(changed.code, changed.stderr).toBe(0);
      expect(fromCache(changed)).toBe(false);
      const outChanged = join(dir, "out-plain-changed");
      const plain = fleetform(["build", repo, "--out", outChanged, "--no-cache"]);
      expect(plain.code).toBe(0);
      expect(snapshot(out)).toEqual(snapshot(outChanged));
      expect(snapshot(out)).not.toEqual(snapshot(outPlain));
      const kept = listFiles(out).filter((f) => statSync(join(out, f)).ino === inodes.get(f));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept).not.toContain("modules/Windows/Windows.psd1");
      expect(kept).not.toContain(runtime);
      expect(kept).not.toContain("manifest.json");
      expect(kept).not.toContain(".fleetform-output");
      // A file added anywhere in the repo (not only a source) is an input too.
      writeFileSync(join(repo, "notes.txt"), "x\n");
      const inodesNow = new Map(listFiles(out).map((f) => [f, statSync(join(out, f)).ino]));
      const noSourceChanged = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
      expect(fromCache(noSourceChanged)).toBe(false);
      // Neither build loaded TypeScript's parser (the changed file is read without it too).
      expect(noSourceChanged.stderr).toMatch(/^ {2}load /m);
      expect(noSourceChanged.stderr).not.toMatch(/loading TypeScript's parser/);
      expect(changed.stderr).not.toMatch(/loading TypeScript's parser/);
      // The folder held what the last build recorded: written in place, every file with the same
      // content left as it is (the marker too: a swap writes it anew), not linked into a new folder.
      expect(snapshot(out)).toEqual(snapshot(outChanged));
      const untouched = listFiles(out).filter((f) => statSync(join(out, f)).ino === inodesNow.get(f));
      expect(untouched).toContain(".fleetform-output");
      expect(listFiles(out).filter((f) => !untouched.includes(f))).toEqual(["manifest.json"]);
    } finally {
      writeFileSync(file, original);
      rmSync(join(repo, "notes.txt"), { force: true });
    }
  });

  it("corrupt, torn and empty entries are a miss, never an error, and are written again", () => {
    const kept = entries(cacheDir).filter((e) => !e.path.includes(".tmp-"));
    expect(kept.length).toBeGreaterThan(5);
    kept.forEach((e, i) => {
      const bytes = readFileSync(e.path);
      // In turn: torn (half of it), garbage, empty, one byte changed in the body.
      if (i % 4 === 0) writeFileSync(e.path, bytes.subarray(0, Math.floor(bytes.length / 2)));
      else if (i % 4 === 1) writeFileSync(e.path, "not an entry");
      else if (i % 4 === 2) writeFileSync(e.path, "");
      else {
        bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x30 ? 0x31 : 0x30;
        writeFileSync(e.path, bytes);
      }
    });
    const r = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/FF9001|internal error/);
    expect(fromCache(r)).toBe(false);
    expect(snapshot(out)).toEqual(snapshot(outPlain));
    const next = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
    expect(fromCache(next)).toBe(true);
  });

  it("entries of another fleetform (another fingerprint folder) are never read, and are pruned", () => {
    const [version] = readdirSync(cacheDir);
    const other = version!.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    renameSync(join(cacheDir, version!), join(cacheDir, other));
    const r = fleetform(["build", repo, "--out", out, "--cache-dir", cacheDir, "--timings"]);
    expect(r.code).toBe(0);
    expect(fromCache(r)).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([version]);
  });

  it("two builds at once into one cache both succeed, with the same output, and leave whole entries", async () => {
    const shared = join(dir, "cache-shared");
    const [a, b] = await Promise.all([
      fleetformAsync(["build", repo, "--out", join(dir, "out-a"), "--cache-dir", shared]),
      fleetformAsync(["build", repo, "--out", join(dir, "out-b"), "--cache-dir", shared]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(snapshot(join(dir, "out-a"))).toEqual(snapshot(outPlain));
    expect(snapshot(join(dir, "out-b"))).toEqual(snapshot(outPlain));
    expect(entries(shared).filter((e) => e.path.includes(".tmp-"))).toEqual([]);
    // What they kept is whole: the next build is served from it.
    const c = fleetform(["build", repo, "--out", join(dir, "out-a"), "--cache-dir", shared, "--timings"]);
    expect(fromCache(c)).toBe(true);
    expect(c.stdout).toMatch(/is up to date/);
  });
});

describe("a build with errors, from the cache", SLOW, () => {
  it("prints the same diagnostics, byte for byte, and exits 1 (text and --json, build and check)", () => {
    const repo = copyRepo(join(repoRoot, "test", "e2e", "fixtures", "type-error"), "type-error");
    const cacheDir = join(dir, "cache-errors");
    for (const [command, json] of [
      ["build", []],
      ["build", ["--json"]],
      ["check", []],
    ] as const) {
      {
        const plain = fleetform([command, repo, "--no-cache", ...json]);
        const first = fleetform([command, repo, "--cache-dir", cacheDir, ...json]);
        const second = fleetform([command, repo, "--cache-dir", cacheDir, ...json]);
        expect(plain.code).toBe(1);
        expect(plain.stderr + plain.stdout).toMatch(/error (TS|FF)\d+|"code": "(TS|FF)\d+"/);
        for (const r of [first, second]) {
          expect(r.code).toBe(1);
          expect(r.stderr).toBe(plain.stderr);
          expect(r.stdout).toBe(plain.stdout);
        }
      }
    }
    const timed = fleetform(["build", repo, "--cache-dir", cacheDir, "--timings"]);
    expect(fromCache(timed)).toBe(true);
    expect(existsSync(join(repo, "dist"))).toBe(false);
  });
});

/**
 * Rewrites every kept "derived" entry (the spans and imports found in a source, by its text) with
 * each span's start moved one column on, as a well-formed entry: what a build reads from it is
 * wrong but looks right.
 */
function shiftKeptSpans(cacheDir: string): number {
  let shifted = 0;
  const shift = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shift);
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shift(v);
    const start = out.start as { line?: unknown; column?: unknown } | undefined;
    if (typeof out.file === "string" && typeof start?.column === "number") {
      out.start = { ...start, column: start.column + 1 };
      shifted++;
    }
    return out;
  };
  for (const e of entries(cacheDir).filter((e) => e.kind === "derived" && !e.path.includes(".tmp-"))) {
    const data = readFileSync(e.path);
    const nl = data.indexOf(10);
    const header = data.subarray(0, nl).toString("utf8").split(" ");
    const body = Buffer.from(JSON.stringify(shift(JSON.parse(data.subarray(nl + 1).toString("utf8")))), "utf8");
    header[header.length - 1] = createHash("sha256").update(body).digest("hex");
    writeFileSync(e.path, Buffer.concat([Buffer.from(`${header.join(" ")}\n`, "utf8"), body]));
  }
  return shifted;
}

type Main = (argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number>;
let cliMain: Promise<Main> | undefined;

/** The command run by the CLI's main() in this process (lib/compiler/cli/index.js, what bin/fleetform.js runs). */
async function inProcess(args: readonly string[]): Promise<Run> {
  cliMain ??= import(pathToFileURL(join(repoRoot, "lib", "compiler", "cli", "index.js")).href).then((m: { main: Main }) => m.main);
  const main = await cliMain;
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("diagnostics whose spans come from the cache", SLOW, () => {
  // Cases whose spans the locator finds (calls, properties, templates, dependsOn entries, duplicate
  // ids, imports): a build whose inputs changed elsewhere reads them from the cache, kept by each
  // source's text, and must print what a build without the cache prints. The builds run through
  // main() in this process (the cache is on disk: nothing of a build's is kept in memory for the
  // next, but the fragment check's pwsh process is: pwsh.ts), the cases side by side, one cache
  // for all of them (its entries are keyed by each file's path in its repo and text).
  const cases = ["duplicate-resource-id", "depends-on-string", "unknown-dependson", "dynamic-import", "bad-interpolation", "property-errors", "same-layer-import", "duplicate-names"];
  const cacheDir = join(dir, "cache-spans");
  interface Outcome {
    plain?: Run;
    warm?: Run;
    second?: Run;
    wrong?: Run;
  }
  const outcomes = new Map<string, Outcome>(cases.map((name) => [name, {}]));
  let shifted = 0;
  /** Runs a step for every case, a few at a time. */
  const eachCase = async (step: (name: string, repo: string, outcome: Outcome) => Promise<void>): Promise<void> => {
    const queue = [...cases];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await step(name, join(dir, `spans-${name}`), outcomes.get(name)!);
    };
    await Promise.all(Array.from({ length: Math.min(cases.length, availableParallelism() + 1) }, worker));
  };
  beforeAll(async () => {
    await eachCase(async (name, repo, outcome) => {
      copyRepo(join(repoRoot, "test", "diagnostics", "cases", name, "input"), `spans-${name}`);
      outcome.plain = await inProcess(["build", repo, "--no-cache"]);
      outcome.warm = await inProcess(["build", repo, "--cache-dir", cacheDir]);
    });
    // Another input changes (not a source): the build itself is a miss, the sources' spans are kept.
    await eachCase(async (_name, repo, outcome) => {
      writeFileSync(join(repo, "notes.txt"), "1\n");
      outcome.second = await inProcess(["build", repo, "--cache-dir", cacheDir, "--timings"]);
    });
    // The spans really come from the cache: kept ones made wrong show in what is printed.
    shifted = shiftKeptSpans(cacheDir);
    await eachCase(async (_name, repo, outcome) => {
      writeFileSync(join(repo, "notes.txt"), "2\n");
      outcome.wrong = await inProcess(["build", repo, "--cache-dir", cacheDir]);
    });
  }, SLOW.timeout);
  it.each(cases)("%s: the same diagnostics, byte for byte, and a wrong kept span shows", (name) => {
    const { plain, warm, second, wrong } = outcomes.get(name)!;
    expect(plain!.code).toBe(1);
    expect(plain!.stderr).toMatch(/error FF\d+/);
    expect(warm!.stderr).toBe(plain!.stderr);
    expect(fromCache(second!)).toBe(false);
    expect(second!.code).toBe(1);
    expect(second!.stdout).toBe(plain!.stdout);
    expect(second!.stderr.slice(0, second!.stderr.indexOf("fleetform: timings"))).toBe(plain!.stderr);
    expect(shifted).toBeGreaterThan(0);
    expect(wrong!.code).toBe(1);
    expect(wrong!.stderr).not.toBe(plain!.stderr);
  });
});

describe("options", () => {
  it("--no-cache and --cache-dir go with build and check only, and not together", () => {
    const both = fleetform(["build", "examples/docutap", "--no-cache", "--cache-dir", join(dir, "x")]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--no-cache and --cache-dir exclude each other/);
    const test = fleetform(["test", "examples/docutap", "--no-cache"]);
    expect(test.code).toBe(2);
    expect(test.stderr).toMatch(/--no-cache goes with build and check/);
    expect(fleetform(["--help"]).stdout).toMatch(/--cache-dir <dir>/);
  });
});

describe("a file only a callback requires", SLOW, () => {
  // A repo of module Alpha (layer top) and module Beta (layer base, its files `beta`), built with
  // the cache, `changed` edited, built again: Alpha's function must say the new value.
  const rebuilt = (alpha: string, beta: Record<string, string>, changed: string): void => {
    const repo = mkdtempSync(join(work, "cache-lazy-"));
    writeFiles(repo, {
      "fleetform.config.ts": 'import { defineConfig } from "fleetform";\nexport default defineConfig({ layers: ["base", "top"] });\n',
      "modules/a/index.ts": `import { defineModule, fn, ps } from "fleetform";\n${alpha}\nexport const module = defineModule({ name: "Alpha", layer: "top", version: "1.0.0", description: "d" });\n`,
      "modules/b/index.ts": 'import { defineModule } from "fleetform";\nimport "./helper";\nexport const module = defineModule({ name: "Beta", layer: "base", version: "1.0.0", description: "d" });\n',
      ...beta,
    });
    const cacheDir = join(repo, ".cache");
    const psm1 = (): string => readFileSync(join(repo, "dist", "modules", "Alpha", "Alpha.psm1"), "utf8");
    try {
      expect(fleetform(["build", repo, "--cache-dir", cacheDir, "--no-typecheck"]).code).toBe(0);
      expect(psm1()).toContain("Write-Output 'one'");
      writeFiles(repo, { [changed]: 'export const msg = "two";\n' });
      expect(fleetform(["build", repo, "--cache-dir", cacheDir, "--no-typecheck"]).code).toBe(0);
      expect(psm1()).toContain("Write-Output 'two'");
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  };
  const lazy = { "modules/b/helper.ts": 'export const lazyMsg = (): string => require("./lazy").msg;\n', "modules/b/lazy.ts": 'export const msg = "one";\n' };

  it("changed: a build with the cache lowers the module again (its lowering is not kept: the cache's key cannot name the file)", () => {
    rebuilt('export const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });', { "modules/a/helper.ts": 'export const msg = "one";\n', "modules/b/helper.ts": "export {};\n" }, "modules/a/helper.ts");
  });

  it("required through a function of another module's file, by a callback or at a module's top level: the same", () => {
    rebuilt('import { lazyMsg } from "../b/helper";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${lazyMsg()}` });', lazy, "modules/b/lazy.ts");
    rebuilt('import { lazyMsg } from "../b/helper";\nconst v = lazyMsg();\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${v}` });', lazy, "modules/b/lazy.ts");
  });
});
