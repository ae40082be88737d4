// Every emitted PowerShell file (author modules, configuration modules, DSC resources, CodeDeploy
// hooks, Pester tests and their stubs) and the runtime module pass the same linker as fragments
// (compiler/powershell/check-fragments.ps1): each command a file calls is Windows PowerShell 5.1's,
// defined by one of the emitted files (runtime, module and configuration functions, test stubs), a
// declared extern, or
// Pester's (in the test files), or one of the two AWS Tools cmdlets the runtime imports on first
// use, with parameters those definitions declare.
import { mkdtempSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../compiler/index.js";
import { linkCalls, type KnownCommand } from "../../compiler/powershell/link.js";
import { findPwsh, startFragmentParser, type FragmentParse } from "../../compiler/powershell/pwsh.js";
import { listFiles } from "../helpers/cases.js";
import { pwshInfo, repoRoot, runPwshFile } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

const cases = {
  docutap: join(repoRoot, "examples", "docutap"),
  values: join(repoRoot, "test", "golden", "cases", "values", "input"),
  "dsc-resources": join(repoRoot, "test", "golden", "cases", "dsc-resources", "input"),
};

/**
 * The runtime's own dependencies outside Windows PowerShell 5.1: AWS Tools for PowerShell, imported
 * on first use (Get-FfSsmParameter, Get-FfSecret, the compliance report of Complete-FfRun), with the
 * parameters the runtime passes.
 */
const AWS_TOOLS: readonly KnownCommand[] = [
  { name: "Get-SSMParameter", what: "AWS.Tools.SimpleSystemsManagement's Get-SSMParameter", parameters: ["Name", "WithDecryption", "Select", "PassThru", "Region", "ProfileName"] },
  { name: "Get-SECSecretValue", what: "AWS.Tools.SecretsManager's Get-SECSecretValue", parameters: ["SecretId", "VersionId", "VersionStage", "Select", "Region", "ProfileName"] },
  {
    name: "Write-SSMComplianceItem",
    what: "AWS.Tools.SimpleSystemsManagement's Write-SSMComplianceItem (PutComplianceItems)",
    parameters: ["ResourceId", "ResourceType", "ComplianceType", "ExecutionSummary_ExecutionTime", "ExecutionSummary_ExecutionId", "ExecutionSummary_ExecutionType", "Item", "ItemContentHash", "UploadType", "Region", "ProfileName"],
  },
];

let pester: Map<string, KnownCommand>;
beforeAll(() => {
  const r = runPwshFile(join(repoRoot, "test", "pwsh", "pester-commands.ps1"), [pwshInfo().pester]);
  if (r.code !== 0) throw new Error(`pester-commands.ps1 failed: ${r.stderr}`);
  const commands = JSON.parse(r.stdout) as Record<string, string[]>;
  pester = new Map(Object.entries(commands).map(([name, parameters]) => [name.toLowerCase(), { name, what: `Pester's ${name}`, parameters }]));
  expect(pester.has("describe") && pester.has("should") && pester.has("mock")).toBe(true);
});

describe.each(Object.entries(cases))("the output of %s", (_name, root) => {
  it("links: every call resolves, with parameters its command has", async () => {
    const result = await sharedCompile(root);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const out = join(mkdtempSync(join(tmpdir(), "ff-link-")), "dist");
    writeOutput(out, result.files);
    const files = listFiles(out).filter((f) => /\.(ps1|psm1)$/.test(f));
    expect(files.some((f) => f.startsWith("modules/Fleetform.Runtime/"))).toBe(true);
    const texts = files.map((f) => readFileSync(join(out, f), "utf8").replace(/^\uFEFF/, ""));
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const parsed = new Map<string, FragmentParse>((await startFragmentParser(pwsh).parse(texts.map((text, i) => ({ id: String(i), text, file: true })))).map((r) => [files[Number(r.id)]!, r]));
    // What the output defines, by name: every file's functions (a name defined twice keeps no parameter check).
    const defined = new Map<string, KnownCommand>(AWS_TOOLS.map((c) => [c.name.toLowerCase(), c]));
    // The externs the program declares (a builtin one is only stubbed inside a test, as global:<Name>).
    for (const m of result.program!.modules) {
      for (const e of m.externs) defined.set(e.name.toLowerCase(), { name: e.name, what: `extern ${e.name}`, parameters: [...e.params.map((p) => p.name), ...e.switches] });
    }
    for (const [file, r] of parsed) {
      for (const d of r.definitions ?? []) {
        const key = d.name.replace(/^(global|script|local|private):/i, "").toLowerCase();
        defined.set(key, defined.has(key) ? { name: d.name, what: `function ${d.name}` } : { name: d.name, what: `function ${d.name} (${file})`, parameters: d.parameters });
      }
    }
    const problems: string[] = [];
    for (const [file, r] of parsed) {
      for (const e of r.errors) problems.push(`${file}:${e.line}:${e.column}: ${e.message}`);
      for (const c of r.compat) problems.push(`${file}:${c.line}:${c.column}: ${c.message}`);
      const callable = new Map(defined);
      if (file.startsWith("tests/")) for (const [k, v] of pester) callable.set(k, v);
      for (const p of linkCalls(r.calls, { label: "the output", callable, elsewhere: new Map() })) {
        problems.push(`${file}:${p.call.line}:${p.call.column}: ${p.kind === "parameter" ? p.message : `${p.call.name} is not defined anywhere`}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
