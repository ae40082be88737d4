// compiler/util/watch-tree.ts: one watch per folder, so that every write is seen, also to a file
// replaced by a rename and in folders made after the watch started.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { watchTree } from "../../compiler/util/watch-tree.js";

const root = mkdtempSync(join(tmpdir(), "ff-watch-tree-"));
mkdirSync(join(root, "a", "b"), { recursive: true });
mkdirSync(join(root, "skipped"));
writeFileSync(join(root, "a", "b", "file.ts"), "1");
const seen: string[] = [];
const folders = new Map<string, boolean>();
const watcher = watchTree(root, (dir) => dir.endsWith("skipped"), (_event, path, isFolder) => {
  seen.push(path);
  folders.set(path, isFolder);
});
afterAll(() => {
  watcher.close();
  rmSync(root, { recursive: true, force: true });
});

/** Waits until `path` has been reported (after `seen` is cleared), or fails after 5 s. */
async function reported(path: string, change: () => void): Promise<void> {
  seen.length = 0;
  change();
  const until = Date.now() + 5000;
  while (!seen.includes(path)) {
    if (Date.now() > until) throw new Error(`${path} was not reported; seen: ${seen.join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("watchTree", () => {
  const file = join(root, "a", "b", "file.ts");

  it("reports an in-place write in a nested folder", async () => {
    await reported(file, () => writeFileSync(file, "2"));
  });

  it("still reports in-place writes after the file was replaced by a rename", async () => {
    await reported(file, () => {
      writeFileSync(`${file}.tmp`, "3");
      renameSync(`${file}.tmp`, file);
    });
    await reported(file, () => writeFileSync(file, "4"));
  });

  it("watches a folder made after it started", async () => {
    const dir = join(root, "a", "new");
    await reported(dir, () => mkdirSync(dir));
    await reported(join(dir, "x.ts"), () => writeFileSync(join(dir, "x.ts"), "1"));
  });

  it("says whether the entry is a folder, also when the folder was removed", async () => {
    const dir = join(root, "a", "gone");
    await reported(dir, () => mkdirSync(dir));
    expect(folders.get(dir)).toBe(true);
    await reported(join(dir, "z.ts"), () => writeFileSync(join(dir, "z.ts"), "1"));
    expect(folders.get(join(dir, "z.ts"))).toBe(false);
    await reported(dir, () => rmSync(dir, { recursive: true }));
    expect(folders.get(dir)).toBe(true);
  });

  it("does not watch a skipped folder", async () => {
    await reported(file, () => {
      writeFileSync(join(root, "skipped", "y.ts"), "1");
      writeFileSync(file, "5");
    });
    expect(seen).not.toContain(join(root, "skipped", "y.ts"));
  });
});
