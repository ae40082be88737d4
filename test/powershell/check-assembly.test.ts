// check-fragments.ps1 compiles FragmentCheck.cs once and keeps the assembly in fleetform's cache:
// a later build loads it instead of compiling (and marks it used, for the cache's pruning by last
// use), and a file that is damaged, torn or not an assembly is compiled again and replaced (written
// aside, then renamed). Findings are the same either way.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiskCache } from "../../compiler/driver/cache.js";
import { findPwsh, startFragmentParser, type FragmentParse, type Pwsh } from "../../compiler/powershell/pwsh.js";

const fragments = [
  { id: "a", text: "Get-Service -Name x -ErrorAction Ignor\nInvoke-Thing -Flag" },
  { id: "b", text: "$x = $null ?? 3" },
  { id: "c", text: "if ($x -eq { Get-Date" },
];

const dir = mkdtempSync(join(tmpdir(), "ff-check-assembly-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The kept assembly files (one per pwsh command line), and any other file, under `folder`. */
function keptFiles(folder = dir): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else found.push(join(d, e.name));
    }
  };
  walk(folder);
  return found;
}

/** Header and body of a kept file, and whether the header's sha256 is the body's. */
function readKept(file: string): { header: string; body: Buffer; whole: boolean } {
  const data = readFileSync(file);
  const nl = data.indexOf(10);
  const header = data.subarray(0, nl).toString("utf8");
  const body = data.subarray(nl + 1);
  return { header, body, whole: header.endsWith(` ${createHash("sha256").update(body).digest("hex")}`) };
}

// (the pwsh of the tests, without the check `fleetform setup` compiled with it: see the last test)
const found = findPwsh();
const pwsh: Pwsh | undefined = found && { command: found.command, from: found.from, ...(found.modulePath ? { modulePath: found.modulePath } : {}) };

describe("the compiled fragment check, kept in the cache", () => {
  const run = async (cache?: DiskCache, prepared?: string): Promise<FragmentParse[]> => startFragmentParser({ ...pwsh!, ...(prepared ? { checkAssembly: prepared } : {}) }, cache ? { cache } : {}).parse(fragments);

  it("is compiled once, loaded after, and compiled again when the file is damaged", async () => {
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const cache = DiskCache.open(dir);
    const first = await run(cache);
    // What the texts say (the comparisons below are not between empty answers).
    expect(first.map((r) => r.id).sort()).toEqual(["a", "b", "c"]);
    expect(first.find((r) => r.id === "c")!.errors).toHaveLength(1);
    const files = keptFiles();
    expect(files).toHaveLength(1);
    const file = files[0]!;
    const kept = readKept(file);
    expect(kept.header).toMatch(/^fleetform-check-assembly 1 [0-9a-f]{64} [0-9a-f]{64}$/);
    expect(kept.whole).toBe(true);
    expect(kept.body.subarray(0, 2).toString("latin1")).toBe("MZ");
    // Used a day ago (the cache prunes by last use, the file's time).
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(file, dayAgo, dayAgo);
    const stat = statSync(file);

    // Loaded, not compiled: the file is not replaced, and the hit is a use (its time is now's).
    const before = Date.now();
    expect(await run(DiskCache.open(dir))).toEqual(first);
    const again = statSync(file);
    expect(again.ino).toBe(stat.ino);
    expect(readFileSync(file).equals(Buffer.concat([Buffer.from(`${kept.header}\n`), kept.body]))).toBe(true);
    expect(again.mtimeMs).toBeGreaterThanOrEqual(before - 2000);

    // A flipped byte in the assembly (as a torn file, a mismatch of the sha256), a file of another
    // source or pwsh: each is compiled again and replaced by a whole file.
    const damaged = Buffer.from(kept.body);
    damaged[damaged.length - 100] ^= 0xff;
    // (the first digit of what it was compiled from changed)
    const at = "fleetform-check-assembly 1 ".length;
    const otherSource = `${kept.header.slice(0, at)}${kept.header[at] === "0" ? "1" : "0"}${kept.header.slice(at + 1)}`;
    const variants: [string, Buffer][] = [
      ["a damaged assembly", Buffer.concat([Buffer.from(`${kept.header}\n`), damaged])],
      ["another source or pwsh", Buffer.concat([Buffer.from(`${otherSource}\n`), kept.body])],
    ];
    for (const [what, bytes] of variants) {
      writeFileSync(file, bytes);
      expect(await run(DiskCache.open(dir)), what).toEqual(first);
      const replaced = readKept(file);
      expect(replaced.whole, what).toBe(true);
      // (of the same source and pwsh; a new compile is another assembly, so its own sha256)
      expect(replaced.header.slice(0, at + 64), what).toBe(kept.header.slice(0, at + 64));
      expect(replaced.body.subarray(0, 2).toString("latin1"), what).toBe("MZ");
      expect(keptFiles(), what).toEqual([file]);
    }
  }, 600_000);

  it("is compiled in memory without a cache (--no-cache), with the same findings", async () => {
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const cached = await run(DiskCache.open(dir));
    // Without a cache, a FLEETFORM_CHECK_ASSEMBLY of the environment is not used either.
    const fromEnv = join(dir, "from-the-environment");
    process.env.FLEETFORM_CHECK_ASSEMBLY = fromEnv;
    try {
      expect(await run()).toEqual(cached);
    } finally {
      delete process.env.FLEETFORM_CHECK_ASSEMBLY;
    }
    expect(keptFiles().filter((f) => f.startsWith(fromEnv))).toEqual([]);
  }, 120_000);

  it("is read from the tools when `fleetform setup` compiled it there, as it is, and not when it is another's", async () => {
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const expected = await run(DiskCache.open(dir));
    // What setup writes: the file check-fragments.ps1 compiles (the one kept in the cache above).
    const prepared = join(dir, "tools-fragment-check.assembly");
    const compiled = readFileSync(keptFiles().find((f) => !f.startsWith(prepared))!);
    writeFileSync(prepared, compiled);
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(prepared, dayAgo, dayAgo);
    // Used: nothing is compiled into this build's (empty) cache, and the tools' file is left as it is.
    const empty = mkdtempSync(join(dir, "cache-"));
    expect(await run(DiskCache.open(empty), prepared)).toEqual(expected);
    expect(keptFiles(empty).filter((name) => !name.endsWith(".json"))).toEqual([]);
    expect(Math.abs(statSync(prepared).mtimeMs - dayAgo.getTime())).toBeLessThan(1);
    // Of another source or pwsh (an older fleetform's): compiled into the cache instead, and the
    // tools' file is not replaced (setup's, not the build's, to write).
    const at = "fleetform-check-assembly 1 ".length;
    const other = Buffer.from(compiled);
    other[at] = other[at] === 0x30 ? 0x31 : 0x30;
    writeFileSync(prepared, other);
    const fresh = mkdtempSync(join(dir, "cache-"));
    expect(await run(DiskCache.open(fresh), prepared)).toEqual(expected);
    expect(keptFiles(fresh).filter((name) => !name.endsWith(".json"))).toHaveLength(1);
    expect(readFileSync(prepared).equals(other)).toBe(true);
  }, 600_000);
});
