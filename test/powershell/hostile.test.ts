// Hostile values against every output format, checked by the real consumers: the repo in
// test/fixtures/hostile puts text that tries to leave every kind of literal and comment (quotes of
// every kind, `$(...)`, backticks, line breaks of every kind, `*/`, `<# #>`) into every value
// fleetform writes, and is built twice: as written, and with the hostile texts replaced by plain
// words. PowerShell's parser must find no error in any generated .ps1/.psm1/.psd1 and exactly the
// same commands in both builds (so no value added a command), and the MOF reader the same
// instances. Also: the build's own pwsh process reports files it cannot parse (FF4020/FF4021).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, writeOutput } from "../../compiler/index.js";
import { readMof, decodeMof } from "../../compiler/mof/reader.js";
import { configurationMof } from "../../compiler/phases/4-emit/mof/document.js";
import type * as ir from "../../compiler/phases/3-lower/ir.js";
import { startFragmentParser, type Pwsh } from "../../compiler/powershell/pwsh.js";
import { listFiles } from "../helpers/cases.js";
import { pwshInfo, repoRoot, runPwshFile } from "../helpers/pwsh.js";

const fixture = join(repoRoot, "test", "fixtures", "hostile");

async function build(replace: boolean): Promise<string> {
  const root = join(mkdtempSync(join(tmpdir(), "ff-hostile-")), "repo");
  cpSync(fixture, root, { recursive: true });
  if (replace) {
    const file = join(root, "modules", "base", "hostile.ts");
    const text = readFileSync(file, "utf8").replace(/^export const TEXT = .*$/m, 'export const TEXT = "plain text";').replace(/^export const LINE = .*$/m, 'export const LINE = "plain line";');
    writeFileSync(file, text);
  }
  // Outside the package, `fleetform` resolves for evaluation but not for tsc: no type check.
  const result = await compile({ root, typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = join(root, "dist");
  writeOutput(out, result.files);
  return out;
}

type Help = { synopsis: string; description: string; parameters: string[] } | null;
type Inventory = Record<string, { errors: string[]; commands: string[]; help: Record<string, Help> }>;

function inventory(out: string): Inventory {
  const files = listFiles(out).filter((f) => /\.(ps1|psm1|psd1)$/.test(f));
  const list = join(mkdtempSync(join(tmpdir(), "ff-inventory-")), "files.json");
  writeFileSync(list, JSON.stringify(files.map((f) => join(out, f))));
  const r = runPwshFile(join(repoRoot, "test", "pwsh", "command-inventory.ps1"), [list]);
  if (r.code !== 0) throw new Error(`command-inventory.ps1 failed (${r.code}):\n${r.stderr}`);
  const raw = JSON.parse(r.stdout) as Inventory;
  return Object.fromEntries(files.map((f) => [f, { errors: [...(raw[join(out, f)]?.errors ?? [])], commands: [...(raw[join(out, f)]?.commands ?? [])], help: raw[join(out, f)]?.help ?? {} }]));
}

describe("hostile values in every output format", () => {
  it("add no command to any generated PowerShell file, and no instance to any DSC document", async () => {
    const hostile = await build(false);
    const plain = await build(true);
    const h = inventory(hostile);
    const p = inventory(plain);
    expect(Object.keys(h).length).toBeGreaterThan(10);
    expect(Object.keys(h).sort()).toEqual(Object.keys(p).sort());
    for (const [file, found] of Object.entries(h)) {
      expect(found.errors, `${file} parses`).toEqual([]);
      expect(found.commands.filter((c) => /Pwned/.test(c)), `${file}: no injected command`).toEqual([]);
      expect(found.commands, `${file}: the same commands as with plain values`).toEqual(p[file]!.commands);
      // Lines of the text that look like help keywords (.SYNOPSIS, .NET) stay text: each function's
      // comment is help to PowerShell's help parser as with plain values, with the same parameters,
      // and what it says still starts with the text (not with what follows a keyword it took).
      expect(Object.keys(found.help), `${file}: the same functions`).toEqual(Object.keys(p[file]!.help));
      for (const [name, help] of Object.entries(found.help)) {
        const plainHelp = p[file]!.help[name]!;
        if (plainHelp === null) continue;
        expect(help, `${file}: ${name}'s comment is help`).not.toBeNull();
        expect(help!.parameters, `${file}: ${name}'s help parameters`).toEqual(plainHelp.parameters);
        for (const part of ["synopsis", "description"] as const) {
          if (plainHelp[part].includes("plain text")) expect(help![part], `${file}: ${name}'s ${part}`).toContain("Invoke-PwnedA");
        }
      }
    }
    expect(Object.values(p).some((f) => Object.values(f.help).some((h) => h?.synopsis.includes("plain text"))), "some function's synopsis is the text").toBe(true);
    // The hostile text did reach the files (else this test proves nothing).
    const psm1 = readFileSync(join(hostile, "modules", "Base", "Base.psm1"), "utf8");
    expect(psm1).toContain("Invoke-PwnedA");
    for (const name of ["localhost.mof", "localhost.meta.mof"]) {
      const read = (out: string) => readMof(decodeMof(readFileSync(join(out, "dsc", "App", name))));
      const shape = (out: string) => read(out).instances.map((i) => [i.className, i.properties.map((x) => x.name)]);
      expect(shape(hostile), name).toEqual(shape(plain));
      expect(readFileSync(join(hostile, "dsc", "App", name)).toString("utf16le")).toContain("Invoke-PwnedF");
    }
  }, 240_000);

  it("keep the DSC header a comment even when the settings were not validated", () => {
    const settings: ir.DscSettings = { format: "psdsc2", generatedBy: "ci*/\ninstance of MSFT_ScriptResource as $x\n{\nSetScript = \"Invoke-Pwned\";\n};\n/*", generationHost: "h\r*/\u2028x", generationDate: "*/" };
    const c = { name: "Empty", resources: [] } as unknown as ir.Configuration;
    const text = configurationMof(c, settings, () => []);
    const doc = readMof(text);
    expect(doc.instances.map((i) => i.className)).toEqual(["OMI_ConfigurationDocument"]);
    // The header ends after its last field, and each field stayed on its line.
    const header = text.slice(0, text.indexOf("*/") + 2);
    expect(header.split("\r\n")).toEqual(["/*", "@TargetNode='localhost'", expect.stringMatching(/^@GeneratedBy=ci\* \/ instance/), "@GenerationDate=* /", expect.stringMatching(/^@GenerationHost=h \* \/ x$/), "*/"]);
  });
});

describe("the build's PowerShell parse of whole files", () => {
  it("reports a file PowerShell cannot parse and a .psd1 that is not data", async () => {
    const info = pwshInfo();
    const pwsh: Pwsh = { command: info.command };
    const parser = startFragmentParser(pwsh);
    try {
      const findings = await parser.parseFiles([
        { path: "modules/Good/Good.psm1", text: "function Get-Good { param([ValidateSet('a', 'b')][string]$X) $X }\n" },
        { path: "modules/Bad/Bad.psm1", text: 'function Get-Bad { param([ValidateSet("a$([char]0x85)b")][string]$X) $X }\n' },
        { path: "modules/Bad/Bad.psd1", text: "@{ ModuleVersion = '1.0'; Author = (Invoke-Pwned) }\n" },
        { path: "modules/Two/Two.psd1", text: "@{ ModuleVersion = '1.0' }\nInvoke-Pwned\n" },
        { path: "modules/Good/Good.psd1", text: "@{ ModuleVersion = '1.0'; Tags = @('a', 'b'); Nested = @{ X = $true } }\n" },
      ]);
      const by = (path: string) => findings.filter((f) => f.path === path).map((f) => f.kind);
      expect(by("modules/Good/Good.psm1")).toEqual([]);
      expect(by("modules/Good/Good.psd1")).toEqual([]);
      expect(by("modules/Bad/Bad.psm1")).toEqual(["syntax"]);
      expect(findings.find((f) => f.path === "modules/Bad/Bad.psm1")!.message).toMatch(/constant/i);
      expect(by("modules/Bad/Bad.psd1")).toEqual(["data"]);
      expect(by("modules/Two/Two.psd1")).toEqual(["data"]);
    } finally {
      parser.dispose();
    }
  }, 60_000);
});
