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

function hashtable(entries: readonly string[]): string {
  return entries.length === 0 ? "@{}" : `@{ ${entries.join("; ")} }`;
}

const SCALAR = new Set<ir.Type["kind"]>(["string", "int", "bool", "enum", "script", "secret"]);

/** One row of the resource table the tests run over (-ForEach); undefined when no sample passes validation. */
function resourceRow(r: ir.ResourceType) {
  const samples = new Map(r.properties.map((p) => [p.name, sampleArgument(p)] as const));
  const missing = r.properties.filter((p) => (p.key || p.mandatory) && samples.get(p.name) === undefined);
  if (missing.length > 0) return { skip: { classLiteral: quoteString(r.dsc.className), reason: quoteString(`no sample value passes the validation of ${missing.map((p) => p.name).join(", ")}`) } };
  const given = r.properties.filter((p) => samples.get(p.name) !== undefined);
  const entry = (p: ir.Param): string => `${quoteKey(p.name)} = ${samples.get(p.name)!}`;
  const required = given.filter((p) => p.key || p.mandatory);
  const keyTerms = given.filter((p) => p.key && SCALAR.has(p.type.kind)).map((p) => `$${p.name} -eq ${samples.get(p.name)!}`);
  const cmd = r.commands;
  return {
    row: {
      classLiteral: quoteString(r.dsc.className),
      nameLiteral: quoteString(r.name),
      getLiteral: quoteString(cmd.get),
      testLiteral: quoteString(cmd.test),
      setLiteral: quoteString(cmd.set),
      safeLiteral: cmd.safe ? quoteString(cmd.safe) : "''",
      reboots: r.reboot === "after-set" ? "$true" : "$false",
      properties: r.properties.map((p) => quoteString(p.name)).join(", "),
      secrets: secretProperties(r).map(quoteString).join(", "),
      getParameters: hashtable(required.map(entry)),
      parameters: hashtable(given.map(entry)),
      filter: keyTerms.length === 0 ? "{ $true }" : `{ ${keyTerms.join(" -and ")} }`,
    },
  };
}

/** The tests of a module's DSC resources; undefined for a module without resources. */
export function emitDscResourceTests(m: ir.Module): EmittedFile | undefined {
  if (m.resources.length === 0) return undefined;
  const rows = m.resources.map(resourceRow);
  const text = render("pester/dsc-resource.tests.ps1", {
    source: m.source,
    generated: GENERATED,
    module: m.name,
    describe: testName(`DSC resources of module ${m.name}`),
    stubs: stubViews(m.externs),
    modulesPath: quoteString(`modules/${m.name}/DSCResources/`),
    resources: rows.flatMap((x) => (x.row ? [x.row] : [])),
    skipped: rows.flatMap((x) => (x.skip ? [x.skip] : [])),
  });
  return powershellFile(`tests/${m.name}.DscResources.Tests.ps1`, text, m.source);
}
