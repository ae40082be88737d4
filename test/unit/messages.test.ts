import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Span } from "../../compiler/diagnostics/diagnostic.js";
import { diag, formatMessage, messages } from "../../compiler/diagnostics/messages.js";

const compilerDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "compiler");
const entries = Object.entries(messages) as [string, { code: string; severity: string; text: string }][];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
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
    const d = diag("OptionInvalid", { message: "bad target" }, undefined, [{ message: "use 'powershell' or 'ssm'" }]);
    expect("span" in d).toBe(false);
    expect(d.notes).toEqual([{ message: "use 'powershell' or 'ssm'" }]);
  });
});
