// How plan prints values (one line, as an author writes them) and keeps Markdown tables intact.
import { describe, expect, it } from "vitest";
import type * as ir from "../../compiler/phases/3-lower/ir.js";
import { diffBuilds, type Build } from "../../compiler/plan/diff.js";
import { formatCfn, formatExpr } from "../../compiler/plan/format.js";
import { renderMarkdown } from "../../compiler/plan/markdown.js";

const str = (value: string): ir.Expr => ({ kind: "string", value });

describe("formatExpr", () => {
  it("prints literals, collections and runtime values the way the TypeScript source writes them", () => {
    expect(formatExpr(str('C:\\x "y"'))).toBe('"C:\\\\x \\"y\\""');
    expect(formatExpr({ kind: "number", value: -2.5 })).toBe("-2.5");
    expect(formatExpr({ kind: "boolean", value: true })).toBe("true");
    expect(formatExpr({ kind: "null" })).toBe("null");
    expect(formatExpr({ kind: "array", items: [str("a"), { kind: "number", value: 1 }] })).toBe('["a", 1]');
    expect(formatExpr({ kind: "array", items: [] })).toBe("[]");
    expect(formatExpr({ kind: "map", entries: [{ key: "plain", value: str("x") }, { key: "two words", value: { kind: "map", entries: [] } }] })).toBe('{ plain: "x", "two words": {} }');
    expect(formatExpr({ kind: "runtime", source: "ec2Tag", name: "Name", secure: false })).toBe('ec2Tag("Name")');
    expect(formatExpr({ kind: "runtime", source: "ssmParameter", name: "/a/b", secure: true })).toBe('ssmParameter("/a/b", { secure: true })');
    expect(formatExpr({ kind: "runtime", source: "env", name: "TEMP", secure: false })).toBe('env("TEMP")');
    expect(formatExpr({ kind: "runtime", source: "instanceId", name: "", secure: false })).toBe("instanceId()");
    expect(formatExpr({ kind: "raw", text: "$Name" })).toBe('ps.raw("$Name")');
    expect(formatExpr({ kind: "variable", name: "Path" })).toBe("$Path");
  });

  it("prints fragments as one-line ps`...` templates and calls as PowerShell commands", () => {
    const fragment: ir.Fragment = { kind: "fragment", parts: [{ kind: "text", text: "Test-Path `\n  " }, { kind: "variable", name: "Path" }, { kind: "text", text: " ${x}\t" }] };
    expect(formatExpr({ kind: "script", fragment })).toBe("ps`Test-Path \\`\\n  ${$Path} \\${x}\\t`");
    const call: ir.Expr = { kind: "call", command: "Get-Thing", args: [{ name: "Name", value: str("a") }], switches: [{ name: "Force", on: true }, { name: "WhatIf", on: false }] };
    expect(formatExpr(call)).toBe('(Get-Thing -Name "a" -Force -WhatIf:$false)');
  });

  it("prints CloudFormation strings as literals, stackParameter() and sub``", () => {
    expect(formatCfn({ kind: "literal", value: "web" })).toBe('"web"');
    expect(formatCfn({ kind: "ref", name: "Environment" })).toBe('stackParameter("Environment")');
    expect(formatCfn({ kind: "sub", template: "windows-${Environment}" })).toBe("sub`windows-${Environment}`");
  });
});

describe("renderMarkdown", () => {
  /** A one-resource build whose resource property `Value` holds `value`. */
  function build(value: string, type = "T"): Build {
    const resource = {
      kind: "resource",
      id: "r",
      type: { module: "M", name: type, commands: { get: "Get-T", test: "Test-T", set: "Set-T" }, dsc: { className: "T", friendlyName: "T", moduleName: "M", moduleVersion: "1.0", builtin: false } },
      reboot: "never",
      properties: [{ name: "Value", value: str(value) }],
      dependsOn: [],
      source: "configurations/c.ts",
    } as const;
    const configuration = {
      kind: "configuration",
      name: "C",
      description: "",
      version: "1.0.0",
      guid: "00000000-0000-5000-8000-000000000000",
      source: "configurations/c.ts",
      targets: { tag: "Role", values: [{ kind: "literal", value: "x" }] },
      schedule: "rate(1 day)",
      association: { maxConcurrency: "10%", maxErrors: "10%", complianceSeverity: "MEDIUM", applyOnlyAtCronInterval: false, syncCompliance: "AUTO" },
      timeoutSeconds: 3600,
      requires: [],
      resources: [resource],
      delivery: { runCommand: true },
      dscDocument: false,
      lcm: [],
    } as const;
    // No `stack` here: plans must not depend on the fleet-wide associations being in the IR.
    const program = {
      kind: "program",
      generator: { name: "fleetform", version: "0" },
      install: { root: "C:\\M", logDir: "C:\\L", stateDir: "C:\\S" },
      runtime: { kind: "runtime", name: "Fleetform.Runtime", version: "0", guid: "g", files: [] },
      dsc: { format: "wmf51", generatedBy: "fleetform", generationHost: "fleetform", generationDate: "01/01/1970 00:00:00" },
      modules: [],
      configurations: [configuration],
    } as unknown as ir.Program;
    return { program, files: [{ path: "configurations/C/C.psm1", content: `# ${value}\n`, source: "configurations/c.ts" }] };
  }

  it("escapes pipes and backticks in table cells and cuts long values around their first difference", () => {
    const plan = diffBuilds(build("a|b"), build("a`|`b"));
    const md = renderMarkdown(plan, { base: "main", head: "." });
    expect(md).toContain('| `r` | `M/T` | changed | `Value` | `"a\\|b"` | ``"a`\\|`b"`` |');

    const long = "x".repeat(200);
    const cut = renderMarkdown(diffBuilds(build(long + "old" + long), build(long + "new" + long)), { base: "main", head: "." });
    const row = cut.split("\n").find((l) => l.includes("`Value`"))!;
    expect(row).toContain("old");
    expect(row).toContain("new");
    expect(row).toContain("…");
    expect(row.length).toBeLessThan(400);
  });

  it("shows a resource whose type changed under the same id", () => {
    const plan = diffBuilds(build("a"), build("a", "U"));
    expect(plan.configurations[0]!.resources).toMatchObject([{ id: "r", status: "changed", type: "M/U", typeBefore: "M/T", properties: [] }]);
    expect(renderMarkdown(plan, { base: "main", head: "." })).toContain("| `r` | `M/U` | changed | `type` | `M/T` | `M/U` |");
  });

  it("does not ask for a new version when only a configuration module changed (Run Command imports it in a new process every run)", () => {
    const plan = diffBuilds(build("a"), build("b"));
    expect(plan.summary.configurations.changed).toBe(1);
    expect(plan.warnings).toEqual([]);
    expect(plan.associations).toEqual([]);
    expect(renderMarkdown(plan, { base: "main", head: "." })).not.toContain("[!WARNING]");
  });
});
