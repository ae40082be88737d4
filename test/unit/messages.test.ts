import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { Span } from "../../compiler/diagnostics/diagnostic.js";
import { diag, formatMessage, messages } from "../../compiler/diagnostics/messages.js";

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const compilerDir = join(repoDir, "compiler");
const catalogueFile = join(compilerDir, "diagnostics", "messages.ts");
const entries = Object.entries(messages) as [string, { code: string; severity: string; text: string }][];

function tsFiles(dir: string, ext = /\.ts$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name), ext) : ext.test(e.name) && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

const CODE = /FF\d{4}/g;

/**
 * The FF codes a source writes in its code (string, template and regular expression literals; the
 * only way to write a code anywhere else is through the catalogue) and in its comments.
 */
function codesIn(file: string, text: string): { literals: { code: string; line: number }[]; comments: { code: string; line: number }[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const literals: { code: string; line: number }[] = [];
  const comments: { code: string; line: number }[] = [];
  const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line + 1;
  const seenComments = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const ranges of [ts.getLeadingCommentRanges(text, node.getFullStart()), ts.getTrailingCommentRanges(text, node.getEnd())]) {
      for (const r of ranges ?? []) {
        if (seenComments.has(r.pos)) continue;
        seenComments.add(r.pos);
        for (const m of text.slice(r.pos, r.end).matchAll(CODE)) comments.push({ code: m[0], line: lineOf(r.pos + m.index) });
      }
    }
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node) || ts.isJsxText(node)) {
      for (const m of node.getText(source).matchAll(CODE)) literals.push({ code: m[0], line: lineOf(node.getStart(source) + m.index) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // The comments after the last statement.
  for (const r of ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()) ?? []) {
    if (!seenComments.has(r.pos)) for (const m of text.slice(r.pos, r.end).matchAll(CODE)) comments.push({ code: m[0], line: lineOf(r.pos + m.index) });
  }
  return { literals, comments };
}

/** Every source of the compiler, the CLI and the stdlib: TypeScript, and bin/'s JavaScript. */
function productSources(): string[] {
  return [...tsFiles(compilerDir), ...tsFiles(join(repoDir, "stdlib")), ...tsFiles(join(repoDir, "bin"), /\.(m|c)?js$/)];
}

let scanned: Map<string, ReturnType<typeof codesIn>> | undefined;
/** codesIn() of every product source, parsed once. */
function productCodes(): Map<string, ReturnType<typeof codesIn>> {
  return (scanned ??= new Map(productSources().map((f) => [f, codesIn(f, readFileSync(f, "utf8"))])));
}

/**
 * The range each phase reserves (STYLE.md §3.4). Names are free; the code says where it belongs:
 * FF1xxx load and options, FF2xxx module graph (FF21xx values and references), FF3xxx lowering and
 * fragments, FF4xxx emit and target limits, FF9xxx internal. Nothing else is reserved.
 */
function rangeOf(code: string): string | undefined {
  const n = Number(code.slice(2));
  if (n >= 1000 && n < 2000) return "load/options";
  if (n >= 2100 && n < 2200) return "values/references";
  if (n >= 2000 && n < 3000) return "module graph";
  if (n >= 3000 && n < 4000) return "lowering/fragments";
  if (n >= 4000 && n < 5000) return "emit/limits";
  if (n >= 9000 && n < 10000) return "internal";
  return undefined;
}

describe("the message catalogue", () => {
  it("has codes of the form FF followed by four digits", () => {
    const bad = entries.filter(([, m]) => !/^FF\d{4}$/.test(m.code)).map(([name, m]) => `${name}: ${m.code}`);
    expect(bad, `malformed codes:\n${bad.join("\n")}`).toEqual([]);
  });

  it("has unique codes", () => {
    const byCode = new Map<string, string[]>();
    for (const [name, m] of entries) byCode.set(m.code, [...(byCode.get(m.code) ?? []), name]);
    const dupes = [...byCode].filter(([, names]) => names.length > 1).map(([code, names]) => `${code}: ${names.join(", ")}`);
    expect(dupes, `codes used twice:\n${dupes.join("\n")}`).toEqual([]);
  });

  it("keeps every code in a reserved range", () => {
    const outside = entries.filter(([, m]) => rangeOf(m.code) === undefined).map(([name, m]) => `${name}: ${m.code}`);
    expect(outside, `codes outside the reserved ranges:\n${outside.join("\n")}`).toEqual([]);
  });

  it("has the anchors of each range where they belong", () => {
    expect(rangeOf(messages.ConfigNotFound.code)).toBe("load/options");
    expect(rangeOf(messages.ImportCycle.code)).toBe("module graph");
    expect(rangeOf(messages.UnknownDependsOn.code)).toBe("values/references");
    expect(rangeOf(messages.BadInterpolation.code)).toBe("lowering/fragments");
    expect(rangeOf(messages.DocumentTooLarge.code)).toBe("emit/limits");
    expect(messages.InternalError.code).toBe("FF9001");
  });

  it("the range check itself rejects codes outside the reserved ranges", () => {
    for (const code of ["FF0001", "FF5000", "FF8999"]) expect(rangeOf(code), code).toBeUndefined();
    expect(rangeOf("FF2199")).toBe("values/references");
    expect(rangeOf("FF2200")).toBe("module graph");
  });

  it("has a severity and non-empty text for every entry, with named holes only", () => {
    for (const [name, m] of entries) {
      expect(["error", "warning", "info"], name).toContain(m.severity);
      expect(m.text.trim(), name).not.toBe("");
      expect(m.text, `${name} uses a numbered hole`).not.toMatch(/\{\d+\}/);
    }
  });

  it("lists the entries in code order (new codes go in their place)", () => {
    const codes = entries.map(([, m]) => m.code);
    const misplaced = codes.filter((code, i) => i > 0 && code < codes[i - 1]!).map((code) => `${code} after ${codes[codes.indexOf(code) - 1]}`);
    expect(misplaced, `entries out of code order:\n${misplaced.join("\n")}`).toEqual([]);
  });

  it("is the only place a code is written: no FF literal in compiler/, bin/ or stdlib/ code", () => {
    const files = [...productCodes()].filter(([f]) => f !== catalogueFile);
    expect(files.length).toBeGreaterThan(50);
    expect(files.some(([f]) => f.endsWith(join("bin", "fleetform.js")))).toBe(true);
    const found = files.flatMap(([f, codes]) => codes.literals.map((l) => `${relative(repoDir, f)}:${l.line}: ${l.code}`));
    expect(found, `codes written as literals (use messages.<Name>.code):\n${found.join("\n")}`).toEqual([]);
  });

  it("names only codes of the catalogue in comments", () => {
    const known = new Set(entries.map(([, m]) => m.code));
    const stale = [...productCodes()].flatMap(([f, codes]) => codes.comments.filter((c) => !known.has(c.code)).map((c) => `${relative(repoDir, f)}:${c.line}: ${c.code}`));
    expect(stale, `comments naming codes the catalogue does not have:\n${stale.join("\n")}`).toEqual([]);
  });

  it("the literal scan finds codes in strings, templates and regular expressions, and tells comments apart", () => {
    const sample = [
      "// FF1001 in a comment",
      'const a = "FF2001";',
      "const b = `x ${a} FF3001 ${a} FF3002`;",
      "const c = /FF4001/;",
      "/* FF1002 */ const d = 'FF9001'; // FF1003",
    ].join("\n");
    const { literals, comments } = codesIn("sample.ts", sample);
    expect(literals).toEqual([
      { code: "FF2001", line: 2 },
      { code: "FF3001", line: 3 },
      { code: "FF3002", line: 3 },
      { code: "FF4001", line: 4 },
      { code: "FF9001", line: 5 },
    ]);
    expect(comments.map((c) => c.code).sort()).toEqual(["FF1001", "FF1002", "FF1003"]);
  });

  it("uses every entry somewhere in compiler/ outside messages.ts", () => {
    const sources = tsFiles(compilerDir)
      .filter((f) => relative(compilerDir, f) !== join("diagnostics", "messages.ts"))
      .map((f) => readFileSync(f, "utf8"));
    expect(sources.length).toBeGreaterThan(10);
    const unused = entries.map(([name]) => name).filter((name) => !sources.some((text) => text.includes(`"${name}"`) || text.includes(`'${name}'`)));
    expect(unused, `catalogue entries never reported:\n${unused.map((n) => `  ${n} (${messages[n as keyof typeof messages].code})`).join("\n")}`).toEqual([]);
  });
});

describe("formatMessage", () => {
  it("fills named holes, repeatedly and in any order", () => {
    expect(formatMessage("{a} then {b} then {a}", { b: "B", a: "A" })).toBe("A then B then A");
  });

  it("prints numbers and empty strings", () => {
    expect(formatMessage("{size} bytes{why}", { size: 70000, why: "" })).toBe("70000 bytes");
    expect(formatMessage("{n}", { n: 0 })).toBe("0");
  });

  it("leaves unknown holes as they are", () => {
    expect(formatMessage("{known} {unknown}", { known: "x" })).toBe("x {unknown}");
  });

  it("does not re-expand holes that appear in the values", () => {
    expect(formatMessage("{a} {b}", { a: "{b}", b: "B" })).toBe("{b} B");
    expect(formatMessage("{a}", { a: "$& $1 $$" })).toBe("$& $1 $$");
  });
});

describe("diag", () => {
  const span: Span = { file: "modules/web/index.ts", start: { line: 3, column: 5 }, end: { line: 3, column: 9 } };

  it("builds the diagnostic from the catalogue with the holes filled", () => {
    expect(diag("UnknownDependsOn", { id: "File/WebRot", configuration: "web" }, span)).toEqual({
      code: "FF2101",
      severity: "error",
      message: "dependsOn refers to unknown resource 'File/WebRot' in configuration 'web'",
      span,
    });
  });

  it("takes its severity from the catalogue", () => {
    expect(diag("PatternMatchedNothing", { what: "modules", pattern: "modules/*/index.ts" }).severity).toBe("warning");
  });

  it("has no span or notes keys when none are given", () => {
    const d = diag("ConfigNotFound", { dir: "/repo" });
    expect(d).toEqual({ code: "FF1001", severity: "error", message: "no fleetform.config.ts found in /repo" });
    expect(Object.keys(d).sort()).toEqual(["code", "message", "severity"]);
  });

  it("leaves out an empty notes list but keeps given notes", () => {
    expect("notes" in diag("SelfDependsOn", { id: "File/A" }, span, [])).toBe(false);
    const notes = [{ message: "imported here", span }, { message: "and back here" }];
    const d = diag("ImportCycle", { cycle: "a → b → a" }, span, notes);
    expect(d.notes).toEqual(notes);
    expect(d.span).toEqual(span);
    expect(d.message).toBe("modules import each other in a cycle: a → b → a");
  });

  it("keeps notes when there is no span", () => {
    const d = diag("ConfigSettingInvalid", { setting: "out", expected: "a folder" }, undefined, [{ message: "e.g. 'dist'" }]);
    expect("span" in d).toBe(false);
    expect(d.notes).toEqual([{ message: "e.g. 'dist'" }]);
  });
});
