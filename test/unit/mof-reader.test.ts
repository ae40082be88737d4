import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MofSyntaxError,
  decodeMof,
  readMof,
  type MofDocument,
  type MofInstance,
  type MofValue,
} from "../../compiler/mof/reader.js";
import { quoteMofString } from "../../compiler/phases/4-emit/mof/quote.js";

const fixtureDir = fileURLToPath(new URL("../fixtures/mof/", import.meta.url));
const schemaDir = fileURLToPath(new URL("../../stdlib/dsc/schemas/", import.meta.url));
const mofFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".mof")).sort();

function load(dir: string, name: string): { text: string; doc: MofDocument } {
  const text = decodeMof(readFileSync(dir + name));
  return { text, doc: readMof(text, name) };
}
const fixture = (name: string) => load(fixtureDir, name);
const schema = (name: string) => load(schemaDir, name);

function byAlias(doc: MofDocument, alias: string): MofInstance {
  const found = doc.instances.find((i) => i.alias === alias);
  if (!found) throw new Error(`no instance $${alias}`);
  return found;
}
function prop(instance: MofInstance, name: string): MofValue | undefined {
  return instance.properties.find((p) => p.name === name)?.value;
}
const str = (value: string): MofValue => ({ kind: "string", value });
const alias = (name: string): MofValue => ({ kind: "alias", name });
const strings = (...values: string[]): MofValue => ({ kind: "array", items: values.map(str) });

/** `instance of` at the start of a line, counted straight from the text. */
const countInstances = (text: string) => text.match(/^instance of /gim)?.length ?? 0;

describe("decodeMof", () => {
  const utf16 = (text: string, littleEndian: boolean) => {
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set(littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      bytes[2 + 2 * i + (littleEndian ? 0 : 1)] = c & 0xff;
      bytes[2 + 2 * i + (littleEndian ? 1 : 0)] = c >> 8;
    }
    return bytes;
  };

  it("detects UTF-16LE, UTF-16BE and UTF-8 by BOM, keeps lone surrogates, defaults to UTF-8", () => {
    const text = "a\uD800b\uDC00c\u00EB\uD83D\uDE00\r\n";
    expect(decodeMof(utf16(text, true))).toBe(text);
    expect(decodeMof(utf16(text, false))).toBe(text);
    const utf8 = new TextEncoder().encode("x\u00EBy");
    expect(decodeMof(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe("x\u00EBy");
    expect(decodeMof(utf8)).toBe("x\u00EBy");
    expect(decodeMof(new Uint8Array([]))).toBe("");
  });
  it("keeps a second BOM after the first, and rejects broken input", () => {
    expect(decodeMof(new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41]))).toBe("\uFEFFA");
    expect(() => decodeMof(new Uint8Array([0xff, 0xfe, 0x41]))).toThrow(/odd number of bytes/);
    expect(() => decodeMof(new Uint8Array([0x41, 0xc3]))).toThrow();
  });
});

describe("reference files", () => {
  it.each([
    ...mofFiles(fixtureDir).map((f) => [fixtureDir, f] as const),
    ...mofFiles(schemaDir).map((f) => [schemaDir, f] as const),
  ])("%s%s reads without error, one instance per 'instance of'", (dir, name) => {
    const { text, doc } = load(dir, name);
    expect(doc.instances).toHaveLength(countInstances(text));
    expect(doc.classes).toHaveLength(text.match(/^\s*class /gim)?.length ?? 0);
    // every alias used is defined somewhere in the same document
    const defined = new Set(doc.instances.map((i) => i.alias));
    const used = doc.instances.flatMap((i) => i.properties.flatMap((p) => aliasesIn(p.value)));
    for (const a of used) expect(defined.has(a), a).toBe(true);
  });

  it("PowerSTIG: 329 instances plus OMI_ConfigurationDocument, alias arrays, $using: rewrite, booleans, integers", () => {
    const { text, doc } = fixture("config-wmf51-powerstig-windowsclient.mof");
    expect(countInstances(text)).toBe(330);
    expect(doc.instances).toHaveLength(330);
    expect(doc.instances.at(-1)!.className).toBe("OMI_ConfigurationDocument");
    expect(doc.instances.at(-1)!.alias).toBeUndefined();
    expect(doc.instances.filter((i) => i.className === "MSFT_RegistryPolicyFile")).toHaveLength(93);
    expect(doc.instances.filter((i) => i.className === "MSFT_ScriptResource")).toHaveLength(9);
    // every alias reference in the text is an alias item in the parsed values (none lost)
    const references = [...text.matchAll(/ = \$(\w+);|^ +\$(\w+),?\r?$/gm)].length;
    const parsed = doc.instances.flatMap((i) => i.properties.flatMap((p) => aliasesIn(p.value)));
    expect(parsed).toHaveLength(references);
    const entry = byAlias(doc, "NTFSAccessEntry1ref");
    expect(prop(entry, "AccessControlList")).toEqual({
      kind: "array",
      items: [1, 2, 3, 4, 5].map((n) => alias(`NTFSAccessControlList${n}ref`)),
    });
    expect(prop(entry, "Path")).toEqual(str("%SystemDrive%\\"));
    expect(prop(entry, "Force")).toEqual({ kind: "boolean", value: true });
    expect(prop(byAlias(doc, "NTFSAccessControlList1ref"), "ForcePrincipal")).toEqual({ kind: "boolean", value: false });
    expect(prop(byAlias(doc, "NTFSAccessControlEntry5ref"), "FileSystemRights")).toEqual(strings("CreateDirectories", "AppendData"));
    expect(prop(byAlias(doc, "MSFT_AccountPolicy7ref"), "Minimum_Password_Length")).toEqual({ kind: "integer", value: 14 });
    const script = byAlias(doc, "MSFT_ScriptResource1ref");
    expect(prop(script, "ResourceID")).toEqual(str("[Script][V-253377][medium][[Skip] SRG-OS-000480-GPOS-00227]::[WindowsClient]BaseLine"));
    expect(prop(script, "GetScript")).toEqual(
      str("$resourceTitle ='[V-253377][medium][[Skip] SRG-OS-000480-GPOS-00227]'\n\n            Return @{\n                'Result' = $resourceTitle\n            }\n        "),
    );
  });

  it("PowerSTIG parses well under a second", () => {
    const text = decodeMof(readFileSync(fixtureDir + "config-wmf51-powerstig-windowsclient.mof"));
    const start = performance.now();
    readMof(text);
    expect(performance.now() - start).toBeLessThan(1000); // about 30 ms here
  });

  it("script MOF: multi-line script bodies with \\n and \\\" decoded; properties in file order", () => {
    const { doc } = fixture("config-wmf51-script-multiline.mof");
    const [script, document] = doc.instances;
    expect(script!.className).toBe("MSFT_ScriptResource");
    expect(script!.alias).toBe("MSFT_ScriptResource1ref");
    expect(script!.line).toBe(8);
    expect(script!.properties.map((p) => p.name)).toEqual([
      "ResourceID",
      "GetScript",
      "TestScript",
      "SourceInfo",
      "SetScript",
      "ModuleName",
      "ModuleVersion",
      "ConfigurationName",
    ]);
    const get = prop(script!, "GetScript");
    expect(get?.kind).toBe("string");
    const body = (get as { value: string }).value;
    expect(body.startsWith("\n\n            # Sets the criteria for the updates to be installed.\n")).toBe(true);
    expect(body).toContain(`$Criteria = "IsInstalled=0 and Type='Software'"\n`);
    expect(body).not.toContain("\\");
    expect(body).not.toContain("\r");
    expect(prop(script!, "ModuleVersion")).toEqual(str("1.0"));
    expect(prop(script!, "ConfigurationName")).toEqual(str("InstallAllWSUSUpdates"));
    expect(document!.className).toBe("OMI_ConfigurationDocument");
    expect(prop(document!, "Version")).toEqual(str("2.0.0"));
    expect(prop(document!, "CompatibleVersionAdditionalProperties")).toEqual(strings("Omi_BaseResource:ConfigurationName"));
    expect(prop(document!, "Name")).toEqual(str("InstallAllWSUSUpdates"));
  });

  it("multiresource MOF: credentials by alias, DependsOn layouts, scalar-in-array, non-ASCII text", () => {
    const { doc } = fixture("config-wmf51-multiresource-credentials.mof");
    const credentials = doc.instances.filter((i) => i.className === "MSFT_Credential");
    expect(credentials.map((c) => c.alias)).toEqual(["MSFT_Credential1ref", "MSFT_Credential2ref", "MSFT_Credential3ref"]);
    expect(credentials[0]!.properties).toEqual([
      { name: "Password", value: str("Sdf12345"), line: expect.any(Number) },
      { name: "UserName", value: str("Administrator"), line: expect.any(Number) },
    ]);
    expect(prop(byAlias(doc, "MSFT_Computer1ref"), "Credential")).toEqual(alias("MSFT_Credential1ref"));
    const domain = byAlias(doc, "MSFT_ADDomain1ref");
    expect(prop(domain, "Credential")).toEqual(alias("MSFT_Credential2ref"));
    expect(prop(domain, "SafeModeAdministratorPassword")).toEqual(alias("MSFT_Credential3ref"));
    // single entry, the `{<CRCRLF>    "x"};` layout
    expect(prop(byAlias(doc, "MSFT_DefaultGatewayAddress1ref"), "DependsOn")).toEqual(strings("[IPAddress]NewIPv4Address"));
    expect(prop(byAlias(doc, "MSFT_RoleResource4ref"), "DependsOn")).toEqual(strings("[windowsfeature]dhcp-server"));
    // two entries, the second with the 5-space quirk
    expect(prop(byAlias(doc, "MSFT_RoleResource7ref"), "DependsOn")).toEqual(
      strings("[WindowsFeature]WebServer", "[WindowsFeature]IISConsole"),
    );
    expect(prop(byAlias(doc, "MSFT_RoleResource1ref"), "DependsOn")).toBeUndefined();
    expect(prop(byAlias(doc, "MSFT_IPAddress1ref"), "IPAddress")).toEqual(strings("192.168.1.9/24"));
    expect(prop(byAlias(doc, "MSFT_FileDirectoryConfiguration1ref"), "DestinationPath")).toEqual(str("c:\\Share"));
    const contents = prop(byAlias(doc, "MSFT_FileDirectoryConfiguration7ref"), "Contents") as { value: string };
    expect(contents.value).toContain("<br><h1>Dani\u00EBl</h1>\n");
    expect(contents.value.startsWith("<html>\n                <body>\n")).toBe(true);
    expect(prop(byAlias(doc, "MSFT_Firewall1ref"), "Enabled")).toEqual(str("True"));
    const trailer = doc.instances.at(-1)!;
    expect(trailer.className).toBe("OMI_ConfigurationDocument");
    expect(trailer.properties.map((p) => p.name)).toEqual([
      "Version",
      "MinimumCompatibleVersion",
      "CompatibleVersionAdditionalProperties",
      "Author",
      "GenerationDate",
      "GenerationHost",
      "Name",
    ]);
  });

  it("pull meta MOF: manager alias arrays, booleans, integers", () => {
    const { doc } = fixture("meta-wmf51-pull-dev-node-01.meta.mof");
    expect(doc.instances.map((i) => i.className)).toEqual([
      "MSFT_WebDownloadManager",
      "MSFT_WebResourceManager",
      "MSFT_WebReportManager",
      "MSFT_DSCMetaConfiguration",
      "OMI_ConfigurationDocument",
    ]);
    const meta = byAlias(doc, "MSFT_DSCMetaConfiguration1ref");
    const aliases = (name: string): MofValue => ({ kind: "array", items: [alias(name)] });
    expect(prop(meta, "ResourceModuleManagers")).toEqual(aliases("MSFT_WebResourceManager1ref"));
    expect(prop(meta, "ReportManagers")).toEqual(aliases("MSFT_WebReportManager1ref"));
    expect(prop(meta, "ConfigurationDownloadManagers")).toEqual(aliases("MSFT_WebDownloadManager1ref"));
    expect(prop(meta, "RefreshFrequencyMins")).toEqual({ kind: "integer", value: 30 });
    expect(prop(meta, "AllowModuleOverwrite")).toEqual({ kind: "boolean", value: true });
    expect(prop(byAlias(doc, "MSFT_WebResourceManager1ref"), "AllowUnsecureConnection")).toEqual({ kind: "boolean", value: false });
    expect(prop(byAlias(doc, "MSFT_WebDownloadManager1ref"), "ConfigurationNames")).toEqual(strings("BaseOs"));
    expect(prop(byAlias(doc, "MSFT_WebDownloadManager1ref"), "SourceInfo")).toEqual(
      str("C:\\scripts\\DSC\\LcmConfig.ps1::14::9::ConfigurationRepositoryWeb"),
    );
    expect(prop(doc.instances.at(-1)!, "MinimumCompatibleVersion")).toEqual(str("2.0.0"));
  });

  it("push meta MOF", () => {
    const { doc } = fixture("meta-wmf51-push.meta.mof");
    const meta = byAlias(doc, "MSFT_DSCMetaConfiguration1ref");
    expect(meta.properties.map((p) => [p.name, p.value])).toEqual([
      ["RefreshFrequencyMins", { kind: "integer", value: 30 }],
      ["RefreshMode", str("Push")],
      ["ConfigurationMode", str("ApplyAndAutoCorrect")],
      ["RebootNodeIfNeeded", { kind: "boolean", value: true }],
    ]);
    expect(prop(doc.instances[1]!, "CompatibleVersionAdditionalProperties")).toEqual(
      strings("MSFT_DSCMetaConfiguration:StatusRetentionTimeInDays"),
    );
  });

  it("PowerShell 7 MOF: UTF-8 without BOM", () => {
    const bytes = readFileSync(fixtureDir + "config-ps7-psdsc2-classresource-utf8.mof");
    expect([...bytes.subarray(0, 2)]).toEqual([0x2f, 0x2a]);
    const doc = readMof(decodeMof(bytes));
    expect(doc.instances.map((i) => i.className)).toEqual(["FileCreate", "OMI_ConfigurationDocument"]);
    expect(prop(doc.instances[0]!, "Path")).toEqual(str("c:\\DSC\\CreatedByDSCsample.txt"));
    expect(prop(doc.instances[0]!, "ConfigurationName")).toEqual(str("FileCreate"));
  });

  it("schemas: pragmas, class qualifiers, inheritance, property qualifiers and arrays", () => {
    const role = schema("MSFT_RoleResource.schema.mof").doc;
    expect(role.pragmas).toEqual([{ name: "namespace", value: "\\\\.\\root\\microsoft\\windows\\DesiredStateConfiguration" }]);
    const [roleClass] = role.classes;
    expect(roleClass!.name).toBe("MSFT_RoleResource");
    expect(roleClass!.superclass).toBe("OMI_BaseResource");
    expect(roleClass!.line).toBe(3);
    expect(roleClass!.qualifiers).toEqual([
      { name: "ClassVersion", value: str("1.0.0") },
      { name: "FriendlyName", value: str("WindowsFeature") },
    ]);
    const ensure = roleClass!.properties.find((p) => p.name === "Ensure")!;
    expect(ensure.qualifiers.map((q) => q.name)).toEqual(["write", "Description", "ValueMap", "Values"]);
    expect(ensure.qualifiers[1]!.value).toEqual(
      str("An enumerated value that describes if the role or feature is expected to be installed on not on the machine.\nPresent {default}  \nAbsent   \n"),
    );
    expect(ensure.qualifiers[2]!.value).toEqual(strings("Present", "Absent"));
    expect(roleClass!.properties.find((p) => p.name === "Credential")!.qualifiers[1]).toEqual({
      name: "EmbeddedInstance",
      value: str("MSFT_Credential"),
    });

    const base = schema("BaseResource.schema.mof").doc;
    expect(base.classes.map((c) => c.name)).toEqual([
      "MSFT_Credential",
      "OMI_BaseResource",
      "MSFT_KeyValuePair",
      "MSFT_BaseConfigurationProviderRegistration",
      "MSFT_CimConfigurationProviderRegistration",
      "MSFT_PSConfigurationProviderRegistration",
      "OMI_ConfigurationDocument",
      "OMI_MetaConfigurationResource",
      "OMI_ResourceModuleManager",
      "OMI_ConfigurationDownloadManager",
      "OMI_ReportManager",
    ]);
    const credential = base.classes[0]!;
    expect(credential.superclass).toBeUndefined();
    expect(credential.properties[0]).toMatchObject({ name: "UserName", type: "string", array: false, qualifiers: [{ name: "MaxLen", value: { kind: "integer", value: 256 } }] });
    const resource = base.classes[1]!;
    expect(resource.qualifiers[0]).toEqual({ name: "Abstract" });
    expect(resource.properties.map((p) => `${p.type} ${p.name}${p.array ? "[]" : ""}`)).toEqual([
      "string ResourceId",
      "string SourceInfo",
      "string DependsOn[]",
      "string ModuleName",
      "string ModuleVersion",
      "string ConfigurationName",
      "string PsDscRunAsCredential",
    ]);
    expect(base.classes[6]!.properties.at(-1)).toMatchObject({ type: "boolean", name: "UseCms" });
    expect(base.classes[9]!.superclass).toBe("OMI_MetaConfigurationResource");
    expect(base.classes[9]!.properties).toEqual([]);

    const meta = schema("MSFT_DSCMetaConfiguration.mof").doc.classes[0]!;
    expect(meta.qualifiers[1]).toEqual({ name: "FriendlyName", value: str("LocalConfigurationManager") });
    const debugMode = meta.properties.find((p) => p.name === "DebugMode")!;
    expect(debugMode.array).toBe(true);
    expect(debugMode.qualifiers[0]!.value).toEqual(strings("None", "ForceModuleImport", "All", "ResourceScriptBreakAll", "ResourceScriptBreakpoint"));
    expect(meta.properties.find((p) => p.name === "SignatureValidations")).toMatchObject({ array: true, qualifiers: [{ name: "EmbeddedInstance" }] });

    const process = schema("MSFT_ProcessResource.schema.mof").doc.classes[0]!;
    expect(process.properties.filter((p) => p.type === "uint64").map((p) => p.name)).toEqual(["PagedMemorySize", "NonPagedMemorySize", "VirtualMemorySize"]);
    const pkg = schema("MSFT_PackageResource.schema.mof").doc.classes[0]!;
    expect(pkg.properties.find((p) => p.name === "ReturnCode")).toMatchObject({ type: "uint32", array: true });
  });
});

function aliasesIn(value: MofValue): string[] {
  if (value.kind === "alias") return [value.name];
  if (value.kind === "array") return value.items.flatMap(aliasesIn);
  return [];
}

describe("syntax", () => {
  const one = (valueText: string): MofValue => readMof(`instance of X { P = ${valueText}; };`).instances[0]!.properties[0]!.value;

  it("decodes every escape; \\x takes 1-6 hex digits, surrogate code points stay single code units", () => {
    expect(one(String.raw`"a\\b\"c\'d\be\tf\ng\fh\ri"`)).toEqual(str("a\\b\"c'd\be\tf\ng\fh\ri"));
    expect(one(String.raw`"\x41\X42\x0000431\x1F600\xD800\XdC00\x10FFFF\x0"`)).toEqual(
      str("AB\u00431\u{1F600}\uD800\uDC00\u{10FFFF}\0"),
    );
    expect(one(String.raw`"\x263Ag"`)).toEqual(str("\u{263A}g"));
  });
  it("concatenates adjacent string literals, across line breaks and comments", () => {
    expect(one(`"ab" "cd"\r\n  /* x */ "ef" // y\n "g"`)).toEqual(str("abcdefg"));
    expect(one(`""`)).toEqual(str(""));
  });
  it("accepts raw TAB, CR, controls and non-ASCII inside strings", () => {
    expect(one(`"a\tb\rc\u0001\u00EB\u{1F600}\uD800'"`)).toEqual(str("a\tb\rc\u0001\u00EB\u{1F600}\uD800'"));
  });
  it("reads numbers, booleans, NULL, chars, aliases and arrays", () => {
    expect(one("42")).toEqual({ kind: "integer", value: 42 });
    expect(one("-42")).toEqual({ kind: "integer", value: -42 });
    expect(one("+7")).toEqual({ kind: "integer", value: 7 });
    expect(one("0")).toEqual({ kind: "integer", value: 0 });
    expect(one("0x1F")).toEqual({ kind: "integer", value: 31 });
    expect(one("-0XfF")).toEqual({ kind: "integer", value: -255 });
    expect(one("101b")).toEqual({ kind: "integer", value: 5 });
    expect(one("-11B")).toEqual({ kind: "integer", value: -3 });
    expect(one("017")).toEqual({ kind: "integer", value: 15 });
    expect(one("18446744073709551615")).toEqual({ kind: "integer", value: 18446744073709551615 });
    expect(one("1.5")).toEqual({ kind: "real", value: 1.5 });
    expect(one("-.25")).toEqual({ kind: "real", value: -0.25 });
    expect(one("2.5e3")).toEqual({ kind: "real", value: 2500 });
    expect(one("1E-2")).toEqual({ kind: "real", value: 0.01 });
    for (const t of ["TRUE", "true", "True", "tRuE"]) expect(one(t)).toEqual({ kind: "boolean", value: true });
    for (const f of ["FALSE", "false", "False"]) expect(one(f)).toEqual({ kind: "boolean", value: false });
    for (const n of ["NULL", "null", "Null"]) expect(one(n)).toEqual({ kind: "null" });
    expect(one("'a'")).toEqual({ kind: "char", value: "a" });
    expect(one(String.raw`'\''`)).toEqual({ kind: "char", value: "'" });
    expect(one(String.raw`'\x41'`)).toEqual({ kind: "char", value: "A" });
    expect(one("$Cred_1ref")).toEqual(alias("Cred_1ref"));
    expect(one("{ }")).toEqual({ kind: "array", items: [] });
    expect(one("{}")).toEqual({ kind: "array", items: [] });
    expect(one(`{1, "a" "b", TRUE, NULL, 'c', 2.5}`)).toEqual({
      kind: "array",
      items: [
        { kind: "integer", value: 1 },
        str("ab"),
        { kind: "boolean", value: true },
        { kind: "null" },
        { kind: "char", value: "c" },
        { kind: "real", value: 2.5 },
      ],
    });
    expect(one("{\r\n  $A1ref  \r\n ,\r\n  $B1ref\r\n }")).toEqual({ kind: "array", items: [alias("A1ref"), alias("B1ref")] });
  });

  it("reads classes, qualifiers, defaults, pragmas and comments; keywords are case-insensitive", () => {
    const doc = readMof(
      [
        "\uFEFF// leading comment",
        '#PRAGMA include ("x.mof") #pragma locale("en_US")',
        "/* block",
        "   comment */",
        '[Abstract, ClassVersion("1.0.0"), Version(2), Ratio(0.5), Flag(TRUE), List{1, 2}, Empty{}]',
        "CLASS Base",
        "{",
        "  [Key] string Id;",
        "  uint8 Small = 5;",
        "  string Names[] = {\"a\", \"b\"};",
        "  [Required, ValueMap{\"X\", \"Y\"}] String Mode = NULL;",
        "};",
        "class Derived:Base{sint64 Big;};",
        "Instance OF Derived AS $d1 { Id = \"x\"; Big = -9; };",
        "instance of Base { Id = \"y\"; };",
      ].join("\n"),
      "inline.mof",
    );
    expect(doc.pragmas).toEqual([
      { name: "include", value: "x.mof" },
      { name: "locale", value: "en_US" },
    ]);
    const [base, derived] = doc.classes;
    expect(base!.line).toBe(5);
    expect(base!.qualifiers).toEqual([
      { name: "Abstract" },
      { name: "ClassVersion", value: str("1.0.0") },
      { name: "Version", value: { kind: "integer", value: 2 } },
      { name: "Ratio", value: { kind: "real", value: 0.5 } },
      { name: "Flag", value: { kind: "boolean", value: true } },
      { name: "List", value: { kind: "array", items: [{ kind: "integer", value: 1 }, { kind: "integer", value: 2 }] } },
      { name: "Empty", value: { kind: "array", items: [] } },
    ]);
    expect(base!.properties).toEqual([
      { name: "Id", type: "string", array: false, qualifiers: [{ name: "Key" }], line: 8 },
      { name: "Small", type: "uint8", array: false, qualifiers: [], default: { kind: "integer", value: 5 }, line: 9 },
      { name: "Names", type: "string", array: true, qualifiers: [], default: strings("a", "b"), line: 10 },
      {
        name: "Mode",
        type: "String",
        array: false,
        qualifiers: [{ name: "Required" }, { name: "ValueMap", value: strings("X", "Y") }],
        default: { kind: "null" },
        line: 11,
      },
    ]);
    expect(derived).toEqual({
      name: "Derived",
      superclass: "Base",
      qualifiers: [],
      properties: [{ name: "Big", type: "sint64", array: false, qualifiers: [], line: 13 }],
      line: 13,
    });
    expect(doc.instances).toEqual([
      {
        className: "Derived",
        alias: "d1",
        properties: [
          { name: "Id", value: str("x"), line: 14 },
          { name: "Big", value: { kind: "integer", value: -9 }, line: 14 },
        ],
        line: 14,
      },
      { className: "Base", properties: [{ name: "Id", value: str("y"), line: 15 }], line: 15 },
    ]);
  });

  it("counts lines at LF only, so DSC's CR CR LF ends one line", () => {
    const doc = readMof("/*\r\n*/\r\n\r\ninstance of A as $A1ref\r\n{\r\nX = 1;\r\r\n Y = 2;\r\r\n};\r\n");
    expect(doc.instances[0]!.line).toBe(4);
    expect(doc.instances[0]!.properties.map((p) => p.line)).toEqual([6, 7]);
  });
  it("reads an empty document", () => {
    expect(readMof("")).toEqual({ pragmas: [], classes: [], instances: [] });
    expect(readMof(" // nothing\r\n/* */")).toEqual({ pragmas: [], classes: [], instances: [] });
  });
});

describe("syntax errors", () => {
  function error(text: string): MofSyntaxError {
    try {
      readMof(text, "bad.mof");
    } catch (e) {
      expect(e).toBeInstanceOf(MofSyntaxError);
      return e as MofSyntaxError;
    }
    throw new Error("no error");
  }
  const at = (text: string) => {
    const e = error(text);
    return [e.line, e.column, e.reason];
  };

  it("carries file, line and column (1-based) in the fields and the message", () => {
    const e = error('instance of X\n{\n  P = "abc;\n};\n');
    expect([e.file, e.line, e.column]).toEqual(["bad.mof", 3, 7]);
    expect(e.reason).toMatch(/unterminated string/);
    expect(e.message).toBe(`bad.mof:3:7: ${e.reason}`);
    expect(e.name).toBe("MofSyntaxError");
    expect(() => readMof('"')).toThrow(/^<mof>:1:1: unterminated string/);
  });
  it("unterminated strings, comments and chars", () => {
    expect(at('instance of X { P = "abc')).toEqual([1, 21, "unterminated string"]);
    expect(at('instance of X { P = "a\\')).toEqual([1, 21, "unterminated string"]);
    expect(at("instance of X { P = 1; };\r\n/* open")).toEqual([2, 1, "unterminated comment"]);
    expect(at("instance of X { P = 'ab'; };")[0]).toBe(1);
    expect(at("instance of X { P = 'a")[2]).toMatch(/unterminated char/);
  });
  it("missing ';' and other unexpected tokens", () => {
    expect(at('instance of X\r\n{\r\n P = "a"\r\n Q = 1;\r\n};')).toEqual([4, 2, "expected ';', found 'Q'"]);
    expect(at("instance of X { P = 1; }")).toEqual([1, 25, "expected ';', found end of input"]);
    expect(at("instance of X { P = 1 };")).toEqual([1, 23, "expected ';', found '}'"]);
    expect(at("class C { string P };")).toEqual([1, 20, "expected ';', found '}'"]);
    expect(at("instance X { };")).toEqual([1, 10, "expected 'of' after 'instance', found 'X'"]);
    expect(at("instance of X as Y { };")).toEqual([1, 18, "expected an alias ('$name') after 'as', found 'Y'"]);
    expect(at("instance of X { P = Bogus; };")).toEqual([1, 21, "expected a value, found 'Bogus'"]);
    expect(at("instance of X { P = {1, {2}}; };")).toEqual([1, 25, "nested arrays are not allowed"]);
    expect(at("instance of X { P = {1,}; };")).toEqual([1, 24, "expected a value, found '}'"]);
    expect(at('[Key] instance of X { };')[2]).toMatch(/expected 'class' after a qualifier list/);
    expect(at("garbage")).toEqual([1, 1, "expected 'instance of', 'class', a qualifier list or '#pragma', found 'garbage'"]);
    expect(at("instance of X { P = 1; }; @")[2]).toMatch(/unexpected character '@'/);
    expect(at("#include")[2]).toBe("expected '#pragma'");
    expect(at("class C { string P(); };")[2]).toBe("methods are not supported");
    expect(at("class C { C ref P; };")[2]).toMatch(/REF/);
    expect(at("class C { string P[4]; };")[2]).toMatch(/unbounded arrays/);
  });
  it("bad escapes and numbers", () => {
    expect(at('instance of X {\n P = "ok\\q";\n};')).toEqual([2, 9, "invalid escape sequence '\\q' (U+0071)"]);
    expect(at('instance of X { P = "\\u0041"; };')).toEqual([1, 22, "invalid escape sequence '\\u' (U+0075)"]);
    expect(at('instance of X { P = "\\xZ"; };')).toEqual([1, 22, "'\\x' needs 1 to 6 hex digits"]);
    expect(at('instance of X { P = "\\x110000"; };')[2]).toMatch(/beyond U\+10FFFF/);
    expect(at("instance of X { P = 08; };")).toEqual([1, 21, "malformed octal number"]);
    expect(at("instance of X { P = 12abc; };")).toEqual([1, 21, "malformed number"]);
    expect(at("instance of X { P = 1.2.3; };")).toEqual([1, 21, "malformed number"]);
  });
  it("a raw line feed ends a string with an error at its start", () => {
    expect(at('instance of X { P = "a\nb"; };')).toEqual([1, 21, "unterminated string (line break before the closing quote)"]);
  });
});

describe("round trip with quoteMofString", () => {
  const special = fc.constantFrom('"', "\\", "\r", "\n", "\r\n", "\t", "\0", "\x7f", "\x1b", "\b", "\f", "'", "$", "{", "}", ";", "\\x41", "0", "F", "\u00EB", "\uFEFF", "\uFFFF");
  const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)); // incl. lone surrogates
  const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
  const text = fc.array(fc.oneof(special, unit, astral, fc.string()), { maxLength: 40 }).map((parts) => parts.join(""));

  const documentFor = (value: string) =>
    `/*\r\n@TargetNode='localhost'\r\n*/\r\n\r\ninstance of X as $X1ref\r\n{\r\nP = ${quoteMofString(value)};\r\n Q = "after";\r\r\n};\r\n`;
  const utf16le = (s: string) => {
    const bytes = new Uint8Array(2 + 2 * s.length);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < s.length; i++) {
      bytes[2 + 2 * i] = s.charCodeAt(i) & 0xff;
      bytes[3 + 2 * i] = s.charCodeAt(i) >> 8;
    }
    return bytes;
  };
  const readBack = (doc: MofDocument) => doc.instances[0]!.properties.map((p) => p.value);

  it("reads back every string written by quoteMofString", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(readBack(readMof(documentFor(value)))).toEqual([str(value), str("after")]);
      }),
      { numRuns: 2500 },
    );
  });
  it("also through UTF-16LE bytes and decodeMof", () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(readBack(readMof(decodeMof(utf16le(documentFor(value)))))).toEqual([str(value), str("after")]);
      }),
      { numRuns: 500 },
    );
  });
  it("handles the edge cases explicitly", () => {
    for (const value of ["", "\uD800", "\uDC00\uD800", "\uD83D\uDE00", "\uD800F", "\0" + "9", "\r\n", "\\n", '\\"', "\t\r"]) {
      expect(readBack(readMof(documentFor(value)))[0]).toEqual(str(value));
    }
  });
});
