// compiler/util/typescript.ts with the persistent cache: typescript.js compiled with V8's code cache
// kept by an earlier process (a new process each, as builds are), the module object ts-morph's own
// require() finds, and an entry V8 refuses or a damaged one costing a compile, never the load.
// Runs the built compiler (lib/, `npm run build`), as the CLI does.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const lib = resolve(import.meta.dirname, "..", "..", "lib", "compiler");
const dir = mkdtempSync(join(tmpdir(), "ff-ts-code-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One process: TypeScript loaded (with the cache unless "none"), a file parsed, the code cache kept.
const script = join(dir, "load.mjs");
writeFileSync(
  script,
  `import { createRequire } from "node:module";
const { DiskCache } = await import(${JSON.stringify(pathToFileURL(join(lib, "driver", "cache.js")).href)});
const t = await import(${JSON.stringify(pathToFileURL(join(lib, "util", "typescript.js")).href)});
const cacheDir = process.argv[2];
t.useTypescriptCodeCache(cacheDir === "none" ? undefined : DiskCache.open(cacheDir));
const ts = t.typescript();
const file = ts.createSourceFile("a.ts", "export const x: number = f({ a: [1, 2] });", ts.ScriptTarget.Latest, true);
t.keepTypescriptCode();
// ts-morph's require() of typescript.js finds the object loaded here (in require's cache under its
// name), and ts-morph's \`ts\` (a copy of its properties) has its functions.
const fromLib = createRequire(${JSON.stringify(pathToFileURL(join(lib, "util", "typescript.js")).href)});
const fromTsMorph = createRequire(fromLib.resolve("ts-morph"));
const same = fromTsMorph("@ts-morph/common/dist/typescript.js") === ts && fromTsMorph("ts-morph").ts.createSourceFile === ts.createSourceFile;
console.log(JSON.stringify({ statements: file.statements.length, variable: ts.isVariableStatement(file.statements[0]), same, taken: t.typescriptCodeCacheTaken(), version: ts.version }));
`,
);

function load(cacheDir: string): { statements: number; variable: boolean; same: boolean; taken: boolean; version: string } {
  const r = spawnSync(process.execPath, [script, cacheDir], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as never;
}

/** The typescript.js code cache entries of a cache folder: path and inode (a new write is a new file). */
function entries(cacheDir: string): { path: string; ino: number }[] {
  const found: { path: string; ino: number }[] = [];
  for (const fingerprint of readdirSync(cacheDir)) {
    let names: string[];
    try {
      names = readdirSync(join(cacheDir, fingerprint, "typescript-code"));
    } catch {
      continue;
    }
    for (const name of names) found.push({ path: join(cacheDir, fingerprint, "typescript-code", name), ino: statSync(join(cacheDir, fingerprint, "typescript-code", name)).ino });
  }
  return found;
}

describe("typescript.js's V8 code cache", () => {
  const cacheDir = join(dir, "cache");
  let plain: ReturnType<typeof load>;

  it("without a cache: a plain require, nothing kept", () => {
    plain = load("none");
    expect(plain).toMatchObject({ statements: 1, variable: true, same: true, taken: false });
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("kept by the first process, taken by the next one (not compiled and kept again), the same module", () => {
    expect(load(cacheDir)).toEqual(plain);
    const first = entries(cacheDir);
    expect(first).toHaveLength(1);
    // (V8's data, kept as bytes: much larger than any JSON header)
    expect(statSync(first[0]!.path).size).toBeGreaterThan(100_000);
    expect(load(cacheDir)).toEqual({ ...plain, taken: true });
    // Taken: not written again (a write renames a new file into place).
    expect(entries(cacheDir)).toEqual(first);
  });

  it("an entry V8 refuses (whole, other data) or a damaged one is compiled afresh and kept again", () => {
    const [entry] = entries(cacheDir);
    const data = readFileSync(entry!.path);
    const nl = data.indexOf(10);
    const header = data.subarray(0, nl).toString("utf8").split(" ");
    const body = Buffer.from("not V8's code cache for typescript.js ".repeat(100));
    header[header.length - 1] = createHash("sha256").update(body).digest("hex");
    const refused = Buffer.concat([Buffer.from(`${header.join(" ")}\n`), body]);
    // (V8's data with one byte changed: the entry's digest no longer matches, a miss)
    const damaged = Buffer.from(data);
    damaged[nl + 1 + 5000] = damaged[nl + 1 + 5000]! ^ 0xff;
    for (const bad of [refused, damaged, data.subarray(0, nl + 1000)]) {
      writeFileSync(entry!.path, bad);
      const before = statSync(entry!.path).ino;
      expect(load(cacheDir)).toEqual(plain);
      const [again] = entries(cacheDir);
      expect(again!.ino).not.toBe(before);
      expect(statSync(again!.path).size).toBeGreaterThan(100_000);
    }
  });
});
