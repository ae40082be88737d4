// tests/<Module>.DscResources.Tests.ps1: Pester 5 tests for the MOF-based DSC resources of an
// author module (modules/<Module>/DSCResources/<Class>/<Class>.psm1, see mof/resource-module.ts).
// Each resource's module is imported by path; the author module's resource functions
// (Get-/Test-/Set-<Name>Resource, Test-<Name>ResourceSafety) are mocked inside it, and the
// *-TargetResource functions are called with sample values that pass their validation.
import type * as ir from "../../3-lower/ir.js";
import { GENERATED, powershellFile, type EmittedFile } from "../files.js";
import { quoteKey, quoteString } from "../powershell/quote.js";
import { render } from "../templates.js";
import { stubViews, testName } from "./index.js";
import { sampleArgument } from "./sample.js";
import { secretProperties } from "../mof/resource-module.js";

/** A -like pattern matching `text` literally. */
function wildcardLiteral(text: string): string {
  return quoteString(text.replace(/[`*?[\]]/g, "`$&"));
}

/** The messages dsc-resource.psm1.hbs writes; the tests check them word for word. */
function messages(r: ir.ResourceType): { notBool: (n: number) => string; blocked: string } {
  return {
    notBool: (n) => `The test of resource ${r.name} must return exactly one [bool]; it returned ${n} values.`,
    blocked: `Not changing resource ${r.name}: it is not safe to change now.`,
  };
}

function hashtable(entries: readonly string[]): string {
  return entries.length === 0 ? "@{}" : `@{ ${entries.join("; ")} }`;
}

const SCALAR = new Set<ir.Type["kind"]>(["string", "int", "bool", "enum", "script", "secret"]);

function resourceView(m: ir.Module, r: ir.ResourceType) {
  const cls = r.dsc.className;
  const classLiteral = quoteString(cls);
  const samples = new Map(r.properties.map((p) => [p.name, sampleArgument(p)] as const));
  const missing = r.properties.filter((p) => (p.key || p.mandatory) && samples.get(p.name) === undefined);
  const given = r.properties.filter((p) => samples.get(p.name) !== undefined);
  const entry = (p: ir.Param): string => `${quoteKey(p.name)} = ${samples.get(p.name)!}`;
  const required = given.filter((p) => p.key || p.mandatory);
  const removeValidation = r.properties.length === 0 ? "" : ` -RemoveParameterValidation @(${r.properties.map((p) => quoteString(p.name)).join(", ")})`;
  const keyTerms = given.filter((p) => p.key && SCALAR.has(p.type.kind)).map((p) => `$${p.name} -eq ${samples.get(p.name)!}`);
  const filter = keyTerms.length === 0 ? "" : ` -ParameterFilter { ${keyTerms.join(" -and ")} }`;
  const mock = (command: string, body: string): string => `Mock -ModuleName ${classLiteral} -CommandName ${quoteString(command)} -MockWith { ${body} }${removeValidation}`.replace("{  }", "{ }");
  const text = messages(r);
  const cmd = r.commands;
  const secrets = new Set(secretProperties(r));
  return {
    class: cls,
    classLiteral,
    context: testName(`DSC resource ${cls} (DSCResources/${cls}/${cls}.psm1)`),
    skipReason: missing.length > 0 ? `No sample value passes the validation of ${missing.map((p) => p.name).join(", ")}: these tests are skipped.` : "",
    psm1Path: quoteString(`modules/${m.name}/DSCResources/${cls}/${cls}.psm1`),
    getParameters: hashtable(required.map(entry)),
    parameters: hashtable(given.map(entry)),
    mocks: [
      mock(cmd.get, "@{}"),
      mock(cmd.test, "$true"),
      ...(cmd.safe ? [mock(cmd.safe, "$true")] : []),
      mock(cmd.set, ""),
    ],
    removeValidation,
    filter,
    getLiteral: quoteString(cmd.get),
    testLiteral: quoteString(cmd.test),
    setLiteral: quoteString(cmd.set),
    safeLiteral: cmd.safe ? quoteString(cmd.safe) : "",
    properties: r.properties.map((p) => quoteString(p.name)).join(", "),
    stateValues: r.properties.map((p) => `${quoteKey(p.name)} = ${quoteString(`state-${p.name}`)}`).join("; "),
    // Secret and credential values never come back, neither from the state nor from the bound parameters.
    stateAssertions: r.properties.map((p) =>
      secrets.has(p.name) ? `$result[${quoteString(p.name)}] | Should -BeNullOrEmpty` : `$result[${quoteString(p.name)}] | Should -Be ${quoteString(`state-${p.name}`)}`,
    ),
    boundAssertions: r.properties.map((p) =>
      required.includes(p) && !secrets.has(p.name) ? `$result[${quoteString(p.name)}] | Should -Be $getParameters[${quoteString(p.name)}]` : `$result[${quoteString(p.name)}] | Should -BeNullOrEmpty`,
    ),
    notBoolOne: wildcardLiteral(text.notBool(1)),
    notBoolTwo: wildcardLiteral(text.notBool(2)),
    blockedMessage: quoteString(text.blocked),
    setName: quoteString(cmd.safe ? `Set-TargetResource calls ${cmd.set} once when it is safe to change` : `Set-TargetResource calls ${cmd.set} once`),
    reboots: r.reboot === "after-set",
  };
}

/** The tests of a module's DSC resources; undefined for a module without resources. */
export function emitDscResourceTests(m: ir.Module): EmittedFile | undefined {
  if (m.resources.length === 0) return undefined;
  const text = render("pester/dsc-resource.tests.ps1", {
    source: m.source,
    generated: GENERATED,
    module: m.name,
    describe: testName(`DSC resources of module ${m.name}`),
    stubs: stubViews(m.externs),
    resources: m.resources.map((r) => resourceView(m, r)),
  });
  return powershellFile(`tests/${m.name}.DscResources.Tests.ps1`, text, m.source);
}
