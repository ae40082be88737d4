// A watch session's heap after many edits: each saved version of a source is compiled as a script
// of its own, and V8's compilation cache kept every one of them for the life of the process (about
// 20 KB per edit of examples/docutap's emr module, never reclaimed). The session turns the cache off
// (withoutCompilationCache, compiler/driver/watch.ts). Measured in a process of its own, with
// --expose-gc, through the same compile() and BuildCache a session uses: the heap after two full
// GCs, edit 50 against edit 250 (the first 50 fill what a session keeps anyway).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { copyDocutap } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";

const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const parent = mkdtempSync(join(work, "watch-memory-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const lib = (path: string): string => pathToFileURL(join(repoRoot, "lib", "compiler", "driver", path)).href;

/** Heap growth per edit (bytes) over `edits` edits of one module, each to a text not seen before. */
function growthPerEdit(withoutCache: boolean, edits: number): number {
  const repo = mkdtempSync(join(parent, "repo-"));
  copyDocutap(repo);
  const script = `
    import { readFileSync, writeFileSync } from "node:fs";
    const { compile } = await import(${JSON.stringify(lib("compile.js"))});
    const { BuildCache } = await import(${JSON.stringify(lib("incremental.js"))});
    const { withoutCompilationCache } = await import(${JSON.stringify(lib("watch.js"))});
    if (${withoutCache}) withoutCompilationCache();
    const root = ${JSON.stringify(repo)};
    const file = ${JSON.stringify(join(repo, "modules", "emr", "index.ts"))};
    const original = readFileSync(file, "utf8");
    const cache = new BuildCache();
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    let base = 0;
    for (let i = 1; i <= 50 + ${edits}; i++) {
      writeFileSync(file, original.replace(/description: "([^"]*)"/, \`description: "$1 (edit \${i})"\`));
      const r = await compile({ root, typecheck: false, pwshCheck: false }, cache);
      if (!r.ok) throw new Error("a rebuild failed");
      if (i === 50) base = heap();
    }
    process.stdout.write(String((heap() - base) / ${edits}));
  `;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe("a watch session's heap", () => {
  it("does not keep every edited version's compiled script (V8's compilation cache off)", { timeout: 180_000 }, () => {
    const perEdit = growthPerEdit(true, 200);
    // (about 5 KB per edit here with the cache off, 20 KB with it on)
    expect(perEdit, `${(perEdit / 1024).toFixed(1)} KB per edit`).toBeLessThan(10 * 1024);
  });
});
