// examples/docutap: each generated manifest's RequiredModules are the runtime plus exactly the
// modules its TypeScript imports (read here from the sources, independently of the compiler),
// in dependency order; and the modules import cleanly in pwsh in that order.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../compiler/index.js";
import { repoRoot, runPwsh } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

const example = join(repoRoot, "examples", "docutap");
let out: string;
let order: string[];

/** Module name per folder, and the folders each module's sources import. */
function sourceGraph(): Map<string, { name: string; imports: Set<string> }> {
  const graph = new Map<string, { name: string; imports: Set<string> }>();
  const dir = join(example, "modules");
  for (const folder of readdirSync(dir)) {
    const text = readFileSync(join(dir, folder, "index.ts"), "utf8");
    const name = /defineModule\(\{\s*name:\s*"([^"]+)"/.exec(text)![1]!;
    const imports = new Set([...text.matchAll(/^import (?!type )[^;]*from "\.\.\/([^/]+)\/index\.js";$/gm)].map((m) => m[1]!));
    graph.set(folder, { name, imports });
  }
  return graph;
}

function requiredModules(psd1: string): string[] {
  const block = /RequiredModules = @\(([\s\S]*?)\n    \)/.exec(psd1)?.[1] ?? "";
  return [...block.matchAll(/ModuleName = '([^']+)'/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  const result = await sharedCompile(example);
  expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  out = join(mkdtempSync(join(tmpdir(), "ff-graph-")), "dist");
  writeOutput(out, result.files);
  order = result.program!.modules.map((m) => m.name);
});

describe("examples/docutap module graph", () => {
  it("lists, in each manifest, the runtime and exactly the modules the sources import, dependencies first", () => {
    const graph = sourceGraph();
    const nameOf = (folder: string): string => graph.get(folder)!.name;
    for (const { name, imports } of graph.values()) {
      const required = requiredModules(readFileSync(join(out, "modules", name, `${name}.psd1`), "utf8"));
      expect(required[0]).toBe("Fleetform.Runtime");
      expect(new Set(required.slice(1))).toEqual(new Set([...imports].map(nameOf)));
      const positions = required.slice(1).map((r) => order.indexOf(r));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    // Every module comes after the modules it imports.
    for (const { name, imports } of graph.values()) {
      for (const i of imports) expect(order.indexOf(nameOf(i))).toBeLessThan(order.indexOf(name));
    }
  });

  it("imports every module cleanly in pwsh, in dependency order", () => {
    const script = [
      "$ErrorActionPreference = 'Stop'",
      `$env:PSModulePath = '${join(out, "modules")}' + [IO.Path]::PathSeparator + '${join(out, "tests", "stubs")}' + [IO.Path]::PathSeparator + $env:PSModulePath`,
      ...order.map((m) => `Import-Module -Name '${m}'; [Console]::Out.WriteLine('imported ${m}: ' + @((Get-Module -Name '${m}').ExportedFunctions.Keys).Count)`),
      "[Console]::Out.WriteLine('loaded: ' + ((Get-Module | Where-Object { $_.Name -ne 'Microsoft.PowerShell.Management' -and $_.Name -ne 'Microsoft.PowerShell.Utility' -and $_.Name -ne 'PSReadLine' } | ForEach-Object Name | Sort-Object) -join ','))",
    ].join("\n");
    const r = runPwsh(script);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const m of order) expect(r.stdout).toMatch(new RegExp(`^imported ${m}: [1-9]\\d*$`, "m"));
    expect(r.stdout).toMatch(/^loaded: .*Fleetform\.Runtime/m);
  });
});
