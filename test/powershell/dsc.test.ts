// The DSC target against real references:
// a. emitted documents byte for byte against files Windows PowerShell 5.1 (and PowerShell 7 with
//    PSDesiredStateConfiguration 2.0) wrote (test/fixtures/mof, provenance in SOURCES.md), built
//    from config repos under test/fixtures/dsc-* that say what the reference's configuration said;
// b. every instance of every emitted MOF is valid against its class schema (in-box schemas plus
//    the build's own DSCResources/*/*.schema.mof);
// c. the generated DSC resource modules import in pwsh, and their *-TargetResource parameters
//    match their schema.mof (notes/powershell.md §5.2);
// d. the generated DSC resource tests (tests/<Module>.DscResources.Tests.ps1) of the dsc-resources
//    golden case pass, with the one resource no sample value fits skipped.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, writeOutput } from "../../compiler/index.js";
import { decodeMof, readMof, type MofClass, type MofDocument, type MofInstance, type MofValue } from "../../compiler/mof/reader.js";
import { classIndex, validateDocument } from "../../compiler/mof/validate.js";
import { listFiles } from "../helpers/cases.js";
import { repoRoot, runPester, runPwsh } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

const fixtures = join(repoRoot, "test", "fixtures");
const reference = (name: string): Buffer => readFileSync(join(fixtures, "mof", name));

type Built = Awaited<ReturnType<typeof compile>>;

/** A build with no diagnostics at all (`errorsOnly`: warnings are fine, e.g. a configuration left without a DSC document). */
async function build(root: string, errorsOnly = false): Promise<Built> {
  const result = await sharedCompile(root);
  expect(result.diagnostics.filter((d) => !errorsOnly || d.severity === "error")).toEqual([]);
  return result;
}

function fileOf(result: Built, path: string): Uint8Array {
  const f = result.files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} was not emitted (got ${result.files.map((x) => x.path).join(", ")})`);
  return typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content;
}

const utf16 = (text: string): Buffer => Buffer.from("\uFEFF" + text, "utf16le");

/** The SourceInfo value of every instance, replaced by one placeholder. */
const SOURCE_INFO = /SourceInfo = "(?:[^"\\\r\n]|\\.)*";/g;
const withoutSourceInfo = (text: string): string => text.replace(SOURCE_INFO, 'SourceInfo = "<SourceInfo>";');

/** Property name → value of an instance (names as written). */
function propertiesOf(instance: MofInstance): Record<string, MofValue> {
  return Object.fromEntries(instance.properties.map((p) => [p.name, p.value]));
}

function onlyInstance(doc: MofDocument, className: string): MofInstance {
  const found = doc.instances.filter((i) => i.className === className);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Our SourceInfo: "<TypeScript file>::<line>::<column>::<keyword>", the position of the keyword (the resource type's name) in that file. */
function expectSourceInfo(text: string, root: string, file: string, keyword: string): void {
  const values = [...text.matchAll(SOURCE_INFO)].map((m) => /"(.*)"/.exec(m[0])![1]!);
  expect(values).toHaveLength(1);
  const m = /^(.+)::(\d+)::(\d+)::(.+)$/.exec(values[0]!);
  expect([m?.[1], m?.[4]]).toEqual([file, keyword]);
  const line = readFileSync(join(root, file), "utf8").split("\n")[Number(m![2]) - 1]!;
  expect(line.slice(Number(m![3]) - 1)).toMatch(new RegExp(`^${keyword}\\(`));
}

describe("a. documents against Windows' own output", () => {
  it("config MOF: byte-identical to the WMF 5.1 Script reference except for SourceInfo", async () => {
    // test/fixtures/dsc-wsus says what the reference's configuration said: the same header values,
    // configuration name, resource id and scripts (as string literals, so every blank is kept).
    const result = await build(join(fixtures, "dsc-wsus"));
    const ours = Buffer.from(fileOf(result, "dsc/InstallAllWSUSUpdates/localhost.mof"));
    const theirs = reference("config-wmf51-script-multiline.mof");
    expect([...ours.subarray(0, 2)]).toEqual([0xff, 0xfe]);

    // The one allowed difference: SourceInfo names where the resource was declared. Windows writes
    // "<script path>::<line>::<column>::<keyword>" (here an unsaved script: "::36::5::Script"); ours
    // names the TypeScript source of the instance.
    const ourText = decodeMof(ours);
    const theirText = decodeMof(theirs);
    expectSourceInfo(ourText, join(fixtures, "dsc-wsus"), "configurations/install-all-wsus-updates.ts", "Script");
    expect(theirText.match(SOURCE_INFO)).toEqual([`SourceInfo = "::36::5::Script";`]);

    // Everything else is identical: header, Windows' property order for Script, the CR CR LF
    // lines, the built-in ModuleVersion tail, the indented trailer, the final CRLF.
    const a = utf16(withoutSourceInfo(ourText));
    const b = utf16(withoutSourceInfo(theirText));
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBe(b.length);
  });

  it("meta MOF: the same settings as the WMF 5.1 push reference, written the same way", async () => {
    // The reference is `[DscLocalConfigurationManager()] Configuration LCMConfig { Settings { ... } }`
    // setting RefreshFrequencyMins, RefreshMode, ConfigurationMode and RebootNodeIfNeeded. Its Name
    // is the configuration's, so test/fixtures/dsc-lcm names its configuration LCMConfig too.
    // (its lcm settings reach no instance, which the build says: FF2144, a warning, and nothing else)
    const result = await build(join(fixtures, "dsc-lcm"), true);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning FF2144"]);
    const ours = Buffer.from(fileOf(result, "dsc/LCMConfig/localhost.meta.mof"));
    const theirs = reference("meta-wmf51-push.meta.mof");
    const ourText = decodeMof(ours);
    const theirText = decodeMof(theirs);

    // Semantically: every property the reference sets, with the same value. Ours also always
    // writes ConfigurationModeFrequencyMins and ActionAfterReboot, with the LCM's defaults
    // (notes/mof.md c.3), which a Settings block that does not set them leaves out.
    const ourDoc = readMof(ourText);
    const theirDoc = readMof(theirText);
    const ourSettings = propertiesOf(onlyInstance(ourDoc, "MSFT_DSCMetaConfiguration"));
    const theirSettings = propertiesOf(onlyInstance(theirDoc, "MSFT_DSCMetaConfiguration"));
    expect(theirSettings).toEqual({
      RefreshFrequencyMins: { kind: "integer", value: 30 },
      RefreshMode: { kind: "string", value: "Push" },
      ConfigurationMode: { kind: "string", value: "ApplyAndAutoCorrect" },
      RebootNodeIfNeeded: { kind: "boolean", value: true },
    });
    expect(ourSettings).toEqual({
      ...theirSettings,
      ConfigurationModeFrequencyMins: { kind: "integer", value: 15 },
      ActionAfterReboot: { kind: "string", value: "ContinueConfiguration" },
    });
    expect(propertiesOf(onlyInstance(ourDoc, "OMI_ConfigurationDocument"))).toEqual(propertiesOf(onlyInstance(theirDoc, "OMI_ConfigurationDocument")));
    expect(ourDoc.instances.map((i) => i.className)).toEqual(theirDoc.instances.map((i) => i.className));

    // Byte layout: without those two lines (neither is the first property, whose line has no
    // leading space), the file is the reference byte for byte.
    const extra = /^ (?:ConfigurationModeFrequencyMins|ActionAfterReboot) = [^\r\n]*;\r\n/gm;
    expect(ourText.match(extra)).toHaveLength(2);
    expect(ourText).toMatch(/\{\r\nRefreshFrequencyMins = 30;\r\n/);
    expect(utf16(ourText.replace(extra, "")).equals(theirs)).toBe(true);
  });

  it("psdsc2: the framing of PowerShell 7 + PSDesiredStateConfiguration 2.0 output", async () => {
    // The reference holds an instance of a class-based resource (FileCreate of module FileCreatex
    // 1.0.0.0); test/fixtures/dsc-psdsc2 declares a MOF-based resource of the same name, module,
    // version and properties. Compared: the encoding, the header, the trailer (no trailing spaces),
    // the instance's property set and its line layout; not the property order (.NET hash order there).
    const result = await build(join(fixtures, "dsc-psdsc2"));
    const ours = Buffer.from(fileOf(result, "dsc/FileCreate/localhost.mof"));
    const theirs = reference("config-ps7-psdsc2-classresource-utf8.mof");

    // UTF-8 without a BOM, CRLF line ends.
    for (const bytes of [ours, theirs]) {
      expect([...bytes.subarray(0, 2)]).toEqual([0x2f, 0x2a]); // "/*"
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).not.toThrow();
    }
    const ourText = ours.toString("utf8");
    const theirText = theirs.toString("utf8");
    expect(ourText.replace(/\r\n/g, "")).not.toMatch(/(?<!\r)\n/);

    const firstInstance = (t: string): number => t.indexOf("\r\ninstance of ");
    const trailer = (t: string): string => t.slice(t.indexOf("instance of OMI_ConfigurationDocument"));
    expect(ourText.slice(0, firstInstance(ourText))).toBe(theirText.slice(0, firstInstance(theirText)));
    expect(trailer(ourText)).toBe(trailer(theirText));
    expect(trailer(ourText)).not.toMatch(/ \r/);

    // The resource instance: the same properties and values (SourceInfo aside) ...
    const ourInstance = propertiesOf(onlyInstance(readMof(ourText), "FileCreate"));
    const theirInstance = propertiesOf(onlyInstance(readMof(theirText), "FileCreate"));
    const { SourceInfo: _ours, ...ourRest } = ourInstance;
    const { SourceInfo: theirSource, ...theirRest } = theirInstance;
    expectSourceInfo(ourText, join(fixtures, "dsc-psdsc2"), "configurations/file-create.ts", "FileCreate");
    expect(theirSource).toEqual({ kind: "string", value: "C:\\DSC\\FileCreate\\FileCreate.ps1::6::7::FileCreate" });
    expect(ourRest).toEqual(theirRest);
    // ... in the same layout: first property in column 1, the others after one space, the last one
    // ending CR CR LF (the trimmed tail of a non-built-in resource), then ConfigurationName.
    const skeleton = (t: string): string =>
      t.slice(firstInstance(t), t.indexOf("instance of OMI_ConfigurationDocument")).replace(/^( ?)(?!ConfigurationName)[A-Za-z]+ = [^\r\n]*;(\r\r?\n)/gm, "$1P = V;$2");
    expect(skeleton(ourText)).toBe(skeleton(theirText));
    expect(skeleton(ourText)).toBe(
      "\r\ninstance of FileCreate as $FileCreate1ref\r\n{\r\nP = V;\r\n P = V;\r\n P = V;\r\n P = V;\r\n P = V;\r\n P = V;\r\r\n ConfigurationName = \"FileCreate\";\r\r\n};\r\n",
    );
  });
});

const inboxSchemas = readdirSync(join(repoRoot, "stdlib", "dsc", "schemas"))
  .filter((f) => f.endsWith(".mof"))
  .sort()
  .map((f) => readMof(decodeMof(readFileSync(join(repoRoot, "stdlib", "dsc", "schemas", f))), f));

const cases = {
  docutap: join(repoRoot, "examples", "docutap"),
  values: join(repoRoot, "test", "golden", "cases", "values", "input"),
  "dsc-resources": join(repoRoot, "test", "golden", "cases", "dsc-resources", "input"),
};
const builds = new Map<string, Built>();
const outDirs = new Map<string, string>();

beforeAll(async () => {
  for (const [name, root] of Object.entries(cases)) {
    const result = await build(root, true);
    builds.set(name, result);
    const out = join(mkdtempSync(join(tmpdir(), `ff-dsc-${name}-`)), "dist");
    writeOutput(out, result.files);
    outDirs.set(name, out);
  }
});

/** The build's own resource schemas: class name → the module that ships it and the schema. */
function generatedSchemas(result: Built): Map<string, { module: string; version: string; schema: MofDocument; path: string }> {
  const versions = new Map(result.program!.modules.map((m) => [m.name, m.version]));
  const out = new Map<string, { module: string; version: string; schema: MofDocument; path: string }>();
  for (const f of result.files) {
    const m = /^modules\/([^/]+)\/DSCResources\/([^/]+)\/\2\.schema\.mof$/.exec(f.path);
    if (!m) continue;
    const schema = readMof(decodeMof(typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content), f.path);
    expect(schema.classes.map((c) => c.name)).toEqual([m[2]]);
    out.set(m[2]!, { module: m[1]!, version: versions.get(m[1]!)!, schema, path: f.path });
  }
  return out;
}

const stringValue = (v: MofValue | undefined): string | undefined => (v?.kind === "string" ? v.value : undefined);

describe.each(Object.keys(cases))("b. every emitted MOF instance of %s is valid against its class schema", (name) => {
  it("validates with zero problems, and names the module and version that ship each custom class", () => {
    const result = builds.get(name)!;
    const generated = generatedSchemas(result);
    const classes = classIndex([...inboxSchemas, ...[...generated.values()].map((g) => g.schema)]);
    const documents = result.files.filter((f) => /^dsc\/[^/]+\/localhost(\.meta)?\.mof$/.test(f.path));
    // One document pair per configuration delivered by DSC, and none for the others.
    const withDocuments = result.program!.configurations.filter((c) => c.dscDocument).map((c) => c.name);
    expect(result.program!.configurations.filter((c) => c.delivery.dsc).map((c) => c.name)).toEqual(withDocuments);
    expect(documents.map((f) => f.path).sort()).toEqual(withDocuments.flatMap((n) => [`dsc/${n}/localhost.meta.mof`, `dsc/${n}/localhost.mof`]).sort());
    expect(documents.length).toBeGreaterThan(0);
    const instances: MofInstance[] = [];
    for (const f of documents) {
      const doc = readMof(decodeMof(f.content as Uint8Array), f.path);
      expect(validateDocument(doc, classes), f.path).toEqual([]);
      instances.push(...doc.instances);
    }
    const custom = instances.filter((i) => generated.has(i.className));
    if (documents.length > 0) expect(custom.length).toBeGreaterThan(0);
    for (const i of custom) {
      const owner = generated.get(i.className)!;
      const p = propertiesOf(i);
      expect([i.className, stringValue(p.ModuleName), stringValue(p.ModuleVersion)]).toEqual([i.className, owner.module, owner.version]);
      expect(result.files.some((f) => f.path === `modules/${owner.module}/${owner.module}.psd1`)).toBe(true);
    }
    if (name === "docutap") {
      // The seed's Chocolatey through the in-box Script resource, and in-box File/Registry/Service.
      const scripts = instances.filter((i) => i.className === "MSFT_ScriptResource");
      expect(scripts.map((i) => stringValue(propertiesOf(i).ResourceID))).toEqual(["[Script]chocolatey"]);
      expect(stringValue(propertiesOf(scripts[0]!).ModuleName)).toBe("PSDesiredStateConfiguration");
      expect(stringValue(propertiesOf(scripts[0]!).ModuleVersion)).toBe("1.0");
      // Only WindowsBaseline is delivered by DSC (AppServer and DatabaseServer run through Run Command
      // and get no DSC document), so its classes are the ones the example's documents hold.
      expect([...new Set(instances.map((i) => i.className))].sort()).toEqual([
        "ComputerName",
        "MSFT_DSCMetaConfiguration",
        "MSFT_FileDirectoryConfiguration",
        "MSFT_RegistryResource",
        "MSFT_ScriptResource",
        "MSFT_ServiceResource",
        "OMI_ConfigurationDocument",
      ]);
      const computerNames = custom.filter((i) => i.className === "ComputerName");
      expect(computerNames.length).toBeGreaterThan(0);
      expect(new Set(computerNames.map((i) => `${stringValue(propertiesOf(i).ModuleName)} ${stringValue(propertiesOf(i).ModuleVersion)}`))).toEqual(new Set(["Windows 1.4.0"]));
    }
  });
});

interface PwshParameter {
  readonly name: string;
  readonly type: string;
  readonly mandatory: boolean;
  readonly validateSet: readonly string[] | null;
  readonly attributes: readonly string[];
}

/** What Get-Command says about the *-TargetResource functions of each DSC resource module. */
function inspectResources(out: string, psm1Files: readonly string[]): Record<string, Record<string, PwshParameter[]>> {
  const script = `
$ErrorActionPreference = 'Stop'
$common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
$result = [ordered]@{}
foreach ($path in @(${psm1Files.map((f) => `'${f.replace(/'/g, "''")}'`).join(", ")})) {
    $module = Import-Module -Name $path -Force -PassThru
    $functions = [ordered]@{}
    foreach ($name in @('Get-TargetResource', 'Set-TargetResource', 'Test-TargetResource')) {
        $command = Get-Command -Module $module.Name -Name $name
        $functions[$name] = @($command.Parameters.Values | Where-Object { $common -notcontains $_.Name } | ForEach-Object {
            $parameter = @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })[0]
            $set = @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
            $validValues = $null
            if ($set.Count -gt 0) { $validValues = [string[]]@($set[0].ValidValues) }
            [ordered]@{
                name = $_.Name
                type = $_.ParameterType.FullName
                mandatory = [bool]$parameter.Mandatory
                validateSet = $validValues
                attributes = @($_.Attributes | ForEach-Object { $_.GetType().FullName } | Sort-Object)
            }
        })
    }
    $result[$module.Name] = $functions
    Remove-Module -Name $module.Name -Force
}
ConvertTo-Json -InputObject $result -Depth 8 -Compress
`;
  const r = runPwsh(script, [join(out, "modules"), join(out, "tests", "stubs")]);
  if (r.code !== 0) throw new Error(`pwsh failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as Record<string, Record<string, PwshParameter[]>>;
}

function qualifierNames(p: MofClass["properties"][number]): string[] {
  return p.qualifiers.map((q) => q.name.toLowerCase());
}

/** The parameter type DSC resource modules use for a schema property (notes/powershell.md §5.2). */
function expectedType(p: MofClass["properties"][number]): string {
  const embedded = p.qualifiers.find((q) => q.name.toLowerCase() === "embeddedinstance")?.value;
  let base: string;
  if (embedded?.kind === "string") {
    // PSCredential for credentials; any other embedded instance reaches the resource as CIM
    // instances (DscResource.Common's ConvertTo-HashTable exists for MSFT_KeyValuePair arrays).
    base = embedded.value === "MSFT_Credential" ? "System.Management.Automation.PSCredential" : "Microsoft.Management.Infrastructure.CimInstance";
  } else {
    const types: Record<string, string> = {
      string: "System.String",
      boolean: "System.Boolean",
      sint32: "System.Int32",
      uint32: "System.UInt32",
      sint64: "System.Int64",
      uint64: "System.UInt64",
      uint8: "System.Byte",
      sint8: "System.SByte",
      uint16: "System.UInt16",
      sint16: "System.Int16",
      real32: "System.Single",
      real64: "System.Double",
      datetime: "System.DateTime",
      char16: "System.Char",
    };
    base = types[p.type.toLowerCase()] ?? `unknown MOF type ${p.type}`;
  }
  return p.array ? `${base}[]` : base;
}

describe("c. the generated DSC resource modules of docutap in pwsh", () => {
  it("import by path, and Get/Set/Test-TargetResource take the schema's properties as parameters", () => {
    const out = outDirs.get("docutap")!;
    const generated = generatedSchemas(builds.get("docutap")!);
    expect([...generated.keys()].sort()).toEqual([
      "Chocolatey",
      "ComputerName",
      "DataDirectory",
      "EmrApplication",
      "EmrService",
      "PracticeManagementClient",
      "PracticeManagementLicense",
      "PracticeManagementServiceAccount",
      "SqlBackupDirectory",
      "WindowsFeature",
    ]);
    const psm1 = [...generated.values()].map((g) => join(out, g.path.replace(/\.schema\.mof$/, ".psm1")));
    const seen = inspectResources(out, psm1);
    expect(Object.keys(seen).sort()).toEqual([...generated.keys()].sort());

    for (const [className, { schema }] of generated) {
      const cls = schema.classes[0]!;
      expect(cls.superclass).toBe("OMI_BaseResource");
      const functions = seen[className]!;
      const byName = (list: readonly PwshParameter[]): Map<string, PwshParameter> => new Map(list.map((p) => [p.name, p]));
      const get = byName(functions["Get-TargetResource"]!);
      const set = byName(functions["Set-TargetResource"]!);
      const test = byName(functions["Test-TargetResource"]!);

      const mandatory = cls.properties.filter((p) => qualifierNames(p).some((q) => q === "key" || q === "required"));
      const settable = cls.properties.filter((p) => !qualifierNames(p).includes("read"));
      // Get: exactly the Key and Required properties, all mandatory.
      expect([...get.keys()].sort(), `${className} Get-TargetResource`).toEqual(mandatory.map((p) => p.name).sort());
      // Test and Set: every Key, Required and Write property (never Read), the same parameter set.
      expect([...test.keys()].sort(), `${className} Test-TargetResource`).toEqual(settable.map((p) => p.name).sort());
      expect(functions["Set-TargetResource"], `${className}: Set and Test take identical parameters`).toEqual(functions["Test-TargetResource"]);
      for (const p of settable) {
        const isMandatory = mandatory.includes(p);
        const valueMap = p.qualifiers.find((q) => q.name.toLowerCase() === "valuemap")?.value;
        const expected = {
          type: expectedType(p),
          mandatory: isMandatory,
          validateSet: valueMap?.kind === "array" ? valueMap.items.map((v) => (v.kind === "string" ? v.value : "")) : null,
        };
        for (const [fn, params] of [["Test", test], ["Set", set], ...(isMandatory ? [["Get", get] as const] : [])] as const) {
          const actual = params.get(p.name)!;
          expect({ type: actual.type, mandatory: actual.mandatory, validateSet: actual.validateSet }, `${className} ${fn}-TargetResource -${p.name}`).toEqual(expected);
        }
      }
    }
  });
});

describe("d. generated DSC resource tests", () => {
  it("pass for the dsc-resources case: validated samples, reboot without safe, a skipped resource without a sample", () => {
    const out = outDirs.get("dsc-resources")!;
    expect(listFiles(join(out, "tests")).filter((f) => f.endsWith(".DscResources.Tests.ps1"))).toEqual(["Kinds.DscResources.Tests.ps1"]);
    const summary = runPester([join(out, "tests", "Kinds.DscResources.Tests.ps1")]);
    expect(summary.failures).toEqual([]);
    expect(summary.failed).toBe(0);
    // Throttle: 2 Get + 4 Test + Set + reboot; ServiceAccount: one skipped test naming the property no sample passes.
    expect([summary.passed, summary.skipped]).toEqual([8, 1]);
    expect(readFileSync(join(out, "tests", "Kinds.DscResources.Tests.ps1"), "utf8")).toContain("@{ Class = 'ServiceAccount'; Reason = 'no sample value passes the validation of Account' }");
  });
});

describe("e. a dsc.Script with a safe script in a DSC document", () => {
  it("SetScript runs the safe script first and changes nothing unless it returns $true (run by pwsh as DSC runs it)", async () => {
    const result = await build(join(fixtures, "dsc-script-safe"));
    const doc = readMof(decodeMof(fileOf(result, "dsc/Spooler/localhost.mof")));
    const script = doc.instances.find((i) => i.className === "MSFT_ScriptResource")!;
    const value = script.properties.find((p) => p.name === "SetScript")!.value;
    const set = value.kind === "string" ? value.value : "";
    expect(set).toContain("$env:FF_TEST_SAFE -eq 'yes'");
    const dir = mkdtempSync(join(tmpdir(), "ff-dsc-safe-"));
    // DSC's Script resource makes a script block of the text and invokes it.
    const run = (safe: string, mark: string) =>
      runPwsh(
        [
          `function Stop-Service { param([string]$Name, [switch]$Force, [switch]$WhatIf) }`,
          `$env:FF_TEST_SAFE = '${safe}'`,
          `$env:FF_TEST_MARK = '${join(dir, mark)}'`,
          `$set = [System.IO.File]::ReadAllText('${join(dir, "set.ps1")}')`,
          `& ([scriptblock]::Create($set)) 3>&1 | ForEach-Object { 'OUT ' + $_ }`,
        ].join("\n"),
      );
    writeFileSync(join(dir, "set.ps1"), set, "utf8");
    const blocked = run("no", "blocked.txt");
    expect(blocked.stdout).toContain("OUT Not changing resource spooler: its safe script says it is not safe to change now.");
    expect(existsSync(join(dir, "blocked.txt"))).toBe(false);
    const allowed = run("yes", "allowed.txt");
    expect(allowed.stdout).not.toContain("Not changing");
    expect(readFileSync(join(dir, "allowed.txt"), "utf8").trim()).toBe("set ran");
  });
});
