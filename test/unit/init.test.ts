// `fleetform init` in the folder a new user has: `git init`, `npm init -y`, `npm i -D fleetform`.
// It keeps what is there (merging package.json and .gitignore), refuses anything else with one
// coded diagnostic, and writes nothing when it refuses.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { init, mergePackageJson } from "../../compiler/init/index.js";
import { initFiles } from "../../compiler/init/templates.js";
import { listFiles } from "../helpers/cases.js";

const parent = mkdtempSync(join(tmpdir(), "ff-init-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** What `npm init -y` writes with npm 10/11. */
const NPM_INIT = `{
  "name": "my-fleet",
  "version": "1.0.0",
  "description": "",
  "main": "index.js",
  "scripts": {
    "test": "echo \\"Error: no test specified\\" && exit 1"
  },
  "keywords": [],
  "author": "",
  "license": "ISC",
  "type": "commonjs",
  "devDependencies": {
    "fleetform": "^0.1.0"
  }
}
`;

let n = 0;
function folder(files: Record<string, string>, dirs: readonly string[] = []): string {
  const dir = join(parent, `case-${++n}`, "my-fleet");
  mkdirSync(dir, { recursive: true });
  for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}

const template = initFiles("x", "0.1.0");

describe("fleetform init in a folder that is not empty", () => {
  it("accepts package.json, its lock file, node_modules and .git, and keeps the user's package.json", () => {
    const dir = folder({ "package.json": NPM_INIT, "package-lock.json": "{}\n", "node_modules/fleetform/package.json": "{}" }, [".git", "node_modules/fleetform"]);
    const done = init(dir);
    expect("files" in done && done).toMatchObject({ merged: ["package.json"] });
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    // Every field the user had, in the user's order; npm's placeholder test script replaced.
    expect(Object.keys(pkg)).toEqual(["name", "version", "description", "main", "scripts", "keywords", "author", "license", "type", "devDependencies"]);
    expect(pkg).toMatchObject({ name: "my-fleet", version: "1.0.0", license: "ISC", type: "commonjs", devDependencies: { fleetform: "^0.1.0" } });
    expect(pkg.scripts).toEqual({ test: "fleetform build && fleetform test", build: "fleetform build", check: "fleetform check" });
    expect(readFileSync(join(dir, "package-lock.json"), "utf8")).toBe("{}\n");
    expect(readFileSync(join(dir, "node_modules", "fleetform", "package.json"), "utf8")).toBe("{}");
    expect(listFiles(dir).filter((f) => !f.startsWith("node_modules/"))).toEqual([
      ".gitignore",
      "README.md",
      "buildspec.yml",
      "configurations/web.ts",
      "fleetform.config.ts",
      "modules/app/index.ts",
      "modules/platform/index.ts",
      "package-lock.json",
      "package.json",
      "pipeline.yaml",
      "tsconfig.json",
    ]);
  });

  it("never replaces the user's own scripts or fleetform version, and adds fleetform where it is missing", () => {
    const mine = { name: "a", scripts: { build: "tsc && fleetform build", test: "vitest" }, dependencies: { fleetform: "1.2.3" } };
    const merged = mergePackageJson(JSON.stringify(mine), template["package.json"]!);
    expect("text" in merged).toBe(true);
    const pkg = JSON.parse((merged as { text: string }).text) as typeof mine & { devDependencies?: unknown };
    expect(pkg.scripts).toEqual({ build: "tsc && fleetform build", test: "vitest", check: "fleetform check" });
    expect(pkg.dependencies).toEqual({ fleetform: "1.2.3" });
    expect(pkg.devDependencies).toBeUndefined();

    const bare = JSON.parse((mergePackageJson('{"name":"b","devDependencies":{"typescript":"^7.0.2","@types/x":"1"}}', template["package.json"]!) as { text: string }).text);
    expect(bare.devDependencies).toEqual({ "@types/x": "1", fleetform: "^0.1.0", typescript: "^7.0.2" });
    expect(Object.keys(bare.devDependencies)).toEqual(["@types/x", "fleetform", "typescript"]);
    expect(bare.scripts).toEqual(JSON.parse(template["package.json"]!).scripts);
  });

  it("keeps the user's indentation, line ends and hostile field values", () => {
    const text = '{\r\n\t"name": "t",\r\n\t"description": "\\u0000\\"; rm -rf / #",\r\n\t"__proto__": {"x": 1}\r\n}\r\n';
    const merged = (mergePackageJson(text, template["package.json"]!) as { text: string }).text;
    expect(merged).toMatch(/^\{\r\n\t"name": "t",\r\n\t"description": "\\u0000\\"; rm -rf \/ #",\r\n\t"__proto__": \{\r\n\t\t"x": 1\r\n\t\},\r\n\t"scripts": \{\r\n/);
    expect(merged.replace(/\r\n/g, "")).not.toContain("\n");
    expect(JSON.parse(merged).description).toBe('\u0000"; rm -rf / #');
  });

  it("adds the .gitignore lines the user's file lacks", () => {
    const dir = folder({ "package.json": NPM_INIT, ".gitignore": "node_modules\n*.log" }, [".git"]);
    const done = init(dir);
    expect("files" in done && done.merged).toEqual(["package.json", ".gitignore"]);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("node_modules\n*.log\nnode_modules/\ndist/\n");
  });

  it("refuses any other file with FF1012, naming it, and writes nothing", () => {
    const dir = folder({ "package.json": NPM_INIT, "notes.txt": "mine", "modules\nx": "" }, [".git"]);
    const done = init(dir);
    expect("diagnostic" in done).toBe(true);
    const d = (done as { diagnostic: { code: string; message: string } }).diagnostic;
    expect(d.code).toBe("FF1012");
    expect(d.message).toContain("is not empty");
    expect(d.message).toContain('"modules\\nx", "notes.txt"');
    expect(listFiles(dir).sort()).toEqual(["modules\nx", "notes.txt", "package.json"].sort());
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(NPM_INIT);
  });

  it("refuses a package.json that is not JSON with FF1013 at the mistake, and writes nothing", () => {
    const text = '{\n  "name": "x",\n  "scripts": { "build": "a", }\n}\n';
    const dir = folder({ "package.json": text });
    const done = init(dir);
    expect("diagnostic" in done).toBe(true);
    const { diagnostic, sources } = done as { diagnostic: Parameters<typeof formatDiagnostics>[0][number]; sources: ReadonlyMap<string, string> };
    expect(diagnostic.code).toBe("FF1013");
    expect(diagnostic.span).toMatchObject({ file: "package.json", start: { line: 3, column: 30 } });
    const printed = formatDiagnostics([diagnostic], (f) => sources.get(f));
    expect(printed).toMatch(/^package\.json:3:30: error FF1013: fleetform init cannot add its scripts to package\.json: it is not valid JSON/);
    expect(printed).toContain('  3 |   "scripts": { "build": "a", }\n    |                              ^');
    expect(printed).not.toMatch(/\n\s+at /);
    expect(listFiles(dir)).toEqual(["package.json"]);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(text);
  });

  it("refuses scripts or dependencies that are not objects, at the field", () => {
    const r = mergePackageJson('{\n  "scripts": ["build"]\n}\n', template["package.json"]!);
    expect(r).toMatchObject({ problem: 'its "scripts" is not an object', span: { file: "package.json", start: { line: 2, column: 14 } } });
    expect(mergePackageJson("[]", template["package.json"]!)).toMatchObject({ problem: "it is not a JSON object" });
    expect(mergePackageJson('{"devDependencies": "fleetform"}', template["package.json"]!)).toMatchObject({ problem: 'its "devDependencies" is not an object' });
  });
});

describe("the tsconfig fleetform init writes", () => {
  it("type-checks with the ES library only: DOM globals are errors", () => {
    const dir = folder({ "tsconfig.json": template["tsconfig.json"]!, "fleetform.config.ts": "export const title: string = document.title;\nexport const n: number = [1, 2].at(-1) ?? 0;\n" });
    const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir, encoding: "utf8" });
    expect(r.stdout).toMatch(/^fleetform\.config\.ts\(1,30\): error TS2584: Cannot find name 'document'/);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });
});
