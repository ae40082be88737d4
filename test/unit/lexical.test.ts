// compiler/phases/1-load/lexical.ts against TypeScript's syntax tree: for every call and tagged
// template (its callee, holes and whole range) in the example, the tests and their inputs, and the standard library, at each place V8 puts a
// call (its callee's name, or right after it), the callee found in the text is TypeScript's (the
// rule of Locator.callAt), and a tagged template's holes are the template spans' expressions, with
// the same names. Where the text is not plain enough the lexical reader answers nothing (the
// locator then asks TypeScript), but it must answer for most of the calls, or it saves nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { typescript } from "../../compiler/util/typescript.js";
import { unwrapExpression } from "../../compiler/phases/1-load/syntax.js";
import { calleeAt, callRange, declarationsOf, mayRepeatKey, templateHoles } from "../../compiler/phases/1-load/lexical.js";
import { declarationsFromTree } from "../../compiler/phases/1-load/imports.js";

const root = resolve(import.meta.dirname, "..", "..");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(m|c)?ts$/.test(name) && !/\.d\.(m|c)?ts$/.test(name)) out.push(path);
  }
  return out;
}

// (the tests themselves too: more shapes of TypeScript than the inputs have)
const files = [...sources(join(root, "examples")), ...sources(join(root, "test")), ...sources(join(root, "stdlib")), ...sources(join(root, "bench"))];

describe("lexical spans against TypeScript's syntax tree", () => {
  it("finds the same callee and holes wherever it answers, for most calls", () => {
    const ts = typescript();
    let sites = 0;
    let answered = 0;
    let templates = 0;
    let templatesAnswered = 0;
    let ranges = 0;
    const mismatches: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      // (a file that does not parse, a diagnostics case's input, has no tree to agree with: its build stops at the syntax error)
      if ((file as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics.length > 0) continue;
      const calls: (ts.CallExpression | ts.TaggedTemplateExpression)[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) calls.push(node);
        ts.forEachChild(node, visit);
      };
      visit(file);
      // Locator.callAt's rule: the innermost call whose callee name spans the offset or ends right before it.
      const treeCallee = (offset: number): { start: number; end: number; call: ts.CallExpression | ts.TaggedTemplateExpression } | undefined => {
        let found: ts.CallExpression | ts.TaggedTemplateExpression | undefined;
        for (const node of calls) {
          if (offset < node.pos || offset > node.end) continue;
          const callee = ts.isCallExpression(node) ? node.expression : node.tag;
          const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
          // (calls are in pre-order: a later match is inside an earlier one)
          if (name.getStart(file) <= offset && offset <= callee.end + 1) found = node;
        }
        if (!found) return undefined;
        let callee: ts.Node = ts.isCallExpression(found) ? found.expression : found.tag;
        if (ts.isPropertyAccessExpression(callee)) callee = callee.name;
        return { start: callee.getStart(file), end: callee.end, call: found };
      };
      for (const node of calls) {
        const callee = ts.isCallExpression(node) ? node.expression : node.tag;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
        for (const offset of [name.getStart(file), callee.end]) {
          sites++;
          const lexical = calleeAt(text, offset);
          if (!lexical) continue;
          answered++;
          const tree = treeCallee(offset);
          const where = `${path.slice(root.length + 1)}@${offset}`;
          if (!tree || tree.start !== lexical.start || tree.end !== lexical.end) {
            mismatches.push(`${where}: lexical ${text.slice(lexical.start, lexical.end)} [${lexical.start},${lexical.end}), tree ${tree ? `${text.slice(tree.start, tree.end)} [${tree.start},${tree.end})` : "none"}`);
            continue;
          }
          if (lexical.tagged !== ts.isTaggedTemplateExpression(tree.call)) mismatches.push(`${where}: tagged ${lexical.tagged}`);
          const range = callRange(text, lexical);
          if (range) {
            ranges++;
            if (range.start !== tree.call.getStart(file) || range.end !== tree.call.end) mismatches.push(`${where}: call [${range.start},${range.end}) against [${tree.call.getStart(file)},${tree.call.end})`);
          }
          if (!ts.isTaggedTemplateExpression(tree.call)) continue;
          templates++;
          const holes = templateHoles(text, lexical.end);
          if (!holes) continue;
          templatesAnswered++;
          const template = tree.call.template;
          const expected = ts.isTemplateExpression(template)
            ? template.templateSpans.map((t) => {
                const e = unwrapExpression(t.expression);
                const written = ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? e.getText(file) : undefined;
                return { start: t.expression.getStart(file), end: t.expression.end, ...(written !== undefined && !/\s/.test(written) ? { name: written } : {}) };
              })
            : [];
          if (JSON.stringify(holes) !== JSON.stringify(expected)) mismatches.push(`${where}: holes ${JSON.stringify(holes)} against ${JSON.stringify(expected)}`);
        }
      }
    }
    console.log(`${files.length} files: ${answered} of ${sites} call sites answered (${ranges} with the whole call's range), ${templatesAnswered} of ${templates} templates`);
    expect(mismatches).toEqual([]);
    expect(files.length).toBeGreaterThan(900);
    expect(answered / sites).toBeGreaterThan(0.85);
    expect(templatesAnswered / templates).toBeGreaterThan(0.9);
    // (the tests chain calls on results, `expect(x).toBe(`: left to the tree)
    expect(ranges / answered).toBeGreaterThan(0.75);
  });

  it("reads the same import declarations as the syntax tree wherever it answers, for most files", () => {
    const ts = typescript();
    let answered = 0;
    let declarations = 0;
    const mismatches: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const lexical = declarationsOf(text);
      if (!lexical) continue;
      answered++;
      declarations += lexical.length;
      const tree = declarationsFromTree(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
      // (it answers only for a file without import() and require(): those are read from the tree)
      const expected = tree.dynamic.length === 0 && tree.required.length === 0 ? tree.declarations : "import() or require()";
      if (JSON.stringify(lexical) !== JSON.stringify(expected)) mismatches.push(`${path.slice(root.length + 1)}: ${JSON.stringify(lexical)} against ${JSON.stringify(expected)}`);
    }
    console.log(`${answered} of ${files.length} files read without a parser, ${declarations} relative declarations`);
    expect(mismatches).toEqual([]);
    expect(answered / files.length).toBeGreaterThan(0.9);
    expect(declarations).toBeGreaterThan(500);
  });

  it("reads every shape of declaration as TypeScript does", () => {
    const ts = typescript();
    const shapes = [
      'import "./a";',
      'import {} from "./a"',
      'import a from "./a"; import type b from "./b";',
      'import a, { b as c, type d, "e" as f } from "./a";\nimport { type x, type y } from "./b"\n;',
      'import * as ns from "./a"; import a, * as ns2 from "./b"; import type * as t from "./c";',
      'import { default as x } from "./a"; import pkg from "fleetform";',
      'export * from "./a"; export * as ns from "./b"; export type * from "./c"; export type * as t from "./d";',
      'export { a, b as c, type d } from "./a"; export type { e } from "./b"; export {} from "./c"; export { type f } from "./d";',
      'export { a }; export const b = 1; export default c; export function f() { return 1 / 2; }',
      '/* import x from "./no" */ // import y from "./no"\nconst s = "import z from \'./no\'"; const t = `${"import"} from "./no"`;',
      '#!/usr/bin/env node\nimport a from "./a"',
      'declare module "m" { export const x: number; }\nimport b from "./b";',
      'import type from "./a"; import type, { b } from "./b";',
      'const p = t.string({ pattern: /^[\\d"\'`{(]+\\/$/i }); import a from "./a";',
      'if (x) /"{/.test(y); import b from "./b";',
      'const r = (a + b) / c / d; x = a\n/b/g.exec(c); import c from "./c"',
      // (a trial's findings: a regular expression after `export default` read as a division hid the
      // import after it behind its `/*`; a division after a property named `in` read as a regular
      // expression made an import of the comment after it)
      'export default /[/*]/;\nimport { A } from "../app/index.js";\nexport const arr = [A /* used */];',
      'const sizes = { in: 4 };\nexport const half = sizes.in / 2 /* import { A } from "../app/index.js" */ / 1;',
      'export const q = x.return / 2 /* import b from "./b" */; const t = this / 2 /* " */; import c from "./c";',
    ];
    for (const text of shapes) {
      const lexical = declarationsOf(text);
      expect(lexical, text).toBeDefined();
      expect(lexical, text).toEqual(declarationsFromTree(ts.createSourceFile("a.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)).declarations);
    }
    // left to the syntax tree: a `/` after a `}`, import(), require(), import-equals, attributes, escapes, an unclosed text
    for (const text of ['function f() {}\n/x/.test(y)', 'x = a++ / 2 /* import b from "./b" */', 'const of = 4; x = of / 2', 'const m = import("./a");', 'const m = require("./a");', 'import a = require("./a");', 'import a from "./a" with { type: "json" };', 'import a from "./\\u0061";', 'const s = "abc', "const t = `${a`", "f({)"]) {
      expect(declarationsOf(text), text).toBeUndefined();
    }
  });

  it("reads a call's range over divisions and regular expressions as TypeScript does, or not at all", () => {
    const ts = typescript();
    for (const text of ['f(a.in / 2 /* ) */ / 1, /[)]/, "x")', 'f(() => { if (x) /")/.test(y); return 1; })', "f(x.default / 2 /* ) */)", "f(`${a.in / 2 /* } */}`)"]) {
      const callee = calleeAt(text, 0)!;
      const file = ts.createSourceFile("a.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const call = (file.statements[0] as import("typescript").ExpressionStatement).expression;
      expect(callRange(text, callee), text).toEqual({ start: call.getStart(file), end: call.end });
    }
    // (a `/` after `++`, a `}`, or a name that may be a keyword: left to the tree)
    for (const text of ["f(a++ / 2)", "f(() => {} / 2)", "f(of / 2)"]) expect(callRange(text, calleeAt(text, 0)!), text).toBeUndefined();
  });

  it("answers nothing where the text is not plain", () => {
    // a generic call, an optional call, a keyword, a declaration, a name followed by a space
    for (const [text, at] of [["f<T>(x)", 0], ["f?.(x)", 0], ["if (x) y()", 0], ["function g(x) {}", 9], ["f (x)", 0], ["#p(x)", 1]] as const) {
      expect(calleeAt(text, at)).toBeUndefined();
    }
    // holes TypeScript looks through for a name, a comment, a regular expression
    for (const text of ["ps`${(x)}`", "ps`${x as string}`", "ps`${x!}`", "ps`${a?.b}`", "ps`${x /* c */}`", "ps`${/}/.source}`", "ps`${'a'`"]) {
      expect(templateHoles(text, 2)).toBeUndefined();
    }
    expect(templateHoles("ps`a ${x} b ${lib.f({ a: `${y}` })} ${true}`", 2)).toEqual([
      { start: 7, end: 8, name: "x" },
      { start: 14, end: 34 },
      { start: 38, end: 42 },
    ]);
  });
});

describe("mayRepeatKey", () => {
  it("is false only where no object literal can hold a name twice", () => {
    const once = 'configuration({ resources: { web: A({ name: "web" }), db: B({}, { dependsOn: ["web"] }) } })';
    expect(mayRepeatKey(once, ["web", "db"])).toBe(false);
    for (const twice of [
      "({ web: 1, web: 2 })",
      '({ web: 1, "web": 2 })',
      "({ web: 1, 'web' : 2 })",
      '({ web: 1, ["web"]: 2 })',
      "({ web: 1, [`web`]: 2 })",
      "({ web: 1, web })",
      "({ web, web: 2 })",
      "({ web: 1, web() { return 2; } })",
      "({ web: 1, get web() { return 2; } })",
      "({ web: 1, web /* again */ : 2 })",
      '({ web: 1, "w\\u0065b": 2 })',
      '({ web: 1, "w\\eb": 2 })',
    ]) {
      expect(mayRepeatKey(twice, ["web"]), twice).toBe(true);
    }
    // (a name that is no identifier is the syntax tree's to compare)
    expect(mayRepeatKey("({ 'a-b': 1 })", ["a-b"])).toBe(true);
  });
});
