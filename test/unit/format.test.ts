import { describe, expect, it } from "vitest";
import { DiagnosticBag, compareDiagnostics, type Diagnostic, type Span } from "../../compiler/diagnostics/diagnostic.js";
import { codeFrame, formatDiagnostic, formatDiagnostics } from "../../compiler/diagnostics/format.js";

const site = [
  "import { File } from 'fleetform';", // 1
  "", // 2
  "export const root = File({", // 3
  "  path: 'C:/inetpub/wwwroot',", // 4
  "});", // 5
  "", // 6
  "export const page = File({", // 7
  "  path: 'C:/inetpub/wwwroot/index.html',", // 8
  "  contents: 'hello',", // 9
  "  enabled: true,", // 10
  "  dependsOn: [", // 11
  "    'File/WebRot',", // 12
  "  ],", // 13
  "});", // 14
].join("\n");

const files: Record<string, string> = { "examples/web/site.ts": site };
const sources = (file: string) => files[file];

function span(file: string, line: number, column: number, endLine: number, endColumn: number): Span {
  return { file, start: { line, column }, end: { line: endLine, column: endColumn } };
}

const unknownDep: Diagnostic = {
  code: "FF2101",
  severity: "error",
  message: "dependsOn refers to unknown resource 'File/WebRot' in configuration 'web'",
  span: span("examples/web/site.ts", 12, 5, 12, 18),
  notes: [{ message: "a resource with a similar id is declared here ('File/WebRoot')", span: span("examples/web/site.ts", 3, 14, 3, 18) }],
};

describe("formatDiagnostic", () => {
  it("prints the location, severity, code, message, a frame and notes", () => {
    expect(formatDiagnostic(unknownDep, sources).split("\n")).toEqual([
      "examples/web/site.ts:12:5: error FF2101: dependsOn refers to unknown resource 'File/WebRot' in configuration 'web'",
      "  10 |   enabled: true,",
      "  11 |   dependsOn: [",
      "  12 |     'File/WebRot',",
      "     |     ^^^^^^^^^^^^^",
      "  note: examples/web/site.ts:3:14: a resource with a similar id is declared here ('File/WebRoot')",
    ]);
  });

  it("prints warnings as warnings", () => {
    const d: Diagnostic = { ...unknownDep, severity: "warning", code: "FF1007", notes: undefined };
    expect(formatDiagnostic(d, sources).split("\n")[0]).toBe(
      "examples/web/site.ts:12:5: warning FF1007: dependsOn refers to unknown resource 'File/WebRot' in configuration 'web'",
    );
  });

  it("has no location prefix and no frame without a span, but still prints notes", () => {
    const d: Diagnostic = { code: "FF1001", severity: "error", message: "no fleetform.config.ts found in /repo", notes: [{ message: "run fleetform init" }] };
    expect(formatDiagnostic(d, sources)).toBe("error FF1001: no fleetform.config.ts found in /repo\n  note: run fleetform init");
  });

  it("prints a note without a span without a location", () => {
    const d: Diagnostic = { ...unknownDep, notes: [{ message: "plain note" }] };
    expect(formatDiagnostic(d, sources).split("\n").at(-1)).toBe("  note: plain note");
  });

  it("prints notes in the order given, each on its own line", () => {
    const d: Diagnostic = {
      code: "FF2001",
      severity: "error",
      message: "modules import each other in a cycle: a → b → a",
      span: span("examples/web/site.ts", 1, 1, 1, 34),
      notes: [
        { message: "'a' imports 'b'", span: span("modules/a/index.ts", 2, 1, 2, 30) },
        { message: "'b' imports 'a'", span: span("modules/b/index.ts", 4, 3, 4, 20) },
      ],
    };
    const lines = formatDiagnostic(d, sources).split("\n");
    expect(lines.slice(-2)).toEqual(["  note: modules/a/index.ts:2:1: 'a' imports 'b'", "  note: modules/b/index.ts:4:3: 'b' imports 'a'"]);
  });

  it("prints the head line alone when the file's text is not available", () => {
    const d: Diagnostic = { ...unknownDep, span: span("missing.ts", 2, 3, 2, 4), notes: undefined };
    expect(formatDiagnostic(d, sources)).toBe("missing.ts:2:3: error FF2101: dependsOn refers to unknown resource 'File/WebRot' in configuration 'web'");
  });
});

describe("codeFrame", () => {
  it("shows up to two lines of context before the span's line", () => {
    expect(codeFrame(site, span("f", 1, 10, 1, 14)).split("\n")).toEqual([
      "  1 | import { File } from 'fleetform';",
      "    |          ^^^^",
    ]);
    expect(codeFrame(site, span("f", 2, 1, 2, 1)).split("\n")).toEqual([
      "  1 | import { File } from 'fleetform';",
      "  2 |",
      "    | ^",
    ]);
    expect(codeFrame(site, span("f", 4, 3, 4, 7)).split("\n")).toEqual([
      "  2 |",
      "  3 | export const root = File({",
      "  4 |   path: 'C:/inetpub/wwwroot',",
      "    |   ^^^^",
    ]);
  });

  it("right-aligns line numbers to the widest one shown", () => {
    const text = Array.from({ length: 101 }, (_, i) => `line ${i + 1}`).join("\n");
    expect(codeFrame(text, span("f", 100, 1, 100, 5)).split("\n")).toEqual([
      "   98 | line 98",
      "   99 | line 99",
      "  100 | line 100",
      "      | ^^^^",
    ]);
    expect(codeFrame(text, span("f", 10, 6, 10, 8)).split("\n")).toEqual([
      "   8 | line 8",
      "   9 | line 9",
      "  10 | line 10",
      "     |      ^^",
    ]);
  });

  it("draws at least one caret for an empty span", () => {
    expect(codeFrame(site, span("f", 9, 12, 9, 12)).split("\n").at(-1)).toBe("    |            ^");
    expect(codeFrame(site, span("f", 9, 12, 9, 5)).split("\n").at(-1)).toBe("    |            ^");
  });

  it("underlines a multi-line span to the end of its first line", () => {
    expect(codeFrame(site, span("f", 7, 21, 14, 3)).split("\n")).toEqual([
      "  5 | });",
      "  6 |",
      "  7 | export const page = File({",
      "    |                     ^^^^^^",
    ]);
  });

  it("does not show lines after the span's line", () => {
    const frame = codeFrame(site, span("f", 8, 3, 8, 7));
    expect(frame).not.toContain("contents");
  });

  it("reads CRLF text without carriage returns in the frame", () => {
    const crlf = "a\r\nbb\r\nccc\r\n";
    const frame = codeFrame(crlf, span("f", 3, 2, 3, 4));
    expect(frame).not.toContain("\r");
    expect(frame.split("\n")).toEqual(["  1 | a", "  2 | bb", "  3 | ccc", "    |  ^^"]);
  });

  it("keeps carets under the span when the line has tabs", () => {
    const frame = codeFrame("\tx = 1", span("f", 1, 2, 1, 3));
    expect(frame.split("\n")).toEqual(["  1 |  x = 1", "    |  ^"]);
  });
});

describe("formatDiagnostics", () => {
  const warning: Diagnostic = { code: "FF1007", severity: "warning", message: "the modules pattern 'x/*' matches no file" };
  const other: Diagnostic = { code: "FF2003", severity: "error", message: "two modules are named 'web'" };

  it("joins the diagnostics with blank lines, in the order given, and ends with a count line", () => {
    const out = formatDiagnostics([other, unknownDep, warning], sources);
    expect(out.endsWith("\n\n2 errors, 1 warning\n")).toBe(true);
    const blocks = out.split("\n\n");
    expect(blocks).toHaveLength(4);
    expect(blocks[0]).toBe("error FF2003: two modules are named 'web'");
    expect(blocks[1]).toBe(formatDiagnostic(unknownDep, sources));
    expect(blocks[2]).toBe("warning FF1007: the modules pattern 'x/*' matches no file");
    expect(blocks[3]).toBe("2 errors, 1 warning\n");
  });

  it("does not sort: the caller's order is kept", () => {
    const a = formatDiagnostics([warning, other], sources);
    const b = formatDiagnostics([other, warning], sources);
    expect(a.indexOf("FF1007")).toBeLessThan(a.indexOf("FF2003"));
    expect(b.indexOf("FF2003")).toBeLessThan(b.indexOf("FF1007"));
  });

  it("uses singular and plural, and leaves out a zero count", () => {
    expect(formatDiagnostics([other], sources).split("\n").at(-2)).toBe("1 error");
    expect(formatDiagnostics([warning, warning], sources).split("\n").at(-2)).toBe("2 warnings");
    expect(formatDiagnostics([other, other, warning, warning], sources).split("\n").at(-2)).toBe("2 errors, 2 warnings");
  });

  it("prints nothing for no diagnostics", () => {
    expect(formatDiagnostics([], sources)).toBe("");
  });
});

describe("DiagnosticBag", () => {
  const at = (file: string, line: number, column: number) => span(file, line, column, line, column + 1);
  const d = (code: string, s?: Span, severity: "error" | "warning" = "error", message = `message ${code}`): Diagnostic => ({
    code,
    severity,
    message,
    ...(s ? { span: s } : {}),
  });

  it("keeps one copy of identical diagnostics", () => {
    const bag = new DiagnosticBag();
    bag.add(d("FF2101", at("a.ts", 1, 1)));
    bag.add(d("FF2101", at("a.ts", 1, 1)));
    bag.add({ ...d("FF2101", at("a.ts", 1, 1)) });
    expect(bag.count).toBe(1);
    expect(bag.sorted()).toEqual([d("FF2101", at("a.ts", 1, 1))]);
  });

  it("keeps diagnostics that differ in code, message or span", () => {
    const bag = new DiagnosticBag();
    bag.add(d("FF2101", at("a.ts", 1, 1)));
    bag.add(d("FF2102", at("a.ts", 1, 1)));
    bag.add(d("FF2101", at("a.ts", 1, 1), "error", "another message"));
    bag.add(d("FF2101", at("a.ts", 1, 2)));
    bag.add(d("FF2101", at("b.ts", 1, 1)));
    bag.add(d("FF2101"));
    expect(bag.count).toBe(6);
  });

  it("hasErrors is false for an empty bag and for warnings only", () => {
    const bag = new DiagnosticBag();
    expect(bag.hasErrors()).toBe(false);
    bag.add(d("FF1007", undefined, "warning"));
    bag.add(d("FF2008", at("a.ts", 1, 1), "warning"));
    expect(bag.hasErrors()).toBe(false);
    bag.add(d("FF2101", at("a.ts", 2, 1)));
    expect(bag.hasErrors()).toBe(true);
  });

  it("sorted() orders by file, line, column, then code; diagnostics without a span first", () => {
    const bag = new DiagnosticBag();
    const expected = [
      d("FF1001"),
      d("FF2101", at("a.ts", 2, 5)),
      d("FF2003", at("a.ts", 2, 7)),
      d("FF2001", at("a.ts", 10, 1)),
      d("FF2001", at("b.ts", 1, 1)),
      d("FF2002", at("b.ts", 1, 1)),
      d("FF2002", at("b/c.ts", 1, 1)),
    ];
    for (const i of [4, 6, 1, 3, 0, 5, 2]) bag.add(expected[i]!);
    expect(bag.sorted()).toEqual(expected);
  });

  it("sorts lines and columns as numbers, not strings", () => {
    const bag = new DiagnosticBag();
    bag.add(d("FF2101", at("a.ts", 10, 1)));
    bag.add(d("FF2101", at("a.ts", 9, 1)));
    bag.add(d("FF2101", at("a.ts", 9, 10)));
    bag.add(d("FF2101", at("a.ts", 9, 2)));
    expect(bag.sorted().map((x) => `${x.span!.start.line}:${x.span!.start.column}`)).toEqual(["9:1", "9:2", "9:10", "10:1"]);
  });

  it("sorted() returns a copy and does not change the bag", () => {
    const bag = new DiagnosticBag();
    bag.add(d("FF2", at("b.ts", 1, 1)));
    bag.add(d("FF1", at("a.ts", 1, 1)));
    const sorted = bag.sorted();
    sorted.pop();
    expect(bag.sorted()).toHaveLength(2);
  });

  it("compareDiagnostics is a consistent order", () => {
    const xs = [d("FF1"), d("FF2", at("a.ts", 1, 1)), d("FF3", at("a.ts", 1, 1))];
    for (const a of xs) {
      expect(compareDiagnostics(a, a)).toBe(0);
      for (const b of xs) expect(Math.sign(compareDiagnostics(a, b)) + Math.sign(compareDiagnostics(b, a))).toBe(0);
    }
  });
});
