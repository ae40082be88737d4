// Every CloudFormation template a build writes uses each parameter it declares (cfn-lint's W2001):
// dependencies.yaml declared every stack parameter of fleetform.config.ts, used or not, and the
// pipeline passed them all (the deployer was asked for values nothing read), for the example, the
// delivery fixtures and a config whose stack parameter only the instances' tags use.
import { describe, expect, it } from "vitest";
import { unresolved, unusedParameters } from "./cfn-check.js";
import { assertOk, buildDocutap, compileFixture, parseCfn } from "./helpers.js";
import type { CompileResult } from "../../compiler/index.js";
import { readdirSync } from "node:fs";
import { fixturesDir } from "./helpers.js";

function templates(build: CompileResult): [string, Record<string, unknown>][] {
  return build.files.filter((f) => /^cloudformation\/.*\.yaml$/.test(f.path)).map((f) => [f.path, parseCfn(typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("utf8"))]);
}

describe("every template declares the parameters it uses, and no other", () => {
  it("examples/docutap (its Environment and LogKmsKeyArn are used by systems-manager.yaml, not dependencies.yaml)", async () => {
    const build = await buildDocutap();
    assertOk(build, "examples/docutap");
    const all = templates(build);
    expect(all.map(([path]) => path)).toEqual(expect.arrayContaining(["cloudformation/dependencies.yaml", "cloudformation/pipeline.yaml", "cloudformation/systems-manager.yaml"]));
    for (const [path, template] of all) expect(unusedParameters(template), path).toEqual([]);
    const dependencies = Object.fromEntries(all)["cloudformation/dependencies.yaml"]!;
    expect(Object.keys(dependencies.Parameters as object)).not.toContain("LogKmsKeyArn");
  });

  it.each(readdirSync(fixturesDir).filter((name) => !name.startsWith(".")))("fixture %s", async (name) => {
    const build = await compileFixture(name);
    if (!build.ok) return; // (fixtures of failing builds are other tests')
    for (const [path, template] of templates(build)) {
      expect(unusedParameters(template), path).toEqual([]);
      // (and declares every one it refers to: builtin-parameter's deployment group targeted
      // !Ref MofBucketName, which dependencies.yaml did not declare, so CloudFormation refused it)
      expect(unresolved(template), path).toEqual([]);
    }
  });
});
