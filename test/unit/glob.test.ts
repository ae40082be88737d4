import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { glob } from "../../compiler/util/glob.js";

const files = [
  "fleetform.config.ts",
  "README.md",
  "modules/web/index.ts",
  "modules/web/site.ts",
  "modules/db/index.ts",
  "modules/db/nested/index.ts",
  "modules/index.ts",
  "configurations/prod.ts",
  "configurations/staging.ts",
  "configurations/notes.md",
  "configurations/sub/deep.ts",
  "a/b.ts",
  "a/x/b.ts",
  "a/x/y/b.ts",
  "a/x/y/c.ts",
  "a/bb.ts",
  "hosts/web1.ts",
  "hosts/web2.ts",
  "hosts/web10.ts",
  "hosts/db1.ts",
  "node_modules/pkg/index.ts",
  "modules/web/node_modules/dep/index.ts",
  ".git/hooks/pre-commit.ts",
  "a/.git/b.ts",
  "Z/upper.ts",
  "dot.name/v1.0.ts",
  "dot.name/v1x0.ts",
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fleetform-glob-"));
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), "");
  }
  // A folder whose name matches a file pattern is not a file.
  mkdirSync(join(root, "configurations", "folder.ts"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("glob", () => {
  it("matches one folder level with *", () => {
    expect(glob(root, "modules/*/index.ts")).toEqual(["modules/db/index.ts", "modules/web/index.ts"]);
  });

  it("matches files only, in one folder, with *.ts", () => {
    expect(glob(root, "configurations/*.ts")).toEqual(["configurations/prod.ts", "configurations/staging.ts"]);
  });

  it("matches any depth, including none, with **", () => {
    const all = glob(root, "**/*.ts");
    expect(all).toContain("fleetform.config.ts");
    expect(all).toContain("modules/db/nested/index.ts");
    expect(all).toContain("a/x/y/b.ts");
    expect(all).not.toContain("README.md");
    expect(all).not.toContain("configurations/folder.ts");
    expect(all).toHaveLength(files.filter((f) => f.endsWith(".ts") && !f.includes("node_modules/") && !f.includes(".git/")).length);
  });

  it("matches zero or more folders for ** in the middle", () => {
    expect(glob(root, "a/**/b.ts")).toEqual(["a/b.ts", "a/x/b.ts", "a/x/y/b.ts"]);
  });

  it("matches every file below a folder with a trailing **", () => {
    expect(glob(root, "a/**")).toEqual(["a/b.ts", "a/bb.ts", "a/x/b.ts", "a/x/y/b.ts", "a/x/y/c.ts"]);
  });

  it("lists each file once even when ** can match it in several ways", () => {
    const found = glob(root, "**/**/*.ts");
    expect(new Set(found).size).toBe(found.length);
    expect(found).toEqual(glob(root, "**/*.ts"));
  });

  it("matches exactly one character with ?", () => {
    expect(glob(root, "hosts/web?.ts")).toEqual(["hosts/web1.ts", "hosts/web2.ts"]);
    expect(glob(root, "hosts/??1.ts")).toEqual(["hosts/db1.ts"]);
  });

  it("treats regular expression characters in a pattern literally", () => {
    expect(glob(root, "dot.name/v1.0.ts")).toEqual(["dot.name/v1.0.ts"]);
  });

  it("skips node_modules and .git folders", () => {
    const all = glob(root, "**/*.ts");
    expect(all.some((f) => f.includes("node_modules"))).toBe(false);
    expect(all.some((f) => f.includes(".git"))).toBe(false);
    expect(glob(root, "*/pkg/index.ts")).toEqual([]);
    expect(glob(root, "node_modules/pkg/index.ts")).toEqual([]);
    expect(glob(root, "modules/**/index.ts")).toEqual(["modules/db/index.ts", "modules/db/nested/index.ts", "modules/index.ts", "modules/web/index.ts"]);
  });

  it("returns sorted, root-relative paths with forward slashes", () => {
    const all = glob(root, "**/*.ts");
    expect(all).toEqual([...all].sort());
    for (const f of all) {
      expect(f.startsWith("/")).toBe(false);
      expect(f.startsWith(root)).toBe(false);
      expect(f).not.toContain("\\");
      expect(f.startsWith("./")).toBe(false);
    }
    expect(all.indexOf("Z/upper.ts")).toBeLessThan(all.indexOf("a/b.ts"));
  });

  it("ignores ./ and repeated slashes in the pattern", () => {
    expect(glob(root, "./configurations//*.ts")).toEqual(["configurations/prod.ts", "configurations/staging.ts"]);
  });

  it("returns [] when nothing matches or the folder does not exist", () => {
    expect(glob(root, "modules/*/missing.ts")).toEqual([]);
    expect(glob(root, "nowhere/**/*.ts")).toEqual([]);
    expect(glob(join(root, "no-such-root"), "**/*.ts")).toEqual([]);
    expect(glob(root, "configurations")).toEqual([]);
  });
});
