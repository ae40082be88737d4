import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { redactSecrets, rejectsSecret } from "../../compiler/diagnostics/redact.js";
import { nestingBeyond } from "../../compiler/phases/1-load/nesting.js";

const text = 'export default configuration({\n  resources: { db: Db({ name: "x", password: "Hunter2!", port: 1 }) },\n});\n';
const at = (column: number, length: number): Diagnostic["span"] => ({ file: "c.ts", start: { line: 2, column }, end: { line: 2, column: column + length } });

describe("redacting secrets from diagnostics", () => {
  it("stars out the literal at a TypeScript error on a secret property, and literal types in its message", () => {
    const d: Diagnostic = { code: "TS2322", severity: "error", message: "Type '\"Hunter2!\"' is not assignable to type 'RuntimeValue<string, true>'.", span: at(text.split("\n")[1]!.indexOf("password") + 1, 8) };
    expect(rejectsSecret(d)).toBe(true);
    const sources = new Map([["c.ts", text]]);
    const r = redactSecrets([d], sources);
    const printed = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f));
    expect(printed).not.toContain("Hunter2");
    expect(printed).toContain(`Type '"***"' is not assignable`);
    expect(printed).toContain('password: "********", port: 1 })');
    // The name and the other values stay, columns line up, and the given map is unchanged.
    expect(r.sources.get("c.ts")!.length).toBe(text.length);
    expect(sources.get("c.ts")).toBe(text);
  });

  it("stars out the literal fleetform's FF2104 points at for a secret property", () => {
    const column = text.split("\n")[1]!.indexOf('"Hunter2!"') + 1;
    const d: Diagnostic = { code: "FF2104", severity: "error", message: "property 'password' of resource 'Db': a secret property takes only a reference (ssmParameter(name, { secure: true }) or secret(id)), never a literal value", span: at(column, 10) };
    const r = redactSecrets([d], new Map([["c.ts", text]]));
    expect(r.sources.get("c.ts")).toBe(text.replace("Hunter2!", "********"));
  });

  it("leaves other diagnostics and their frames alone", () => {
    const d: Diagnostic = { code: "TS2322", severity: "error", message: "Type '\"x\"' is not assignable to type 'number'.", span: at(20, 4) };
    expect(rejectsSecret(d)).toBe(false);
    const sources = new Map([["c.ts", text]]);
    const r = redactSecrets([d], sources);
    expect(r.diagnostics[0]).toBe(d);
    expect(r.sources).toBe(sources);
  });
});

describe("nestingBeyond", () => {
  it("finds the first bracket past the limit, outside strings, comments and template text", () => {
    expect(nestingBeyond("[[[1]]]", 3)).toBeUndefined();
    expect(nestingBeyond("[[[[1]]]]", 3)).toBe(3);
    expect(nestingBeyond('"((((((((" // ((((((((\n/* [[[[[[[[ */ `{{{{{{{{`', 3)).toBeUndefined();
    expect(nestingBeyond("`${`${`${`${x}`}`}`}`", 3)).toBe(10);
    expect(nestingBeyond("f({ a: [`${(1)}`] })", 5)).toBeUndefined();
  });
});
