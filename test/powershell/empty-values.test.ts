// Empty values: `t.string()` allows "" and `t.array()` allows [] (a minLength or pattern is what
// refuses them), but PowerShell refuses an empty string, an empty string in an array, and an empty
// array for a mandatory parameter unless it says [AllowEmptyString()] / [AllowEmptyCollection()].
// A required property written "" built without a word and failed on every run. Each (type, value)
// pair below goes through the build's own check and through real PowerShell, binding a mandatory
// parameter printed exactly as the compiler prints it (printParam: the module's .psm1 functions and,
// with dscTypeName, the DSC resource's); both must agree.
import { describe, expect, it } from "vitest";
import { t, type PropType } from "../../stdlib/index.js";
import { createContext } from "../../compiler/phases/context.js";
import { resolveOptions } from "../../compiler/phases/options.js";
import { valueProblem } from "../../compiler/phases/2-check/values.js";
import { lowerParams } from "../../compiler/phases/3-lower/types.js";
import { dscTypeName, printParam, typeName } from "../../compiler/phases/4-emit/powershell/params.js";
import { runPwsh } from "../helpers/pwsh.js";

// [type, value as TypeScript writes it, the same value as PowerShell gets it in a .psm1, in a DSC resource]
const CIM = "([Microsoft.Management.Infrastructure.CimInstance[]]@())";
const TABLE: readonly (readonly [string, PropType, unknown, string, string?])[] = [
  ["t.string()", t.string(), "", "''"],
  ["t.string()", t.string(), "a", "'a'"],
  ["t.string({ minLength: 1 })", t.string({ minLength: 1 }), "", "''"],
  ["t.string({ maxLength: 3 })", t.string({ maxLength: 3 }), "", "''"],
  ["t.string({ pattern: /^a*$/ })", t.string({ pattern: /^a*$/ }), "", "''"],
  ["t.string({ pattern: /^a+$/ })", t.string({ pattern: /^a+$/ }), "", "''"],
  ["t.string({ pattern: /^$|^b$/i })", t.string({ pattern: /^$|^b$/i }), "", "''"],
  ["t.enum(['a', 'b'])", t.enum(["a", "b"]), "a", "'a'"],
  ["t.array(t.string())", t.array(t.string()), [], "@()"],
  ["t.array(t.string())", t.array(t.string()), [""], "@('')"],
  ["t.array(t.string())", t.array(t.string()), ["a", ""], "@('a', '')"],
  ["t.array(t.string({ minLength: 1 }))", t.array(t.string({ minLength: 1 })), [""], "@('')"],
  ["t.array(t.int())", t.array(t.int()), [], "@()"],
  ["t.array(t.bool())", t.array(t.bool()), [], "@()"],
  ["t.map(t.string())", t.map(t.string()), {}, "@{}", CIM],
];

/** The mandatory parameter the compiler prints for a property of this type, for a .psm1 function or a DSC resource. */
function printed(type: PropType, dsc: boolean): string {
  const ctx = createContext(resolveOptions({ root: "/" }));
  const [param] = lowerParams(ctx, { value: type }, undefined);
  expect(ctx.diagnostics.sorted()).toEqual([]);
  expect(param!.mandatory).toBe(true);
  return printParam(param!, dsc ? dscTypeName : typeName);
}

/** true = PowerShell bound the value to the parameter. */
function bindInPowerShell(cases: readonly { attribute: string; value: string }[]): boolean[] {
  const attributes = [...new Set(cases.map((c) => c.attribute))];
  const lines = attributes.map((a, i) => `function Test-Empty${i} {\n    [CmdletBinding()]\n    param(\n${a}\n    )\n    $true\n}`);
  lines.push("$ErrorActionPreference = 'Stop'");
  for (const c of cases) {
    lines.push(`try { $null = Test-Empty${attributes.indexOf(c.attribute)} -Value ${c.value}; 'ACCEPTED' } catch [System.Management.Automation.ParameterBindingException] { 'REJECTED ' + ($_.Exception.Message -replace '\\s+', ' ') }`);
  }
  const result = runPwsh(lines.join("\n"));
  expect(result.stderr, result.stderr).toBe("");
  const out = result.stdout.split(/\r?\n/).filter((l) => l.startsWith("ACCEPTED") || l.startsWith("REJECTED"));
  expect(out).toHaveLength(cases.length);
  return out.map((line) => line === "ACCEPTED");
}

describe("an empty value means the same at build time and on the instance", () => {
  const cases = TABLE.flatMap(([label, type, value, psm1, dsc]) => [
    { label: `${label} = ${JSON.stringify(value)} (.psm1)`, build: valueProblem(type, value) === undefined, attribute: printed(type, false), value: psm1 },
    { label: `${label} = ${JSON.stringify(value)} (DSC resource)`, build: valueProblem(type, value) === undefined, attribute: printed(type, true), value: dsc ?? psm1 },
  ]);

  it("the build's verdicts are the ones the table documents", () => {
    const accepted = cases.filter((c) => c.build).map((c) => c.label);
    expect(accepted).toContain('t.string() = "" (.psm1)');
    expect(accepted).toContain("t.array(t.string()) = [] (.psm1)");
    expect(accepted).not.toContain('t.string({ minLength: 1 }) = "" (.psm1)');
    expect(accepted).not.toContain('t.string({ pattern: /^a+$/ }) = "" (.psm1)');
  });

  it("PowerShell binds exactly the values the build accepts, to a mandatory parameter as the compiler prints it", () => {
    const verdicts = bindInPowerShell(cases);
    const disagreements = cases.filter((c, i) => verdicts[i] !== c.build).map((c) => `${c.label}: build ${c.build ? "accepts" : "refuses"}, PowerShell ${c.build ? "refuses" : "accepts"}`);
    expect(disagreements).toEqual([]);
  });

  it("prints no [AllowEmptyString()] where the validation refuses an empty string anyway, nor for an optional parameter", () => {
    expect(printed(t.string({ minLength: 1 }), false)).not.toContain("AllowEmptyString");
    expect(printed(t.string({ pattern: /^a+$/ }), false)).not.toContain("AllowEmptyString");
    expect(printed(t.string({ pattern: /^a*$/ }), false)).toContain("[Parameter(Mandatory = $true)][AllowEmptyString()]");
    const ctx = createContext(resolveOptions({ root: "/" }));
    const [optional] = lowerParams(ctx, { value: t.string({ optional: true }) }, undefined);
    expect(printParam(optional!)).not.toContain("AllowEmpty");
  });
});
