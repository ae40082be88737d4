// examples/docutap/README.md shows the example's module graph as a Mermaid block that
// `fleetform graph` drew: this test fails when the block and the command's output differ.
// UPDATE_SNAPSHOTS=1 rewrites the block (review the diff).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

const readme = join(repoRoot, "examples", "docutap", "README.md");
const BLOCK = /(<!-- fleetform graph: begin -->\n```mermaid\n)([\s\S]*?)(```\n<!-- fleetform graph: end -->)/;

it("examples/docutap/README.md embeds the Mermaid graph `fleetform graph examples/docutap` prints", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "fleetform.js"), "graph", "examples/docutap"], { cwd: repoRoot, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const text = readFileSync(readme, "utf8");
  const match = BLOCK.exec(text);
  expect(match, "the README's graph block (between the fleetform graph markers)").not.toBeNull();
  if (process.env.UPDATE_SNAPSHOTS === "1" && match![2] !== r.stdout) {
    writeFileSync(readme, text.replace(BLOCK, (_, a: string, _b: string, c: string) => a + r.stdout + c));
    return;
  }
  expect(match![2]).toBe(r.stdout);
});
