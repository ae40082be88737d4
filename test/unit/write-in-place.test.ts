// compiler/driver/write.ts, in process: a build into a folder that holds exactly what the last
// build left there (LastWrite) touches only what changed, and stays atomic: a failure part way
// puts every file back (stamps included), and so does the next build after one killed part way.
// (test/e2e/cache.test.ts covers the CLI's use of it, and a folder edited by hand.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { folderState, OUTPUT_MARKER, writeOutput, type FileState, type LastWrite } from "../../compiler/driver/write.js";
import type { EmittedFile } from "../../compiler/phases/4-emit/files.js";
import { repoRoot } from "../helpers/pwsh.js";

const base = mkdtempSync(join(tmpdir(), "ff-write-in-place-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const file = (path: string, content: string): EmittedFile => ({ path, content }) as EmittedFile;

/** A first build: a few folders and files, one of them in a folder of its own. */
const first = [
  file("manifest.json", "m1"),
  file("modules/A/A.psm1", "a"),
  file("modules/A/A.psd1", "a manifest"),
  file("modules/B/B.psm1", "b"),
  file("modules/C/DSCResources/R/R.psm1", "r"),
  file("tests/t.Tests.ps1", "t"),
];
/** The next: A.psm1 changed, C removed (with its folders), D added in a new folder, the rest the same. */
const second = [
  file("manifest.json", "m2"),
  file("modules/A/A.psm1", "a, changed"),
  file("modules/A/A.psd1", "a manifest"),
  file("modules/B/B.psm1", "b"),
  file("modules/D/sub/D.psm1", "d"),
  file("tests/t.Tests.ps1", "t"),
];
const sameInBoth = ["modules/A/A.psd1", "modules/B/B.psm1", "tests/t.Tests.ps1"];

/** What the build cache would hand the writer: the last state, and the files whose content is the same. */
function last(state: readonly FileState[], same: readonly string[]): LastWrite {
  return { files: state, unchanged: new Map(state.filter((f) => same.includes(f[0])).map((f) => [f[0], [f[1], f[2], f[3]] as const])) };
}

function contents(dir: string): Record<string, string> {
  return Object.fromEntries((folderState(dir) ?? []).map((f) => [f[0], readFileSync(join(dir, f[0]), "utf8")]));
}

const expected = (files: readonly EmittedFile[]): Record<string, string> => ({ [OUTPUT_MARKER]: readFileSync(join(base, "marker"), "utf8"), ...Object.fromEntries(files.map((f) => [f.path, f.content as string])) });
const inode = (dir: string, path: string): number => statSync(join(dir, path)).ino;
const beside = (dir: string): string[] => readdirSync(base).filter((n) => n.startsWith(`.${dir.split(/[\\/]/).pop()}.`));

describe("writeOutput into a folder the last build left as it recorded", () => {
  // (the marker's text, from a write with nothing to compare)
  const probe = join(base, "probe");
  writeOutput(probe, []);
  writeFileSync(join(base, "marker"), readFileSync(join(probe, OUTPUT_MARKER)));

  it("writes only what changed and removes what is gone, folders too; its answer is the folder's state", () => {
    const out = join(base, "out");
    const state = writeOutput(out, first);
    expect(state).toEqual(folderState(out));
    const before = new Map(state.map((f) => [f[0], f[3]]));
    const after = writeOutput(out, second, last(state, sameInBoth));
    expect(contents(out)).toEqual(expected(second));
    expect(after).toEqual(folderState(out));
    // Untouched: the files whose content is the same, and the marker (a swap would give each a new inode).
    for (const path of [...sameInBoth, OUTPUT_MARKER]) expect(inode(out, path), path).toBe(before.get(path));
    expect(inode(out, "modules/A/A.psm1")).not.toBe(before.get("modules/A/A.psm1"));
    expect(existsSync(join(out, "modules", "C"))).toBe(false);
    expect(beside(out)).toEqual([]);
  });

  it("swaps the whole folder when it is not as recorded (a file added or edited since)", () => {
    for (const change of ["added", "edited"] as const) {
      const out = join(base, `changed-${change}`);
      const state = writeOutput(out, first);
      if (change === "added") writeFileSync(join(out, "modules", "B", "mine.txt"), "mine");
      else writeFileSync(join(out, "modules", "B", "B.psm1"), "B");
      writeOutput(out, second, last(state, sameInBoth));
      expect(contents(out)).toEqual(expected(second));
      expect(inode(out, OUTPUT_MARKER)).not.toBe(state.find((f) => f[0] === OUTPUT_MARKER)![3]);
    }
  });

  it("a write that fails part way leaves the folder as it was, every file with its stamp", () => {
    const out = join(base, "failing");
    const state = writeOutput(out, first);
    // A name longer than the file system takes: writing it aside works (a number), putting it in place does not.
    const failing = [...second, file(`modules/D/${"x".repeat(300)}.ps1`, "too long")];
    expect(() => writeOutput(out, failing, last(state, sameInBoth))).toThrow();
    expect(folderState(out)).toEqual(state);
    expect(contents(out)).toEqual(expected(first));
    expect(beside(out)).toEqual([]);
  });

  it("the next build puts back what a build killed part way through its in-place write changed", () => {
    const out = join(base, "killed");
    const state = writeOutput(out, first);
    writeFileSync(join(base, "state.json"), JSON.stringify(state));
    // A process that writes `second` in place and is killed at its third rename (old versions moved
    // aside, new ones not all in place yet).
    const write = pathToFileURL(join(repoRoot, "lib", "compiler", "driver", "write.js")).href;
    const script = `
      import fs from "node:fs";
      import { syncBuiltinESMExports } from "node:module";
      const { writeOutput } = await import(${JSON.stringify(write)});
      const files = ${JSON.stringify(second)};
      const state = JSON.parse(fs.readFileSync(${JSON.stringify(join(base, "state.json"))}, "utf8"));
      const same = ${JSON.stringify(sameInBoth)};
      const unchanged = new Map(state.filter((f) => same.includes(f[0])).map((f) => [f[0], f.slice(1)]));
      const rename = fs.renameSync;
      let renames = 0;
      fs.renameSync = (from, to) => {
        if (++renames === 3) process.kill(process.pid, "SIGKILL");
        return rename(from, to);
      };
      syncBuiltinESMExports();
      writeOutput(${JSON.stringify(out)}, files, { files: state, unchanged });
    `;
    const killed = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    // Part way: an old file moved aside, the journal beside the folder.
    expect(contents(out)).not.toEqual(expected(first));
    expect(beside(out).some((n) => /fleetform-old-\d+$/.test(n))).toBe(true);
    // The next build (of the first build's files again): the folder is put back as recorded, so it
    // is still written in place (nothing has a new inode), and nothing is left beside it.
    const again = writeOutput(out, first, last(state, first.map((f) => f.path).filter((p) => p !== "manifest.json")));
    expect(contents(out)).toEqual(expected(first));
    for (const f of state.filter((s) => s[0] !== "manifest.json")) expect(inode(out, f[0]), f[0]).toBe(f[3]);
    expect(again).toEqual(folderState(out));
    expect(beside(out)).toEqual([]);
  });
});
