// Which modules the version-not-bumped warning of `fleetform plan` concerns: those DSC's Local
// Configuration Manager loads for a configuration delivered through DSC, including what they require.
import { describe, expect, it } from "vitest";
import { dscLoaded } from "../../compiler/plan/diff.js";
import type * as ir from "../../compiler/phases/3-lower/ir.js";

const module = (name: string, requires: string[] = []): ir.Module => ({ name, requires: requires.map((r) => ({ name: r, version: "1.0.0" })) }) as unknown as ir.Module;
const configuration = (name: string, requires: string[], dsc: boolean): ir.Configuration =>
  ({ name, requires: requires.map((r) => ({ name: r, version: "1.0.0" })), delivery: { runCommand: true, ...(dsc ? { dsc: { rebootBehavior: "Never", mode: "Apply", complianceType: "Custom:x" } } : {}) } }) as unknown as ir.Configuration;

describe("dscLoaded", () => {
  it("is the modules a DSC-delivered configuration uses and everything they require, transitively, with the configurations", () => {
    const program = {
      modules: [module("Platform"), module("Shared", ["Platform"]), module("App", ["Shared"]), module("Batch", ["Platform"]), module("Tools")],
      configurations: [configuration("DscWeb", ["Fleetform.Runtime", "App"], true), configuration("Web", ["Fleetform.Runtime", "Tools", "Batch"], false), configuration("DscBatch", ["Batch"], true)],
    } as unknown as ir.Program;
    const loaded = dscLoaded(program);
    expect(Object.fromEntries([...loaded].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual({
      App: ["DscWeb"],
      Batch: ["DscBatch"],
      "Fleetform.Runtime": ["DscWeb"],
      Platform: ["DscWeb", "DscBatch"],
      Shared: ["DscWeb"],
    });
    // (Tools: only Run Command loads it, in a new process each run)
    expect(loaded.has("Tools")).toBe(false);
  });
});
