// A misspelt option of a resource instance is reported without the type check too (--no-typecheck,
// or a spread tsc does not see into): it was dropped unseen, and the dependency with it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { repoRoot } from "../helpers/pwsh.js";

describe("instance options", () => {
  it("a misspelt one is FF2106 at the misspelling without the type check", async () => {
    const root = join(repoRoot, "test", "diagnostics", "cases", "instance-option-misspelt", "input");
    const result = await compile({ root, typecheck: false, pwshCheck: false });
    expect(result.ok).toBe(false);
    const found = result.diagnostics.map((d) => `${d.code} ${d.span?.file}:${d.span?.start.line}:${d.span?.start.column} ${d.message}`);
    expect(found).toEqual(["FF2106 configurations/web.ts:12:48 an instance of resource 'ServiceState' has no option 'dependOn'"]);
  });
});
