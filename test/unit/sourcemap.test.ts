import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { SourceMap } from "../../compiler/util/sourcemap.js";

interface Position {
  line: number;
  column: number;
}

function transpile(source: string): { code: string; map: SourceMap } {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true },
    fileName: "x.ts",
  });
  const raw = JSON.parse(out.sourceMapText!) as { mappings: string; sources: string[] };
  expect(raw.sources).toEqual(["x.ts"]);
  return { code: out.outputText, map: new SourceMap(raw.mappings) };
}

/** 1-based position of the n-th (0-based) whole-word occurrence of `word` in `text`. */
function find(text: string, word: string, nth = 0): Position {
  const re = new RegExp(`(?<![\\w$])${word.replace(/[$.]/g, "\\$&")}(?![\\w$])`, "g");
  let m: RegExpExecArray | null = null;
  for (let i = 0; i <= nth; i++) {
    m = re.exec(text);
    if (!m) throw new Error(`'${word}' occurs fewer than ${nth + 1} times in:\n${text}`);
  }
  const before = text.slice(0, m!.index);
  const line = before.split("\n").length;
  return { line, column: m!.index - before.lastIndexOf("\n") };
}

const source = `import { readFileSync } from "node:fs";
import type { Options } from "./options";

/** Not emitted at all. */
interface Host {
  readonly name: string;
  readonly tags: readonly string[];
}

type Label = string;

export const defaultPort: number = 5985;

export function describeHost(host: Host, port: number = defaultPort): Label {
  const label: Label = host.name + ":" + port;
  return label;
}

export class Fleet {
  private readonly hosts: Host[] = [];
  add(host: Host, options?: Options): this {
    this.hosts.push(host);
    void options;
    return this;
  }
  size(): number {
    return this.hosts.length + readFileSync.length;
  }
}

export const total = new Fleet().add({ name: "web-01", tags: [] }).size();
`;

describe("SourceMap over TypeScript's transpileModule output", () => {
  const { code, map } = transpile(source);

  it("the output really moved things (so the test means something)", () => {
    expect(find(code, "describeHost", 2).line).not.toBe(find(source, "describeHost").line);
    expect(code).not.toContain("interface");
    expect(code).not.toContain(": Label");
  });

  // [word, occurrence in the source, occurrence in the output] (occurrences counted from 0).
  const cases: [word: string, nthInSource: number, nthInOutput: number][] = [
    ["defaultPort", 0, 1], // exports.defaultPort = 5985, after two erased imports and an interface
    ["describeHost", 0, 2], // function describeHost(
    ["host", 0, 0], // first parameter, whose annotation is erased
    ["port", 0, 0], // parameter after an erased annotation on the parameter before
    ["label", 0, 0], // declaration after a type annotation
    ["label", 1, 1], // return label
    ["Fleet", 0, 1], // class Fleet
    ["hosts", 0, 0], // class field after erased modifiers
    ["hosts", 1, 1], // this.hosts.push
    ["push", 0, 0],
    ["options", 1, 0], // optional parameter, its '?' and type erased
    ["options", 2, 1], // void options
    ["size", 0, 0], // method name after an erased return type
    ["length", 0, 0],
    ["total", 0, 1], // exports.total = ...
    ["Fleet", 1, 4], // new Fleet() on the last line
    ["size", 1, 1], // .size() on the last line
  ];

  for (const [word, nthInSource, nthInOutput] of cases) {
    it(`maps '${word}' (#${nthInOutput} in the output) back to its place in the TypeScript`, () => {
      const generated = find(code, word, nthInOutput);
      const expected = find(source, word, nthInSource);
      expect(map.original(generated.line, generated.column)).toEqual(expected);
    });
  }

  // CommonJS rewrites references to exported consts and imports as `exports.x` / `node_fs_1.x`;
  // TypeScript maps the start of that rewritten expression to the identifier in the source.
  it("maps an exported const referenced as exports.defaultPort to the identifier in the source", () => {
    const generated = find(code, "defaultPort", 2); // port = exports.defaultPort
    expect(code.split("\n")[generated.line - 1]).toContain("port = exports.defaultPort");
    expect(map.original(generated.line, generated.column)).toEqual(find(source, "defaultPort", 1));
  });

  it("maps an import referenced as node_fs_1.readFileSync to the identifier in the source", () => {
    const generated = find(code, "readFileSync", 0);
    expect(code.split("\n")[generated.line - 1]).toContain("node_fs_1.readFileSync");
    expect(map.original(generated.line, generated.column)).toEqual(find(source, "readFileSync", 1));
  });

  it("returns undefined for a line with no mappings, or past the end", () => {
    const lines = code.split("\n");
    const sourceMapLine = lines.findIndex((l) => l.startsWith("//# sourceMappingURL")) + 1;
    expect(sourceMapLine).toBeGreaterThan(0);
    expect(map.original(sourceMapLine, 1)).toBeUndefined();
    expect(map.original(lines.length + 10, 1)).toBeUndefined();
  });
});

describe("SourceMap on small sources", () => {
  it("maps through erased imports and interfaces that shift lines", () => {
    const src = [
      'import type { A } from "./a";',
      'import type { B } from "./b";',
      "interface C {",
      "  c: number;",
      "}",
      "export function run(a: A, b: B): C {",
      "  return compute(a, b);",
      "}",
      "declare function compute(a: unknown, b: unknown): C;",
    ].join("\n");
    const { code, map } = transpile(src);
    const generated = find(code, "compute");
    expect(map.original(generated.line, generated.column)).toEqual({ line: 7, column: 10 });
    const run = find(code, "run", 2); // function run(, after exports.run = run;
    expect(map.original(run.line, run.column)).toEqual({ line: 6, column: 17 });
  });

  it("keeps separate mappings for statements on one generated line", () => {
    const src = "const a: number = 1; const b: string = 'x';\nconst c = a;\n";
    const { code, map } = transpile(src);
    for (const word of ["a", "b", "c"]) {
      const generated = find(code, word);
      expect(map.original(generated.line, generated.column)).toEqual(find(src, word));
    }
    const second = find(code, "a", 1);
    expect(map.original(second.line, second.column)).toEqual(find(src, "a", 1));
  });

  it("decodes multi-character VLQ values (large line and column deltas)", () => {
    const padding = "\n".repeat(40);
    const src = `${padding}interface I { x: number }${padding}const spaced: I = { x: 1 };\n${" ".repeat(70)}export const far = spaced;\n`;
    const { code, map } = transpile(src);
    for (const [word, nth] of [["spaced", 0], ["spaced", 1], ["far", 1]] as const) {
      const generated = find(code, word, nth);
      expect(map.original(generated.line, generated.column)).toEqual(find(src, word, word === "far" ? 0 : nth));
    }
  });
});

describe("SourceMap decoding", () => {
  it("decodes hand-written mappings", () => {
    // Line 1: [0 → src 0:0], [4 → src 1:2]; line 2: none; line 3: [2 → src 0:0] (deltas carry over lines).
    const map = new SourceMap("AAAA,IACE;;EADF");
    expect(map.original(1, 1)).toEqual({ line: 1, column: 1 });
    // Inside a segment, original() gives the segment's start (the evaluator adds the offset only where the texts agree).
    expect(map.original(1, 3)).toEqual({ line: 1, column: 1 });
    expect(map.original(1, 5)).toEqual({ line: 2, column: 3 });
    expect(map.original(1, 9)).toEqual({ line: 2, column: 3 });
    expect(map.segment(1, 9)).toEqual({ line: 2, column: 3, generatedColumn: 5 });
    expect(map.original(2, 1)).toBeUndefined();
    expect(map.original(3, 3)).toEqual({ line: 1, column: 1 });
  });

  it("rejects characters that are not base64", () => {
    expect(() => new SourceMap("AA!A")).toThrow(/invalid base64 VLQ character '!'/);
  });

  it("reads a source map's JSON (SourceMap.lazy) when a position is first asked for, as the mappings themselves", () => {
    const eager = new SourceMap("AAAA,IACE;;EADF");
    const lazy = SourceMap.lazy(JSON.stringify({ version: 3, sources: ["a.ts"], mappings: "AAAA,IACE;;EADF", names: [] }));
    for (const [line, column] of [[1, 1], [1, 3], [1, 9], [2, 1], [3, 3], [4, 1]] as const) expect(lazy.segment(line, column), `${line}:${column}`).toEqual(eager.segment(line, column));
    // Nothing is read before: a map that is not valid fails only when asked.
    const bad = SourceMap.lazy('{"mappings":"AA!A"}');
    expect(() => bad.original(1, 1)).toThrow(/invalid base64 VLQ character '!'/);
    expect(() => SourceMap.lazy("not JSON").original(1, 1)).toThrow(SyntaxError);
    // esbuild's map of a file without code is empty.
    expect(SourceMap.lazy("").original(1, 1)).toBeUndefined();
  });
});
