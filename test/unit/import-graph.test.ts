// compiler/'s layering, read from its imports (scripts/import-graph.mjs, which prints the same graph):
// no import cycle, no phase importing a later phase, no phase importing the driver or the CLI.
import { describe, expect, it } from "vitest";
import { compilerImports, cycles, folderOf, importsOf, layeringViolations } from "../../scripts/import-graph.mjs";

const graph: Map<string, Set<string>> = compilerImports();

/** The graph with one more import. */
function planted(from: string, to: string): Map<string, Set<string>> {
  const copy = new Map([...graph].map(([file, targets]) => [file, new Set(targets)]));
  copy.get(from)!.add(to);
  return copy;
}

describe("compiler/'s imports", () => {
  it("are read from every static import and re-export, type-only ones included (not from text that looks like one)", () => {
    const text = [
      'import type { A } from "./a.js";',
      'import { type B, c } from "./b.js";',
      'export { d } from "./d.js";',
      'export type * as e from "./e.js";',
      'import "./f.js";',
      "import {\n  g,\n  h,\n} from './g.js';",
      "const template = `import { x } from \"./x.js\";`;",
      'const later = await import("./dynamic.js");',
    ].join("\n");
    expect(importsOf(text)).toEqual(["./a.js", "./b.js", "./d.js", "./e.js", "./f.js", "./g.js"]);
    // The graph holds the tree's real imports (type-only ones too).
    expect(graph.size).toBeGreaterThan(80);
    expect([...graph.get("driver/compile.ts")!]).toEqual(expect.arrayContaining(["phases/1-load/index.ts", "phases/4-emit/index.ts", "phases/context.ts"]));
    expect([...graph.get("phases/4-emit/verify.ts")!]).toContain("phases/context.ts");
    expect(folderOf("phases/4-emit/cloudformation/pipeline.ts")).toBe("phases/4-emit");
    expect(folderOf("phases/context.ts")).toBe("phases");
    expect(folderOf("index.ts")).toBe("(root)");
  });

  it("have no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keep the phases in order (1-load < 2-check < 3-lower < 4-emit) and apart from the driver and the CLI", () => {
    expect(layeringViolations(graph)).toEqual([]);
  });

  it("would show a planted cycle, a phase importing a later one, and a phase importing the driver", () => {
    expect(cycles(planted("util/hash.ts", "driver/compile.ts")).length).toBeGreaterThan(0);
    expect(cycles(new Map([["a.ts", new Set(["a.ts"])], ["b.ts", new Set(["a.ts"])]]))).toEqual([["a.ts"]]);
    expect(layeringViolations(planted("phases/2-check/index.ts", "phases/3-lower/ir.ts"))).toContain("phases/2-check/index.ts -> phases/3-lower/ir.ts: phases/2-check imports a later phase");
    expect(layeringViolations(planted("phases/4-emit/index.ts", "driver/incremental.ts"))).toContain("phases/4-emit/index.ts -> driver/incremental.ts: a phase imports the driver");
    expect(layeringViolations(planted("phases/context.ts", "phases/1-load/index.ts"))).toContain("phases/context.ts -> phases/1-load/index.ts: phases imports a later phase");
    expect(layeringViolations(planted("phases/1-load/index.ts", "cli/io.ts"))).toContain("phases/1-load/index.ts -> cli/io.ts: a phase imports the cli");
  });
});
