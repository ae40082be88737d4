// Real PowerShell over real output: every generated .ps1/.psm1/.psd1 of the golden cases parses
// with zero errors and uses only Windows PowerShell 5.1 syntax, the SSM scripts stay thin, and
// the generated Pester tests pass (they import the modules through their manifests, in
// RequiredModules order, and run every configuration through the real runtime).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { writeOutput } from "../../compiler/index.js";
import { listFiles } from "../helpers/cases.js";
import { parsePowerShellFiles, repoRoot, runPester } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

const cases = {
  docutap: join(repoRoot, "examples", "docutap"),
  values: join(repoRoot, "test", "golden", "cases", "values", "input"),
};

const built = new Map<string, string>();

beforeAll(async () => {
  for (const [name, root] of Object.entries(cases)) {
    const result = await sharedCompile(root);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const out = join(mkdtempSync(join(tmpdir(), `ff-${name}-`)), "dist");
    writeOutput(out, result.files);
    built.set(name, out);
  }
});

describe.each(Object.keys(cases))("generated PowerShell of %s", (name) => {
  it("parses with PowerShell's parser, with no 7-only syntax", () => {
    const out = built.get(name)!;
    const files = listFiles(out).filter((f) => /\.(ps1|psm1|psd1)$/.test(f)).map((f) => join(out, f));
    expect(files.length).toBeGreaterThan(5);
    const parsed = parsePowerShellFiles(files);
    const problems = [...parsed].flatMap(([file, r]) => [...r.errors, ...r.compat].map((p) => `${file.slice(out.length + 1)}:${p.line}: ${p.message}`));
    expect(problems).toEqual([]);
  });

  it("writes PowerShell files as ASCII or UTF-8 with a BOM (5.1 reads BOM-less files as ANSI)", () => {
    const out = built.get(name)!;
    for (const f of listFiles(out).filter((f) => /\.(ps1|psm1|psd1)$/.test(f))) {
      const bytes = readFileSync(join(out, f));
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      expect(bom || bytes.every((b) => b < 0x80), f).toBe(true);
    }
  });

  it("emits thin SSM documents that validate against the Command document schema", () => {
    const out = built.get(name)!;
    const schema = JSON.parse(readFileSync(join(repoRoot, "schemas", "ssm-command-document-2.2.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const docs = listFiles(out).filter((f) => f.startsWith("ssm/"));
    expect(docs.length).toBeGreaterThan(0);
    for (const f of docs) {
      const text = readFileSync(join(out, f), "utf8");
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(65536);
      const doc = parse(text) as { mainSteps: { inputs: { runCommand: string[] } }[]; parameters: Record<string, { interpolationType?: string; allowedPattern?: string }> };
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.mainSteps).toHaveLength(1);
      const script = doc.mainSteps[0]!.inputs.runCommand;
      expect(script.join("\n").split("\n").length).toBeLessThanOrEqual(10);
      // Only set-up, one import and one call: no resource logic in YAML.
      for (const line of script) {
        expect(line).toMatch(/^(Set-StrictMode -Version 3\.0|try \{ Import-Module -Name '[A-Za-z0-9]+' -ErrorAction Stop \} catch \{ Write-Error -ErrorRecord \$_ -ErrorAction Continue; exit 40 \}|\$mode = \$env:SSM_Mode|if \(\[string\]::IsNullOrEmpty\(\$mode\)\) \{ \$mode = '\{\{ Mode \}\}' \}|exit \(Invoke-[A-Za-z0-9]+ -Mode \$mode\))$/);
      }
      expect(doc.parameters.Mode?.interpolationType).toBe("ENV_VAR");
      // The build's own per-configuration schema (referenced by the file's yaml-language-server modeline) accepts it too.
      const modeline = /^# yaml-language-server: \$schema=\.\.\/schemas\/([A-Za-z0-9]+\.schema\.json)$/m.exec(text);
      expect(modeline).not.toBeNull();
      const own = new Ajv({ allErrors: true, strict: false });
      own.addSchema(JSON.parse(readFileSync(join(out, "schemas", "ssm-command-document-2.2.schema.json"), "utf8")) as object);
      const validateOwn = own.compile(JSON.parse(readFileSync(join(out, "schemas", modeline![1]!), "utf8")) as object);
      expect(validateOwn(doc), JSON.stringify(validateOwn.errors)).toBe(true);
      expect(validateOwn({ ...doc, parameters: { ...doc.parameters, Extra: { type: "String" } } })).toBe(false);
      expect(doc.parameters.Mode?.allowedPattern).toBe("^(apply|monitor)$");
    }
  });

  it("passes its generated Pester tests under pwsh", () => {
    const out = built.get(name)!;
    const summary = runPester([join(out, "tests")]);
    expect(summary.failures).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.total).toBeGreaterThanOrEqual(name === "docutap" ? 80 : 30);
  });
});
