// A source's results kept in the persistent cache (compiler/phases/1-load/syntax.ts, SyntaxTrees.derived):
// the file's spans in one entry, a result every build asks of every file (its imports) in an entry
// of its own, so that a build that needs only the imports of an unchanged file reads none of its
// spans; each entry a file's by its path and text.
import { describe, expect, it } from "vitest";
import { SyntaxTrees } from "../../compiler/phases/1-load/syntax.js";
import type { SourceText } from "../../compiler/phases/1-load/sources.js";
import type { DiskStore } from "../../compiler/phases/context.js";

/** A cache in memory that counts what is read and written. */
function memoryDisk(): DiskStore & { entries: Map<string, unknown>; reads: number; writes: number } {
  const entries = new Map<string, unknown>();
  const disk = {
    entries,
    reads: 0,
    writes: 0,
    get<T>(kind: string, key: string): T | undefined {
      disk.reads++;
      const value = entries.get(`${kind}/${key}`);
      return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
    },
    put(kind: string, key: string, value: unknown): void {
      disk.writes++;
      entries.set(`${kind}/${key}`, JSON.parse(JSON.stringify(value)));
    },
    path: (kind: string, key: string): string => `${kind}/${key}`,
  };
  return disk;
}

const sources = (text: string): Map<string, SourceText> => new Map([["/repo/a.ts", { path: "/repo/a.ts", rel: "a.ts", text } as SourceText]]);

/** One build: the file's imports, then (when `span`) one of its spans; what was computed. */
function build(disk: DiskStore, text: string, span: boolean): string[] {
  const computed: string[] = [];
  const trees = new SyntaxTrees(sources(text));
  trees.bind(disk);
  expect(trees.derived("/repo/a.ts", "imports", () => (computed.push("imports"), [`imports of ${text}`]), "apart")).toEqual([`imports of ${text}`]);
  if (span) expect(trees.derived("/repo/a.ts", "spanOf 1:1", () => (computed.push("span"), { line: text.length }), true)).toEqual({ line: text.length });
  trees.keep();
  return computed;
}

describe("a source's kept results", () => {
  it("keeps the imports apart from the spans, each read only when asked for", () => {
    const disk = memoryDisk();
    expect(build(disk, "export {};", true)).toEqual(["imports", "span"]);
    // Two entries: the imports alone, the span alone.
    expect(disk.writes).toBe(2);
    expect([...disk.entries.values()].map((v) => (v as [string][]).map(([k]) => k)).sort()).toEqual([["imports"], ["spanOf 1:1"]]);

    // The next build asks for the imports only: one entry read, nothing computed or written.
    disk.reads = 0;
    disk.writes = 0;
    expect(build(disk, "export {};", false)).toEqual([]);
    expect(disk.reads).toBe(1);
    expect(disk.writes).toBe(0);
    // And for the span too: read from its own entry.
    disk.reads = 0;
    expect(build(disk, "export {};", true)).toEqual([]);
    expect(disk.reads).toBe(2);

    // Another text: computed again, and kept beside the first text's.
    expect(build(disk, "export const a = 1;", true)).toEqual(["imports", "span"]);
    expect(disk.entries.size).toBe(4);
  });

  it("reads a torn or foreign entry as a miss", () => {
    const disk = memoryDisk();
    build(disk, "export {};", true);
    for (const key of disk.entries.keys()) disk.entries.set(key, { not: "a list" });
    expect(build(disk, "export {};", true)).toEqual(["imports", "span"]);
    for (const key of disk.entries.keys()) disk.entries.set(key, [["imports", 1, 2]]);
    expect(build(disk, "export {};", true)).toEqual(["imports", "span"]);
  });
});
