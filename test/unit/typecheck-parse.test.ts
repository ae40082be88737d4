import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTscOutput } from "../../compiler/phases/1-load/typecheck.js";

let root: string;

const indexTs = [
  "declare const inner: { b: number };", // 1
  "const e: { a: { b: string } } = { a: inner };", // 2
  "export const port: string = 5985;", // 3
  'import { nope } from "./missing";', // 4
  "const $dollar_1: number = 'x';", // 5
  "f(  {});", // 6
].join("\n");

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fleetform-tsc-"));
  mkdirSync(join(root, "modules", "a"), { recursive: true });
  writeFileSync(join(root, "modules", "a", "index.ts"), indexTs);
  writeFileSync(join(root, "modules", "a", "crlf.ts"), "const a = 1;\r\nconst value: string = a;\r\n");
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("parseTscOutput", () => {
  it("parses a diagnostic line into code, severity, message and span start", () => {
    const { diagnostics } = parseTscOutput("modules/a/index.ts(12,5): error TS2322: Type 'number' is not assignable to type 'string'.\n", root);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d!.code).toBe("TS2322");
    expect(d!.severity).toBe("error");
    expect(d!.message).toBe("Type 'number' is not assignable to type 'string'.");
    expect(d!.span!.file).toBe("modules/a/index.ts");
    expect(d!.span!.start).toEqual({ line: 12, column: 5 });
    expect(d!.notes).toBeUndefined();
  });

  it("reads warnings as warnings", () => {
    const { diagnostics } = parseTscOutput("modules/a/index.ts(1,1): warning TS6133: 'x' is declared but its value is never read.", root);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["TS6133", "warning"]]);
  });

  it("turns indented continuation lines into notes, one per line", () => {
    const output = [
      "modules/a/index.ts(2,35): error TS2322: Type '{ b: number; }' is not assignable to type '{ b: string; }'.",
      "  Types of property 'b' are incompatible.",
      "    Type 'number' is not assignable to type 'string'.",
      "modules/a/index.ts(3,14): error TS2322: Type 'number' is not assignable to type 'string'.",
      "",
    ].join("\n");
    const { diagnostics } = parseTscOutput(output, root);
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]!.message).toBe("Type '{ b: number; }' is not assignable to type '{ b: string; }'.");
    expect(diagnostics[0]!.notes).toEqual([
      { message: "Types of property 'b' are incompatible." },
      { message: "Type 'number' is not assignable to type 'string'." },
    ]);
    expect(diagnostics[1]!.notes).toBeUndefined();
    expect(diagnostics[1]!.span!.start).toEqual({ line: 3, column: 14 });
  });

  it("accepts CRLF output", () => {
    const output = "modules/a/index.ts(2,35): error TS2322: first.\r\n  second.\r\nmodules/a/index.ts(3,14): error TS2322: third.\r\n";
    const { diagnostics } = parseTscOutput(output, root);
    expect(diagnostics.map((d) => d.message)).toEqual(["first.", "third."]);
    expect(diagnostics[0]!.notes).toEqual([{ message: "second." }]);
  });

  it("ignores lines that are not located diagnostics", () => {
    const output = ["Version 7.0.2", "", "Found 1 error.", "modules/a/index.ts(3,14): error TS2322: Type 'number' is not assignable to type 'string'."].join("\n");
    expect(parseTscOutput(output, root).diagnostics.map((d) => d.code)).toEqual(["TS2322"]);
    expect(parseTscOutput("", root).diagnostics).toEqual([]);
  });

  it("extends the span over the identifier at the position when the file exists", () => {
    const { diagnostics, sources } = parseTscOutput(
      [
        "modules/a/index.ts(2,35): error TS2322: x.", // the property name a (where tsc reports it)
        "modules/a/index.ts(2,38): error TS2322: x.", // inner
        "modules/a/index.ts(3,14): error TS2322: x.", // port
        "modules/a/index.ts(5,7): error TS2322: x.", // $dollar_1
      ].join("\n"),
      root,
    );
    expect(diagnostics.map((d) => [d.span!.start, d.span!.end])).toEqual([
      [{ line: 2, column: 35 }, { line: 2, column: 36 }],
      [{ line: 2, column: 38 }, { line: 2, column: 43 }],
      [{ line: 3, column: 14 }, { line: 3, column: 18 }],
      [{ line: 5, column: 7 }, { line: 5, column: 16 }],
    ]);
    expect(sources.get("modules/a/index.ts")).toBe(indexTs);
    expect([...sources.keys()]).toEqual(["modules/a/index.ts"]);
  });

  it("extends the span over a quoted string, quotes included", () => {
    const { diagnostics } = parseTscOutput("modules/a/index.ts(4,22): error TS2307: Cannot find module './missing' or its corresponding type declarations.", root);
    expect(diagnostics[0]!.span).toEqual({ file: "modules/a/index.ts", start: { line: 4, column: 22 }, end: { line: 4, column: 33 } });
    const single = parseTscOutput("modules/a/index.ts(5,27): error TS2322: x.", root).diagnostics[0]!;
    expect(single.span!.end).toEqual({ line: 5, column: 30 });
  });

  it("covers one character when the position is not on an identifier or string", () => {
    const { diagnostics } = parseTscOutput("modules/a/index.ts(6,5): error TS2345: x.", root);
    expect(diagnostics[0]!.span!.end).toEqual({ line: 6, column: 6 });
  });

  it("covers one character when the file does not exist", () => {
    const { diagnostics, sources } = parseTscOutput("modules/gone/index.ts(12,5): error TS2322: x.", root);
    expect(diagnostics[0]!.span).toEqual({ file: "modules/gone/index.ts", start: { line: 12, column: 5 }, end: { line: 12, column: 6 } });
    expect(sources.size).toBe(0);
  });

  it("finds the identifier in a CRLF file", () => {
    const { diagnostics } = parseTscOutput("modules/a/crlf.ts(2,7): error TS2322: x.", root);
    expect(diagnostics[0]!.span).toEqual({ file: "modules/a/crlf.ts", start: { line: 2, column: 7 }, end: { line: 2, column: 12 } });
  });

  it("makes paths repo-relative with forward slashes", () => {
    const absolute = join(root, "modules", "a", "index.ts");
    const dotted = "./modules/b/../a/index.ts";
    const { diagnostics, sources } = parseTscOutput(`${absolute}(3,14): error TS2322: x.\n${dotted}(2,35): error TS2322: y.`, root);
    expect(diagnostics.map((d) => d.span!.file)).toEqual(["modules/a/index.ts", "modules/a/index.ts"]);
    expect(diagnostics[0]!.span!.end).toEqual({ line: 3, column: 18 });
    expect([...sources.keys()]).toEqual(["modules/a/index.ts"]);
  });

  it("keeps parentheses that belong to the file name", () => {
    const { diagnostics } = parseTscOutput("modules/a (copy)/index.ts(1,2): error TS1005: ';' expected.", root);
    expect(diagnostics[0]!.span!.file).toBe("modules/a (copy)/index.ts");
    expect(diagnostics[0]!.span!.start).toEqual({ line: 1, column: 2 });
  });
});

describe("parseTscOutput without a file position", () => {
  it("keeps errors that have no position, as diagnostics without a span", () => {
    const out = parseTscOutput("error TS6053: File '/x/missing.ts' not found.\n  The file is in the program because:\nmodules/a.ts(1,1): error TS1005: ';' expected.\n", "/nonexistent-root");
    expect(out.diagnostics.map((d) => [d.code, d.span === undefined])).toEqual([
      ["TS6053", true],
      ["TS1005", false],
    ]);
    expect(out.diagnostics[0]!.message).toBe("File '/x/missing.ts' not found. The file is in the program because:");
  });
});

describe("parseTscOutput after a syntax error", () => {
  it("keeps a file's first syntax error only (the rest is the parser's recovery), and other files' errors", () => {
    const out = parseTscOutput(
      [
        "modules/a.ts(3,5): error TS1005: ',' expected.",
        "modules/a.ts(3,9): error TS1128: Declaration or statement expected.",
        "modules/a.ts(7,1): error TS2304: Cannot find name 'e'.",
        "modules/b.ts(2,1): error TS2322: Type 'string' is not assignable to type 'number'.",
        "modules/b.ts(4,1): error TS2322: Type 'string' is not assignable to type 'number'.",
      ].join("\n"),
      "/nonexistent-root",
    );
    expect(out.diagnostics.map((d) => `${d.span!.file}:${d.span!.start.line} ${d.code}`)).toEqual(["modules/a.ts:3 TS1005", "modules/b.ts:2 TS2322", "modules/b.ts:4 TS2322"]);
  });
});
