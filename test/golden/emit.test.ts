// Golden tests: the whole pipeline's output per case, plus the IR, compared with files under
// expected/ (review changes as a diff; `UPDATE_SNAPSHOTS=1 npx vitest run test/golden --update` rewrites them; `-u` before the path would swallow it and update every suite).
// examples/docutap is a case too: its expected output lives in cases/docutap/expected.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { formatDiagnostics } from "../../compiler/diagnostics/format.js";
import { decodeMof } from "../../compiler/mof/reader.js";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { caseNames, removeStale } from "../helpers/cases.js";
import { repoRoot } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";
import { FLEETFORM_PARAMETERS } from "../../compiler/phases/2-check/stack.js";
import { topLevelKeys } from "../../compiler/phases/4-emit/verify.js";

const casesDir = join(repoRoot, "test", "golden", "cases");
const RUNTIME_PREFIX = "modules/Fleetform.Runtime/";

function inputOf(name: string): string {
  return name === "docutap" ? join(repoRoot, "examples", "docutap") : join(casesDir, name, "input");
}

describe("golden output", () => {
  for (const name of caseNames(casesDir)) {
    it(name, async () => {
      const result = await sharedCompile(inputOf(name));
      // Errors and warnings fail a golden case; info (a computed call the linker cannot follow) does not.
      expect(formatDiagnostics(result.diagnostics.filter((d) => d.severity !== "info"), (f) => result.sources.get(f))).toBe("");
      expect(result.ok).toBe(true);
      // The templates declare no parameter of their own that the stack-parameter check does not know
      // (a stack parameter of that name would be replaced by fleetform's, or passed its value).
      const authors = new Set(result.program!.stack.parameters.map((p) => p.name));
      for (const f of result.files.filter((f) => /^cloudformation\/.*\.yaml$/.test(f.path))) {
        const own = topLevelKeys(String(f.content), "Parameters").filter((n) => !authors.has(n));
        expect(own.filter((n) => !FLEETFORM_PARAMETERS.includes(n)), `${f.path}: parameters missing from FLEETFORM_PARAMETERS (2-check/stack.ts)`).toEqual([]);
      }
      const expectedDir = join(casesDir, name, "expected");

      // The runtime is copied verbatim from the module the build assembles (scripts/build-runtime.mjs); its own tests cover it.
      for (const f of result.files.filter((f) => f.path.startsWith(RUNTIME_PREFIX))) {
        expect(f.content).toBe(readFileSync(join(repoRoot, PACKAGE_ASSETS.runtime, f.path.slice(RUNTIME_PREFIX.length)), "utf8"));
      }
      const files = result.files.filter((f) => !f.path.startsWith(RUNTIME_PREFIX));
      const listing = files.map((f) => f.path);
      const golden = new Set([...listing, "files.txt", "ir.json"]);
      expect(removeStale(expectedDir, golden), "stale golden files (run vitest -u)").toEqual([]);
      await expect(listing.join("\n") + "\n").toMatchFileSnapshot(join(expectedDir, "files.txt"));
      const { runtime, ssmSchema: _schema, ...program } = result.program!;
      const ir = { ...program, runtime: { ...runtime, files: runtime.files.map((f) => f.path) } };
      await expect(JSON.stringify(ir, null, 2) + "\n").toMatchFileSnapshot(join(expectedDir, "ir.json"));
      for (const f of files) {
        // DSC documents are UTF-16LE: their golden copies hold the decoded text (the bytes are checked
        // against Windows PowerShell's own output in test/powershell/dsc.test.ts).
        const text = typeof f.content === "string" ? f.content : decodeMof(f.content);
        await expect(text).toMatchFileSnapshot(join(expectedDir, f.path));
      }
    });
  }

  it("gives byte-identical output when built twice", async () => {
    const a = await compile({ root: inputOf("docutap") });
    const b = await compile({ root: inputOf("docutap") });
    expect(a.files.length).toBeGreaterThan(0);
    expect(b.files.map((f) => [f.path, f.content])).toEqual(a.files.map((f) => [f.path, f.content]));
  });
});
