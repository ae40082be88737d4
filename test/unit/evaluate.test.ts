import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { kindOf, type Site } from "../../stdlib/api/brand.js";
import { createContext } from "../../compiler/phases/context.js";
import { resolveOptions } from "../../compiler/phases/options.js";
import { Evaluator } from "../../compiler/phases/1-load/evaluate.js";
import { importedNames } from "../../compiler/phases/1-load/imports.js";
import { fnBody } from "../../compiler/phases/1-load/callbacks.js";
import type { FnDef } from "../../stdlib/api/define.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder with the given files, and an evaluator for a build of it. */
function repo(files: Record<string, string>): { root: string; evaluator: Evaluator; path: (rel: string) => string; write: (rel: string, text: string) => void } {
  const root = mkdtempSync(join(tmpdir(), "ff-evaluate-"));
  made.push(root);
  const write = (rel: string, text: string): void => writeFileSync(join(root, rel), text);
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, evaluator: new Evaluator(build(root)), path: (rel) => join(root, rel), write };
}

function build(root: string) {
  return createContext(resolveOptions({ root, evalTimeout: 5_000 }));
}

/** A watch rebuild's evaluation: refresh, then the roots evaluated (with what each file imports by name). */
function rebuild(evaluator: Evaluator, root: string, roots: readonly string[]): Set<string> {
  const ctx = build(root);
  const forgotten = evaluator.refresh(ctx, join(root, "fleetform.config.ts"));
  evaluator.evaluate(roots, (file) => importedNames(ctx, evaluator, file));
  return forgotten;
}

const LIB = `import { fn, ps } from "fleetform";
export const getA = fn({ name: "Get-A", params: {}, body: () => ps\`1\` });
`;
const MAIN = `import { fn, ps } from "fleetform";
import { getA } from "./lib.js";
export const getB = fn({ name: "Get-B", params: {}, body: () => ps\`\${getA({})}\` });
/** Defines a function when called: after evaluation, as a callback lowering runs would. */
export const later = () => fn({ name: "Get-Later", params: {}, body: () => ps\`2\` });
`;

const names = (defs: readonly object[]): string[] => defs.map((d) => (d as { name: string }).name);

describe("Evaluator: loader, invalidation, positions and syntax", () => {
  it("records the definitions made while files are evaluated, each with the site of the author's call", () => {
    const { evaluator, path } = repo({ "lib.ts": LIB, "main.ts": MAIN });
    evaluator.loader.load(path("main.ts"));
    const defs = evaluator.loader.definitions([path("main.ts")]);
    expect(names(defs)).toEqual(["Get-A", "Get-B"]);
    const site = (defs[1] as { site?: Site }).site;
    expect(site?.file).toBe(path("main.ts"));
    // The span of the call's callee, `fn` on line 3 (the site is where the author called fn, not fleetform's wrapper).
    expect(evaluator.locator.spanOf(site)).toEqual({ file: "main.ts", start: { line: 3, column: 21 }, end: { line: 3, column: 23 } });
    expect(evaluator.locator.optionSpan(site, ["name"])).toEqual({ file: "main.ts", start: { line: 3, column: 32 }, end: { line: 3, column: 39 } });
  });

  it("evaluates a file that starts with a #! line (TypeScript accepts one), with its positions unchanged", () => {
    // (it threw "Invalid or unexpected token": the line was kept inside the module's wrapper function)
    const { evaluator, path } = repo({ "lib.ts": LIB, "main.ts": `#!/usr/bin/env node\n${MAIN}` });
    evaluator.loader.load(path("main.ts"));
    const defs = evaluator.loader.definitions([path("main.ts")]);
    expect(names(defs)).toEqual(["Get-A", "Get-B"]);
    expect(evaluator.locator.spanOf((defs[1] as { site?: Site }).site)).toEqual({ file: "main.ts", start: { line: 4, column: 21 }, end: { line: 4, column: 23 } });
  });

  it("does not record a definition made after evaluation (lowering meets it as a value)", () => {
    const { evaluator, path } = repo({ "lib.ts": LIB, "main.ts": MAIN });
    const exports = evaluator.loader.load(path("main.ts"));
    const before = evaluator.loader.definitions([path("main.ts")]);
    const late = (exports.later as () => { definition: object })().definition;
    expect(kindOf(late)).toBe("fn");
    expect(evaluator.loader.definitions([path("main.ts")])).toEqual(before);
    expect(before).not.toContain(late);
  });

  it("leaves out the definitions of a file only a callback required, also once it is evaluated; a file the roots' evaluation reaches through a function it calls counts", () => {
    const CALLBACK = `import { fn, ps } from "fleetform";
export const f = fn({ name: "Get-F", params: {}, body: () => ps\`\${require("./lazy.js").g({})}\` });
export const load = (): unknown => require("./eager.js");
`;
    const ROOT = 'import { load } from "./callback.js";\nload();\n';
    const define = (name: string): string => `import { fn, ps } from "fleetform";\nexport const g = fn({ name: "${name}", params: {}, body: () => ps\`1\` });\n`;
    const { evaluator, path } = repo({ "callback.ts": CALLBACK, "root.ts": ROOT, "lazy.ts": define("Get-Lazy"), "eager.ts": define("Get-Eager") });
    const roots = [path("root.ts")];
    evaluator.loader.loadAll(roots);
    expect(names(evaluator.loader.definitions(roots))).toEqual(["Get-F", "Get-Eager"]);
    // (lowering runs the body: lazy.ts is evaluated now, its function made too late for the check)
    const f = evaluator.loader.load(path("callback.ts")).f as { definition: FnDef };
    fnBody(f.definition)();
    expect(evaluator.loader.has(path("lazy.ts"))).toBe(true);
    expect(names(evaluator.loader.definitions(roots))).toEqual(["Get-F", "Get-Eager"]);
  });

  it("refresh forgets a changed file with its definitions; a file importing a name whose value changed is evaluated again, the others keep their identity", () => {
    const { root, evaluator, path, write } = repo({ "lib.ts": LIB, "main.ts": MAIN, "other.ts": 'import { fn, ps } from "fleetform";\nexport const getC = fn({ name: "Get-C", params: {}, body: () => ps`3` });\n' });
    const roots = [path("main.ts"), path("other.ts")];
    evaluator.loader.loadAll(roots);
    const main = evaluator.loader.load(path("main.ts"));
    const other = evaluator.loader.load(path("other.ts"));
    write("lib.ts", LIB.replace("Get-A", "Get-A2"));
    const ctx = build(root);
    const forgotten = evaluator.refresh(ctx, path("fleetform.config.ts"));
    expect([...forgotten]).toEqual([path("lib.ts")]);
    expect(names(evaluator.loader.definitions(roots))).toEqual(["Get-B", "Get-C"]);
    evaluator.evaluate(roots, (file) => importedNames(ctx, evaluator, file));
    expect(evaluator.loader.load(path("other.ts"))).toBe(other);
    // main.ts imports getA, now another function: evaluated again (and Get-B, which calls it, is made again).
    expect(evaluator.loader.load(path("main.ts"))).not.toBe(main);
    expect(names(evaluator.loader.definitions(roots))).toEqual(["Get-C", "Get-A2", "Get-B"]);
  });

  it("importedNames: what a file reads of each file it imports, by name or whole", () => {
    const { root, evaluator, path } = repo({
      "a.ts": "export const x = 1;\nexport default 2;\n",
      "b.ts": "export const y = 1;\n",
      "c.ts": "export const z = 1;\n",
      "d.ts": "export const w = 1;\n",
      "e.ts": "export const v = 1;\n",
      "main.ts": [
        'import def, { x as renamed, type T } from "./a.js";',
        'import type { Only } from "./b.js";',
        'import "./b.js";',
        'import * as c from "./c.js";',
        'export { w as again } from "./d.js";',
        'export * from "./e.js";',
        "export const all = [def, renamed, c.z];",
      ].join("\n"),
      "req.ts": 'import { x } from "./a.js";\nconst a = require("./a.js");\nexport const q = [x, a];\n',
    });
    const ctx = build(root);
    evaluator.loader.loadAll([path("main.ts"), path("req.ts")]);
    const read = (file: string) => Object.fromEntries([...importedNames(ctx, evaluator, path(file))].map(([t, n]) => [t.slice(root.length + 1), n === "*" ? n : [...n].sort()]));
    expect(read("main.ts")).toEqual({ "a.ts": ["default", "x"], "b.ts": "*", "c.ts": "*", "d.ts": ["w"], "e.ts": "*" });
    expect(read("req.ts")).toEqual({ "a.ts": "*" });
  });

  describe("a watch rebuild keeps the definitions a file evaluated again makes the same (early cut-off)", () => {
    const LIB2 = `import { fn, ps, t } from "fleetform";
export const getA = fn({ name: "Get-A", params: { n: t.int() }, body: ({ n }) => ps\`Write-Output \${n} \${LEVEL}\` });
export const other = fn({ name: "Get-Other", params: {}, body: () => ps\`1\` });
const LEVEL = 1;
`;
    const MAIN2 = `import { fn, ps } from "fleetform";
import { getA } from "./lib.js";
export const getB = fn({ name: "Get-B", params: {}, body: () => ps\`\${getA({ n: 2 })}\` });
`;
    const NAMESPACE = `import { fn, ps } from "fleetform";
import * as lib from "./lib.js";
export const getN = fn({ name: "Get-N", params: {}, body: () => ps\`\${lib.other({})}\` });
`;
    const setup = () => {
      const r = repo({ "lib.ts": LIB2, "main.ts": MAIN2, "ns.ts": NAMESPACE });
      const roots = [r.path("main.ts"), r.path("ns.ts")];
      // Lowering runs every function's body: what it returned is what a definition kept must return again.
      const lower = (): void => {
        for (const def of r.evaluator.loader.definitions(roots)) fnBody(def as FnDef)();
      };
      r.evaluator.loader.loadAll(roots);
      lower();
      const exports = (rel: string) => r.evaluator.loader.load(r.path(rel));
      const snapshot = () => ({ lib: exports("lib.ts"), main: exports("main.ts"), ns: exports("ns.ts") });
      const step = (text: string) => {
        r.write("lib.ts", text);
        const before = snapshot();
        rebuild(r.evaluator, r.root, roots);
        lower();
        return { before, after: snapshot() };
      };
      return { ...r, step, lower, roots };
    };

    it("an edit that changes no definition: the definitions are the same objects, and a file importing them by name is not evaluated again", () => {
      const { step, evaluator, roots } = setup();
      const { before, after } = step(LIB2 + "// a comment\n");
      expect(after.lib).not.toBe(before.lib);
      expect(after.lib.getA).toBe(before.lib.getA);
      expect(after.lib.other).toBe(before.lib.other);
      expect(after.main).toBe(before.main);
      // A namespace import reads any name: nothing changed, so it is kept too.
      expect(after.ns).toBe(before.ns);
      expect(names(evaluator.loader.definitions(roots))).toEqual(expect.arrayContaining(["Get-A", "Get-Other", "Get-B", "Get-N"]));
      expect(evaluator.loader.definitions(roots)).toHaveLength(4);
    });

    it("a value a callback captures changes: that definition is made again, and the files importing it are evaluated again", () => {
      const { step } = setup();
      const { before, after } = step(LIB2.replace("const LEVEL = 1;", "const LEVEL = 2;"));
      expect(after.lib.getA).not.toBe(before.lib.getA);
      expect(after.lib.other).toBe(before.lib.other);
      expect(after.main).not.toBe(before.main);
      // ns.ts reads the whole module: a name changed.
      expect(after.ns).not.toBe(before.ns);
    });

    it("a definition's own text changes: it is made again; only the files reading that name are evaluated again", () => {
      const { step } = setup();
      const { before, after } = step(LIB2.replace("ps`1`", "ps`2`"));
      expect(after.lib.other).not.toBe(before.lib.other);
      expect(after.lib.getA).toBe(before.lib.getA);
      expect(after.main).toBe(before.main);
      expect(after.ns).not.toBe(before.ns);
    });

    it("a line added above a definition: it moved, so it is made again (its spans are not the last evaluation's)", () => {
      const { step, evaluator, path } = setup();
      const { before, after } = step("// moved\n" + LIB2);
      expect(after.lib.getA).not.toBe(before.lib.getA);
      expect(after.main).not.toBe(before.main);
      const site = (after.lib.getA as { definition: { site: Site } }).definition.site;
      expect(evaluator.locator.spanOf(site)?.start.line).toBe(3);
      expect(site.file).toBe(path("lib.ts"));
    });

    it("a line added inside a type (erased from the JavaScript): the TypeScript positions moved, so the definitions after it are made again", () => {
      const typed = LIB2.replace('import { fn, ps, t } from "fleetform";\n', 'import { fn, ps, t } from "fleetform";\ninterface Shape {\n  a: string;\n}\n');
      const { step, write, root, evaluator, lower, roots } = setup();
      write("lib.ts", typed);
      rebuild(evaluator, root, roots);
      lower();
      const { before, after } = step(typed.replace("  a: string;\n", "  a: string;\n  b: string;\n"));
      expect(after.lib.getA).not.toBe(before.lib.getA);
      expect(evaluator.locator.spanOf((after.lib.getA as { definition: { site: Site } }).definition.site)?.start.line).toBe(6);
    });
  });

  it("refresh reads a file again only when its size, times or inode changed, or when it was read within a clock tick of its last change", () => {
    const { root, evaluator, path, write } = repo({ "lib.ts": LIB, "main.ts": MAIN });
    evaluator.loader.load(path("main.ts"));
    const lib = path("lib.ts");
    const stamp = evaluator.sources.get(lib)!.stamp!;
    // A same-size edit the file system's times cannot tell apart (made within one tick of its clock):
    // the file was changed just before it was read, so its text is compared.
    write("lib.ts", LIB.replace("Get-A", "Get-Z"));
    Object.assign(stamp, { mtimeMs: statSync(lib).mtimeMs, ctimeMs: statSync(lib).ctimeMs });
    expect([...evaluator.refresh(build(root), path("fleetform.config.ts"))]).toEqual([lib]);
    evaluator.loader.load(lib);
    // Read long after its last change: its metadata is trusted, and it is not read again while they are the same.
    const again = evaluator.sources.get(lib)!.stamp!;
    again.readAt += 10_000;
    write("lib.ts", LIB.replace("Get-A", "Get-Y"));
    Object.assign(again, { mtimeMs: statSync(lib).mtimeMs, ctimeMs: statSync(lib).ctimeMs });
    expect([...evaluator.refresh(build(root), path("fleetform.config.ts"))]).toEqual([]);
    // Another size: read again.
    write("lib.ts", LIB.replace("Get-A", "Get-YY"));
    expect([...evaluator.refresh(build(root), path("fleetform.config.ts"))]).toEqual([lib]);
  });

  it("loadAll evaluates files under one time limit, yet each file gets the whole limit to itself", () => {
    const slow = (name: string, ms: number): string =>
      `import { fn, ps } from "fleetform";\nimport { getA } from "./lib.js";\nexport const f = fn({ name: "${name}", params: {}, body: () => ps\`\${getA({})}\` });\nconst until = Date.now() + ${ms};\nwhile (Date.now() < until) {}\nexport const done = true;\n`;
    const { root, path } = repo({ "lib.ts": LIB, "a.ts": slow("Get-SlowA", 600), "b.ts": slow("Get-SlowB", 600), "loop.ts": "while (true) {}\n", "c.ts": slow("Get-C", 0) });
    const evaluator = new Evaluator(createContext(resolveOptions({ root, evalTimeout: 1000 })));
    evaluator.loader.loadAll(["a.ts", "b.ts", "loop.ts", "c.ts"].map(path));
    // b.ts ran out of the window a.ts started with: it was evaluated again in a window of its own, once
    // (what its first, stopped evaluation made is forgotten).
    expect(evaluator.loader.load(path("b.ts")).done).toBe(true);
    expect(names(evaluator.loader.definitions(["a.ts", "b.ts", "loop.ts", "c.ts"].map(path)))).toEqual(["Get-A", "Get-SlowA", "Get-SlowB", "Get-C"]);
    expect(() => evaluator.loader.load(path("loop.ts"))).toThrow(expect.objectContaining({ timedOut: 1000, file: path("loop.ts") }));
    expect(evaluator.loader.failedFiles()).toEqual([path("loop.ts")]);
    expect([...evaluator.loader.requires.get(path("b.ts"))!]).toEqual([path("lib.ts")]);
  });

  it("retain forgets the files no longer required from the roots", () => {
    const { evaluator, path } = repo({ "lib.ts": LIB, "main.ts": MAIN, "other.ts": 'export const x = 1;\n' });
    evaluator.loader.load(path("main.ts"));
    evaluator.loader.load(path("other.ts"));
    evaluator.retain([path("other.ts")]);
    expect(evaluator.loader.definitions([path("other.ts")])).toEqual([]);
    expect([...evaluator.sources.keys()]).toEqual([path("other.ts")]);
    expect(evaluator.loader.has(path("main.ts"))).toBe(false);
  });

  it("maps a throw's stack back to the TypeScript, and finds a fragment's template holes", () => {
    const { evaluator, path } = repo({
      "lib.ts": LIB,
      "boom.ts": 'import { ps } from "fleetform";\nimport { getA } from "./lib.js";\nexport const f = ps`x ${getA} y ${1}`;\nconst n: number = 1;\nexport const g = (): void => { throw new Error(`at ${n!}`); };\n',
    });
    const exports = evaluator.loader.load(path("boom.ts"));
    let thrown: unknown;
    try {
      (exports.g as () => void)();
    } catch (e) {
      thrown = e;
    }
    expect(evaluator.locator.spanOfError(thrown)).toEqual({ file: "boom.ts", start: { line: 5, column: 38 }, end: { line: 5, column: 41 } });
    const template = evaluator.locator.templateAt((exports.f as { site?: Site }).site);
    expect(template.span).toEqual({ file: "boom.ts", start: { line: 3, column: 18 }, end: { line: 3, column: 20 } });
    expect(template.holes).toEqual([
      { span: { file: "boom.ts", start: { line: 3, column: 25 }, end: { line: 3, column: 29 } }, name: "getA" },
      { span: { file: "boom.ts", start: { line: 3, column: 35 }, end: { line: 3, column: 36 } } },
    ]);
  });
});
