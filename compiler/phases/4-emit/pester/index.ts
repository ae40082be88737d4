// Pester 5 tests for the generated modules: tests/<Module>.Tests.ps1 per module and per
// configuration, and stub modules for external modules the build host does not have. The DSC
// resources' tests (tests/<Module>.DscResources.Tests.ps1) are in dsc-resources.ts.
import type * as ir from "../../3-lower/ir.js";
import { GENERATED, powershellFile, type EmittedFile } from "../files.js";
import { exportedFunctions, moduleCommands } from "../powershell/module.js";
import { typeName } from "../powershell/params.js";
import { printExpr, quoteString } from "../powershell/quote.js";
import { render } from "../templates.js";

interface StubView {
  readonly name: string;
  readonly nameLiteral: string;
  readonly module: string;
  readonly params: string;
  readonly message: string;
}

function stubParams(e: ir.ExternCommand): string {
  const params = [...e.params.map((p) => `[${typeName(p.type)}]$${p.name}`), ...e.switches.map((s) => `[switch]$${s}`)];
  return `param(${params.join(", ")})`;
}

/** What a stub of an external command throws when a test calls it without mocking it. */
function stubMessage(e: ir.ExternCommand): string {
  return quoteString(`stub: ${e.name} is not available on this host`);
}

export function stubViews(externs: readonly ir.ExternCommand[]): StubView[] {
  return externs
    .filter((e) => e.builtin)
    .map((e) => ({ name: e.name, nameLiteral: quoteString(e.name), module: e.module, params: stubParams(e), message: stubMessage(e) }));
}

/** Pester's test names treat <name> as a template; a literal < is written `<. */
export function testName(text: string): string {
  return quoteString(text.replace(/`/g, "``").replace(/</g, "`<"));
}

export function emitModuleTests(m: ir.Module): EmittedFile {
  // One row per function: its mandatory and its optional parameters.
  const parameters: string[] = [];
  for (const c of moduleCommands(m)) {
    if (c.params.length === 0) continue;
    const names = (mandatory: boolean): string => c.params.filter((p) => p.mandatory === mandatory).map((p) => quoteString(p.name)).join(", ");
    parameters.push(`@{ Command = ${quoteString(c.name)}; Mandatory = @(${names(true)}); Optional = @(${names(false)}) }`);
  }
  const text = render("pester/module.tests.ps1", {
    source: m.source,
    generated: GENERATED,
    stubs: stubViews(m.externs),
    nameLiteral: quoteString(m.name),
    describe: testName(`Module ${m.name}`),
    exports: exportedFunctions(m).map(quoteString).join(", "),
    manifestPath: quoteString(`modules/${m.name}/${m.name}.psd1`),
    version: quoteString(m.version),
    guid: quoteString(m.guid),
    parameters,
  });
  return powershellFile(`tests/${m.name}.Tests.ps1`, text, m.source);
}

/** The value a property has in a test run: literals as written, runtime values as the mocks return them. */
function sampleValue(expr: ir.Expr): string | undefined {
  switch (expr.kind) {
    case "string":
    case "number":
    case "boolean":
      return printExpr(expr);
    case "runtime":
      return expr.source === "instanceId" ? quoteString(SAMPLE_INSTANCE_ID) : quoteString(`sample-${expr.name}`);
    default:
      return undefined;
  }
}

const SAMPLE_INSTANCE_ID = "i-0123456789abcdef0";

/**
 * A -ParameterFilter that picks out one resource instance when its type is used more than once:
 * its key properties (all scalar properties when it has no keys) must equal this instance's.
 */
function instanceFilter(type: ir.ResourceType, r: ir.Resource): string {
  const keys = type.properties.filter((p) => p.key);
  const names = new Set((keys.length > 0 ? keys : type.properties).map((p) => p.name));
  const terms = r.properties.filter((p) => names.has(p.name)).flatMap((p) => {
    const v = sampleValue(p.value);
    return v === undefined ? [] : [`$${p.name} -eq ${v}`];
  });
  return terms.length === 0 ? "" : `{ ${terms.join(" -and ")} }`;
}

export function emitConfigurationTests(c: ir.Configuration, program: ir.Program): EmittedFile {
  const types = new Map(program.modules.flatMap((m) => m.resources.map((r) => [`${m.name}\0${r.name}`, r] as const)));
  const nameLiteral = quoteString(c.name);
  const usedModules = closure(c.requires.map((r) => r.name), program);
  const externs = new Map<string, ir.ExternCommand>();
  for (const m of program.modules) if (usedModules.has(m.name)) for (const e of m.externs) externs.set(e.name, e);

  const dependants = (id: string): string[] => {
    const out = new Set<string>();
    const visit = (target: string): void => {
      for (const r of c.resources) {
        if (r.dependsOn.includes(target) && !out.has(r.id)) {
          out.add(r.id);
          visit(r.id);
        }
      }
    };
    visit(id);
    return [...out].sort();
  };

  const uses = new Map<string, number>();
  for (const r of c.resources) uses.set(`${r.type.module}\0${r.type.name}`, (uses.get(`${r.type.module}\0${r.type.name}`) ?? 0) + 1);
  // One row of the table the tests run over; filters are script blocks, or $null for "every call".
  const orNull = (filter: string): string => filter || "$null";
  const resources = c.resources.map((r) => {
    const cmd = r.type.commands;
    const common = {
      idLiteral: quoteString(r.id),
      typeLiteral: quoteString(r.type.name),
      dependants: dependants(r.id).map(quoteString).join(", "),
    };
    if (r.type.dsc.builtin) {
      // A DSC Script resource: its scripts run through Invoke-FfScript; tell them apart by their text.
      const text = (name: string): string => printExpr(r.properties.find((p) => p.name === name)?.value ?? { kind: "string", value: "" });
      return {
        ...common,
        script: "$true",
        changes: "$true",
        reboots: "$false",
        getLiteral: "''",
        testLiteral: quoteString(cmd.test),
        // A dsc.Script with a safe script: the runtime's safe step runs it through Invoke-FfScript too.
        safeLiteral: r.safe ? quoteString(cmd.set) : "''",
        setLiteral: quoteString(cmd.set),
        validation: "",
        testFilter: `{ $Script -eq ${text("TestScript")} }`,
        safeFilter: r.safe ? `{ $Script -eq ${printExpr(r.safe.value)} }` : "$null",
        setFilter: `{ $Script -eq ${text("SetScript")} }`,
      };
    }
    const type = types.get(`${r.type.module}\0${r.type.name}`)!;
    const filter = uses.get(`${r.type.module}\0${r.type.name}`)! > 1 ? instanceFilter(type, r) : "";
    return {
      ...common,
      script: "$false",
      changes: r.reboot === "never" ? "$true" : "$false",
      reboots: r.reboot === "after-set" ? "$true" : "$false",
      getLiteral: quoteString(cmd.get),
      testLiteral: quoteString(cmd.test),
      safeLiteral: cmd.safe ? quoteString(cmd.safe) : "''",
      setLiteral: quoteString(cmd.set),
      validation: type.properties.map((p) => quoteString(p.name)).join(", "),
      testFilter: orNull(filter),
      safeFilter: orNull(filter),
      // Should -Invoke needs a filter: { $true } counts every call.
      setFilter: filter || "{ $true }",
    };
  });
  const text = render("pester/configuration.tests.ps1", {
    source: c.source,
    generated: GENERATED,
    name: c.name,
    nameLiteral,
    describe: testName(`Configuration ${c.name}`),
    stubs: stubViews([...externs.values()].sort((a, b) => (a.name < b.name ? -1 : 1))),
    resources,
    scripts: c.resources.some((r) => r.type.dsc.builtin),
  });
  return powershellFile(`tests/${c.name}.Tests.ps1`, text, c.source);
}

/** The modules a set of modules needs, transitively (author modules only). */
export function closure(names: readonly string[], program: ir.Program): Set<string> {
  const byName = new Map(program.modules.map((m) => [m.name, m]));
  const out = new Set<string>();
  const visit = (name: string): void => {
    const m = byName.get(name);
    if (!m || out.has(name)) return;
    out.add(name);
    for (const r of m.requires) visit(r.name);
  };
  names.forEach(visit);
  return out;
}

/** Stub modules for external (non-built-in) modules, so Import-FfModule finds them on the build host. */
export function emitStubModules(program: ir.Program): EmittedFile[] {
  const byModule = new Map<string, { version: string; commands: Map<string, ir.ExternCommand> }>();
  for (const m of program.modules) {
    for (const ref of m.externModules) {
      const entry = byModule.get(ref.name) ?? { version: ref.version, commands: new Map() };
      byModule.set(ref.name, entry);
      for (const e of m.externs) if (e.module === ref.name) entry.commands.set(e.name, e);
    }
  }
  const files: EmittedFile[] = [];
  for (const [name, { version, commands }] of [...byModule].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const list = [...commands.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const exports = list.map((e) => quoteString(e.name)).join(", ");
    const functions = list.map((e) => ({ name: e.name, params: stubParams(e), message: stubMessage(e) }));
    const psm1 = render("pester/stub.psm1", { name, generated: GENERATED, functions, exports });
    const psd1 = render("pester/stub.psd1", { name, generated: GENERATED, rootModule: quoteString(`${name}.psm1`), version: quoteString(version), exports });
    files.push(powershellFile(`tests/stubs/${name}/${name}.psm1`, psm1, "fleetform.config.ts"));
    files.push(powershellFile(`tests/stubs/${name}/${name}.psd1`, psd1, "fleetform.config.ts"));
  }
  return files;
}

/** tests/Fleetform.Tests.psm1: what every configuration's tests share (Invoke-FfTestRun), shipped once. */
export function emitSharedTestModule(): EmittedFile {
  return powershellFile("tests/Fleetform.Tests.psm1", render("pester/shared.psm1", { generated: GENERATED }), "fleetform.config.ts");
}

/** tests/Invoke-Tests.ps1: the runner `fleetform test` uses (Pester 5, JUnit report, strict exit code). */
export function emitTestRunner(): EmittedFile {
  return powershellFile("tests/Invoke-Tests.ps1", render("pester/runner.ps1", { generated: GENERATED }), "fleetform.config.ts");
}

/** tests/Manifest.Tests.ps1: every file of the build still has the sha256 manifest.json lists (a hand edit fails). */
export function emitManifestTest(): EmittedFile {
  return powershellFile("tests/Manifest.Tests.ps1", render("pester/manifest.tests.ps1", { generated: GENERATED }), "fleetform.config.ts");
}
