// Only configurations delivered by DSC get a DSC document: the others get no MOF, and values DSC
// could not take (instanceId(), a token in an int) are neither an error nor a warning for them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { repoRoot } from "../helpers/pwsh.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A config repo with the Base module of the dsc-delivery diagnostics case and these configurations. */
function repo(configurations: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ff-dsc-delivery-"));
  dirs.push(dir);
  const input = join(repoRoot, "test", "diagnostics", "cases", "dsc-delivery", "input");
  cpSync(join(input, "fleetform.config.ts"), join(dir, "fleetform.config.ts"));
  cpSync(join(input, "modules"), join(dir, "modules"), { recursive: true });
  mkdirSync(join(dir, "configurations"));
  for (const [name, delivery] of Object.entries(configurations)) {
    // Values a MOF can hold for the configuration delivered by DSC and for "Clean" (which would
    // have had a MOF written before), values it cannot for the others.
    const fits = delivery.includes("dsc: true") || name === "Clean";
    writeFileSync(
      join(dir, "configurations", `${name.toLowerCase()}.ts`),
      `import { configuration, ec2Tag, instanceId } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "${name}",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  ${delivery}
  resources: {
    where: Setting({ name: "Instance", data: ${fits ? 'ec2Tag("Name")' : "instanceId()"} }),
    retries: Setting({ name: "Retries", data: "3", retries: ${fits ? "3" : 'ec2Tag("Retries") as unknown as number'} }),
  },
});
`,
    );
  }
  return dir;
}

// The type check and PowerShell's parse are covered elsewhere: this is about check, lower and emit.
const build = (root: string) => compile({ root, typecheck: false, pwshCheck: false });

describe("DSC documents follow delivery", () => {
  it("gives no MOF and no diagnostic to configurations not delivered by DSC, and a MOF to the one that is", async () => {
    const result = await build(repo({ Default: "", NoDsc: "delivery: { dsc: false },", Explicit: "delivery: { runCommand: true, dsc: false },", Both: "delivery: { runCommand: true, dsc: true },", Clean: "" }));
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.ok).toBe(true);
    const mofs = result.files.map((f) => f.path).filter((p) => p.startsWith("dsc/"));
    expect(mofs).toEqual(["dsc/Both/localhost.meta.mof", "dsc/Both/localhost.mof"]);
    expect(result.program!.configurations.map((c) => [c.name, c.dscDocument])).toEqual([["Both", true], ["Clean", false], ["Default", false], ["Explicit", false], ["NoDsc", false]]);
    // Each configuration still gets its Run Command document.
    for (const name of ["Both", "Clean", "Default", "Explicit", "NoDsc"]) expect(result.files.some((f) => f.path === `ssm/${name}.yaml`), name).toBe(true);
  });

  it("copies no dsc folder in the CodeDeploy bundle when no configuration is delivered by DSC", async () => {
    const result = await build(repo({ Default: "", NoDsc: "delivery: { dsc: false },", Clean: "" }));
    expect(result.ok).toBe(true);
    expect(result.files.filter((f) => f.path.startsWith("dsc/"))).toEqual([]);
    const appspec = result.files.find((f) => f.path === "appspec.yml")!.content as string;
    expect(appspec).not.toMatch(/source: dsc\b/);
  });
});
