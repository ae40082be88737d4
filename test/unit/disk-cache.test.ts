// compiler/driver/cache.ts: entries round-trip, damaged ones are misses, the folder is pruned by last use,
// and the input digest sees every input (and nothing else).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiskCache, inputDigest } from "../../compiler/driver/cache.js";
import { keyOf } from "../../compiler/util/hash.js";

const dir = mkdtempSync(join(tmpdir(), "ff-disk-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)]));
}

describe("DiskCache", () => {
  it("keeps JSON values by kind and key; a damaged entry, or one of another kind or key, is a miss", () => {
    const cache = DiskCache.open(join(dir, "a"));
    const key = keyOf("x");
    expect(cache.get("build", key)).toBeUndefined();
    cache.put("build", key, { a: [1, "two", null] });
    expect(cache.get("build", key)).toEqual({ a: [1, "two", null] });
    const [file] = files(join(dir, "a"));
    // An entry copied under another key or kind is not taken for it.
    const other = keyOf("y");
    writeFileSync(file!.replace(key, other), readFileSync(file!));
    expect(cache.get("build", other)).toBeUndefined();
    // Torn, changed or empty: a miss, never an exception.
    const text = readFileSync(file!, "utf8");
    for (const damaged of [text.slice(0, text.length - 3), text.replace("two", "twp"), "", "\n", "garbage"]) {
      writeFileSync(file!, damaged);
      expect(cache.get("build", key)).toBeUndefined();
    }
    expect(() => cache.put("build", "not-a-key", 1)).toThrow();
  });

  it("writes behind (the CLI's build): an entry put is read back at once, on disk once flushed, the last put of a key winning", async () => {
    const folder = join(dir, "behind");
    const cache = DiskCache.open(folder, { writeBehind: true });
    const keys = Array.from({ length: 50 }, (_, i) => keyOf("behind", String(i)));
    for (const [i, key] of keys.entries()) cache.put("build", key, { i, first: true });
    for (const [i, key] of keys.entries()) cache.put("build", key, { i });
    for (const [i, key] of keys.entries()) expect(cache.get("build", key)).toEqual({ i });
    await cache.flush();
    // On disk, whole (another cache object reads them), no temporary file left, the last value each.
    const entries = files(folder);
    expect(entries.filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(entries).toHaveLength(keys.length);
    const other = DiskCache.open(folder);
    for (const [i, key] of keys.entries()) expect(other.get("build", key)).toEqual({ i });
  });

  it("keeps bytes as they are (putBytes/getBytes); a damaged entry is a miss", () => {
    const cache = DiskCache.open(join(dir, "bytes"));
    const key = keyOf("bytes");
    const body = Buffer.from([0, 10, 255, 13, 10, 0x80, 0x7b]);
    expect(cache.getBytes("code-cache", key)).toBeUndefined();
    cache.putBytes("code-cache", key, body);
    expect(cache.getBytes("code-cache", key)?.equals(body)).toBe(true);
    // (bytes that are not JSON are no value for get())
    expect(cache.get("code-cache", key)).toBeUndefined();
    const [file] = files(join(dir, "bytes"));
    const data = readFileSync(file!);
    for (const damaged of [data.subarray(0, data.length - 1), Buffer.concat([data, Buffer.from([0])]), Buffer.from(data.toString("latin1").replace(/\x80/, "\x81"), "latin1")]) {
      writeFileSync(file!, damaged);
      expect(cache.getBytes("code-cache", key)).toBeUndefined();
    }
  });

  it("never throws when the folder cannot be written", () => {
    const blocked = join(dir, "blocked");
    writeFileSync(blocked, "a file where the cache folder would be\n");
    const cache = DiskCache.open(join(blocked, "cache"));
    expect(() => cache.put("build", keyOf("z"), 1)).not.toThrow();
    expect(cache.get("build", keyOf("z"))).toBeUndefined();
  });

  it("prunes the least recently used entries beyond the limit, other fingerprints' folders and old temporary files", () => {
    const root = join(dir, "prune");
    const cache = DiskCache.open(root);
    const keys = Array.from({ length: 6 }, (_, i) => keyOf(`k${i}`));
    keys.forEach((k) => cache.put("transpile", k, "x".repeat(1000)));
    const base = join(root, readdirSync(root)[0]!, "transpile");
    // Used in the order 0..5, then 1 read again (a hit marks it used now).
    keys.forEach((k, i) => utimesSync(join(base, `${k}.json`), new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000)));
    expect(cache.get("transpile", keys[1]!)).toBe("x".repeat(1000));
    mkdirSync(join(root, "0123456789abcdef", "build"), { recursive: true });
    writeFileSync(join(base, `${keys[0]}.json.tmp-1-abcd`), "left by a killed build");
    utimesSync(join(base, `${keys[0]}.json.tmp-1-abcd`), new Date(0), new Date(0));
    const size = readFileSync(join(base, `${keys[2]}.json`)).length;
    cache.prune(size * 3);
    expect(readdirSync(root)).toHaveLength(1);
    const left = readdirSync(base).sort();
    expect(left).toEqual([keys[1], keys[4], keys[5]].map((k) => `${k}.json`).sort());
  });
});

describe("inputDigest", () => {
  it("changes with any file of the repo and the installed packages, not with .git, node_modules, .fleetform or output folders", () => {
    const repo = join(dir, "repo");
    mkdirSync(join(repo, "modules", "a"), { recursive: true });
    writeFileSync(join(repo, "fleetform.config.ts"), "export default 1;\n");
    writeFileSync(join(repo, "modules", "a", "index.ts"), "export const a = 1;\n");
    const cacheDir = join(repo, "cache-here");
    const digest = (): string => inputDigest(repo, cacheDir);
    const first = digest();
    expect(digest()).toBe(first);
    for (const [path, text] of [
      [".git/HEAD", "ref"],
      ["node_modules/x/index.js", "1"],
      [".fleetform/tools/pwsh.json", "{}"],
      ["dist/.fleetform-output", "marker"],
      ["dist/a.ps1", "x"],
      ["cache-here/entry.json", "{}"],
    ] as const) {
      mkdirSync(join(repo, path, ".."), { recursive: true });
      writeFileSync(join(repo, path), text);
      expect(digest(), path).toBe(first);
    }
    const changes: [string, string][] = [
      ["modules/a/index.ts", "export const a = 2;\n"],
      ["modules/a/helper.json", "{}"],
      ["README.md", "# repo\n"],
      ["node_modules/.package-lock.json", "{}"],
    ];
    let last = first;
    for (const [path, text] of changes) {
      writeFileSync(join(repo, path), text);
      const now = digest();
      expect(now, path).not.toBe(last);
      last = now;
    }
    // A file moved is a change, too (the path is hashed with the bytes).
    rmSync(join(repo, "modules", "a", "helper.json"));
    writeFileSync(join(repo, "modules", "helper.json"), "{}");
    expect(digest()).not.toBe(last);
  });
});
