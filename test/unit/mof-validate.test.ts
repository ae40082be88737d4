import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeMof, readMof, type MofDocument } from "../../compiler/mof/reader.js";
import { classIndex, validateDocument, type MofProblem } from "../../compiler/mof/validate.js";

const fixtureDir = fileURLToPath(new URL("../fixtures/mof/", import.meta.url));
const schemaDir = fileURLToPath(new URL("../../stdlib/dsc/schemas/", import.meta.url));

const read = (path: string): MofDocument => readMof(decodeMof(readFileSync(path)), path);
const schemas = readdirSync(schemaDir)
  .filter((f) => f.endsWith(".mof"))
  .sort()
  .map((f) => read(schemaDir + f));
const classes = classIndex(schemas);
const fixture = (name: string) => read(fixtureDir + name);

const isUnknownClass = (p: MofProblem) => /^unknown class /.test(p.message);

describe("classIndex", () => {
  it("indexes every class of the in-box schemas by lower-cased name", () => {
    expect(classes.get("omi_baseresource")?.name).toBe("OMI_BaseResource");
    expect(classes.get("msft_scriptresource")?.superclass).toBe("OMI_BaseResource");
    expect(classes.get("MSFT_ScriptResource")).toBeUndefined();
    expect([...classes.keys()].sort()).toEqual(
      [
        "msft_credential",
        "omi_baseresource",
        "msft_keyvaluepair",
        "msft_baseconfigurationproviderregistration",
        "msft_cimconfigurationproviderregistration",
        "msft_psconfigurationproviderregistration",
        "omi_configurationdocument",
        "omi_metaconfigurationresource",
        "omi_resourcemodulemanager",
        "omi_configurationdownloadmanager",
        "omi_reportmanager",
        "msft_dscmetaconfiguration",
        "msft_environmentresource",
        "msft_filedirectoryconfiguration",
        "msft_groupresource",
        "msft_userresource",
        "msft_packageresource",
        "msft_processresource",
        "msft_registryresource",
        "msft_roleresource",
        "msft_scriptresource",
        "msft_serviceresource",
      ].sort(),
    );
  });
  it("lets a later declaration replace an earlier one", () => {
    const a = readMof("class C { string A; };");
    const b = readMof("class c { string B; };");
    expect(classIndex([a, b]).get("c")?.properties[0]?.name).toBe("B");
  });
});

describe("reference files against the in-box schemas", () => {
  it("script MOF: no problems (ResourceID matches the schema's ResourceId)", () => {
    expect(validateDocument(fixture("config-wmf51-script-multiline.mof"), classes)).toEqual([]);
  });
  it("push meta MOF: no problems", () => {
    expect(validateDocument(fixture("meta-wmf51-push.meta.mof"), classes)).toEqual([]);
  });
  it("multiresource MOF: only third-party classes are unknown, and its File instances fit the reconstructed File schema", () => {
    const doc = fixture("config-wmf51-multiresource-credentials.mof");
    const problems = validateDocument(doc, classes);
    expect(problems.filter((p) => !isUnknownClass(p))).toEqual([]);
    expect(new Set(problems.map((p) => p.message))).toEqual(
      new Set(
        [
          "MSFT_IPAddress",
          "MSFT_DefaultGatewayAddress",
          "MSFT_Computer",
          "MSFT_ADDomain",
          "MSFT_xDhcpServerScope",
          "MSFT_xDhcpServerAuthorization",
          "MSFT_xDhcpServerOption",
          "MSFT_xSmbShare",
          "MSFT_Firewall",
        ].map((c) => `unknown class ${c}`),
      ),
    );
    // one problem per instance of an unknown class, none for the built-ins
    const unknown = doc.instances.filter((i) => !classes.has(i.className.toLowerCase()));
    expect(problems).toHaveLength(unknown.length);
    expect(problems[0]).toEqual({ instance: "MSFT_IPAddress $MSFT_IPAddress1ref", message: "unknown class MSFT_IPAddress", line: 8 });
    const builtIn = new Set(doc.instances.filter((i) => classes.has(i.className.toLowerCase())).map((i) => i.className));
    expect(builtIn).toEqual(new Set(["MSFT_Credential", "MSFT_FileDirectoryConfiguration", "MSFT_RoleResource", "OMI_ConfigurationDocument"]));
  });
  it("PowerSTIG MOF: its Registry, Script and Service instances (PSDscResources) fit the in-box schemas", () => {
    const doc = fixture("config-wmf51-powerstig-windowsclient.mof");
    const problems = validateDocument(doc, classes);
    expect(problems.filter((p) => !isUnknownClass(p))).toEqual([]);
    const checked = doc.instances.filter((i) => classes.has(i.className.toLowerCase()));
    expect(checked).toHaveLength(40 + 9 + 1 + 1);
    expect(problems).toHaveLength(doc.instances.length - checked.length);
  });
  it("pull meta MOF: the three manager classes need MSFT_MetaConfigurationExtensionClasses, not shipped here", () => {
    const problems = validateDocument(fixture("meta-wmf51-pull-dev-node-01.meta.mof"), classes);
    expect(problems.map((p) => p.message)).toEqual([
      "unknown class MSFT_WebDownloadManager",
      "unknown class MSFT_WebResourceManager",
      "unknown class MSFT_WebReportManager",
    ]);
  });
  it("pull meta MOF with the manager classes declared: no problems", () => {
    const managers = readMof(`
      class MSFT_WebDownloadManager : OMI_ConfigurationDownloadManager
      { [Key] string ServerURL; string CertificateID; boolean AllowUnsecureConnection; string RegistrationKey; string ConfigurationNames[]; };
      class MSFT_WebResourceManager : OMI_ResourceModuleManager
      { [Key] string ServerURL; string CertificateID; boolean AllowUnsecureConnection; string RegistrationKey; };
      class MSFT_WebReportManager : OMI_ReportManager
      { [Key] string ServerURL; string CertificateID; boolean AllowUnsecureConnection; string RegistrationKey; };`);
    const all = classIndex([...schemas, managers]);
    expect(validateDocument(fixture("meta-wmf51-pull-dev-node-01.meta.mof"), all)).toEqual([]);
  });
  it("PowerShell 7 MOF: the class-based resource is unknown, the trailer fits", () => {
    const problems = validateDocument(fixture("config-ps7-psdsc2-classresource-utf8.mof"), classes);
    expect(problems).toEqual([{ instance: "FileCreate $FileCreate1ref", message: "unknown class FileCreate", line: 8 }]);
  });
});

describe("hand-made problems", () => {
  const HEADER = `instance of MSFT_Credential as $MSFT_Credential1ref\n{\nPassword = "p";\n UserName = "u";\n};\n`;
  const registry = (body: string, alias = "$MSFT_RegistryResource1ref") =>
    `instance of MSFT_RegistryResource as ${alias}\n{\nResourceID = "[Registry]R";\n ModuleName = "PSDesiredStateConfiguration";\n ModuleVersion = "1.0";\n${body}\n};\n`;
  const validate = (text: string) => validateDocument(readMof(text), classes);
  const messages = (text: string) => validate(text).map((p) => p.message);

  it("accepts a correct instance; names, booleans, ValueMap values compare case-insensitively", () => {
    expect(validate(HEADER + registry(` key = "HKLM:\\\\x";\n VALUENAME = "v";\n ValueType = "dword";\n ensure = "PRESENT";\n Hex = false;\n Force = TRUE;\n ValueData = {"1"};`))).toEqual([]);
    expect(validate(`INSTANCE OF msft_credential { password = "p"; };`)).toEqual([]);
  });

  it("unknown property", () => {
    const problems = validate(registry(` Key = "k";\n ValueName = "v";\n Target = {"Process"};`));
    expect(problems).toEqual([
      {
        instance: "MSFT_RegistryResource $MSFT_RegistryResource1ref",
        property: "Target",
        message: "unknown property Target (not declared by MSFT_RegistryResource : OMI_BaseResource)",
        line: 8,
      },
    ]);
  });

  it("wrong types", () => {
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n Hex = "yes";`))).toEqual(["Hex is of type boolean; got a string"]);
    expect(messages(registry(` Key = 1;\n ValueName = "v";`))).toEqual(["Key is of type string; got integer 1"]);
    expect(messages(registry(` Key = "k";\n ValueName = 'v';`))).toEqual(["ValueName is of type string; got a char16"]);
    const pkg = (body: string) =>
      `instance of MSFT_PackageResource as $P1ref { ResourceID = "[Package]P"; ModuleName = "M"; ModuleVersion = "1.0"; Name = "n"; ProductId = "p"; Path = "x"; ${body} };`;
    expect(messages(pkg(`ReturnCode = {0, 3010, 4294967295};`))).toEqual([]);
    expect(messages(pkg(`ReturnCode = {"0"};`))).toEqual(["ReturnCode is of type uint32[]; got a string"]);
    expect(messages(pkg(`ReturnCode = {-1, 4294967296};`))).toEqual([
      "ReturnCode is of type uint32; -1 is out of range 0..4294967295",
      "ReturnCode is of type uint32; 4294967296 is out of range 0..4294967295",
    ]);
    expect(messages(pkg(`ReturnCode = {1.5};`))).toEqual(["ReturnCode is of type uint32[]; got real 1.5"]);
  });

  it("every numeric, char and datetime type", () => {
    const schema = readMof(
      "class T { uint8 U8; sint8 S8; uint16 U16; sint16 S16; sint32 S32; uint64 U64; sint64 S64; real32 R32; real64 R64; char16 C; datetime D; };",
    );
    const index = classIndex([schema]);
    const check = (body: string) => validateDocument(readMof(`instance of T { ${body} };`), index).map((p) => p.message);
    expect(check(`U8 = 255; S8 = -128; U16 = 65535; S16 = -32768; S32 = 2147483647; U64 = 0xFFFFFFFF; S64 = -9; R32 = 1; R64 = -2.5e300; C = 'x'; D = "20240101120000.000000+060";`)).toEqual([]);
    expect(check(`U8 = 256; S8 = 128; S16 = 32768; S32 = -2147483649;`)).toEqual([
      "U8 is of type uint8; 256 is out of range 0..255",
      "S8 is of type sint8; 128 is out of range -128..127",
      "S16 is of type sint16; 32768 is out of range -32768..32767",
      "S32 is of type sint32; -2147483649 is out of range -2147483648..2147483647",
    ]);
    expect(check(`R32 = 1e39; R64 = TRUE; C = "x"; D = 20240101;`)).toEqual([
      "R32 is of type real32; 1e+39 is out of range",
      "R64 is of type real64; got boolean True",
      "C is of type char16; got a string",
      "D is of type datetime; got integer 20240101",
    ]);
  });

  it("NULL fits any property, but not a key", () => {
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n ValueData = NULL;\n Hex = NULL;\n ValueType = NULL;`))).toEqual([]);
    expect(validate(registry(` Key = NULL;\n ValueName = "v";`))).toEqual([
      { instance: "MSFT_RegistryResource $MSFT_RegistryResource1ref", property: "Key", message: "key property Key is NULL", line: 6 },
    ]);
  });

  it("missing key and required properties, inherited ones included", () => {
    expect(validate(registry(` Key = "k";`))).toEqual([
      { instance: "MSFT_RegistryResource $MSFT_RegistryResource1ref", property: "ValueName", message: "missing key property ValueName", line: 1 },
    ]);
    expect(messages(`instance of MSFT_ScriptResource { GetScript = "g"; SetScript = "s"; };`)).toEqual([
      "missing key property TestScript",
      "missing required property ResourceId",
      "missing required property ModuleName",
      "missing required property ModuleVersion",
    ]);
    // Package's own [required] Path
    expect(messages(`instance of MSFT_PackageResource { ResourceID = "r"; ModuleName = "m"; ModuleVersion = "v"; Name = "n"; ProductId = "p"; };`)).toEqual([
      "missing required property Path",
    ]);
  });

  it("embedded classes need only what they declare", () => {
    expect(messages(`instance of MSFT_Credential as $c { };`)).toEqual([]);
    // MSFT_KeyValuePair is declared Abstract, but DSC instantiates it; its Key is required
    expect(messages(`instance of MSFT_KeyValuePair as $kv1 { Key = "a"; Value = "b"; };`)).toEqual([]);
    expect(messages(`instance of MSFT_KeyValuePair as $kv1 { Value = "b"; };`)).toEqual(["missing key property Key"]);
  });

  it("ValueMap values", () => {
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n Ensure = "Gone";`))).toEqual([
      'Ensure value "Gone" is not in its ValueMap {"Present", "Absent"}',
    ]);
    const meta = (body: string) => messages(`instance of MSFT_DSCMetaConfiguration as $m { ${body} };`);
    expect(meta(`DebugMode = {"none", "ForceModuleImport"};`)).toEqual([]);
    expect(meta(`DebugMode = {"None", "Bogus"}; RefreshMode = "pull";`)).toEqual([
      'DebugMode value "Bogus" is not in its ValueMap {"None", "ForceModuleImport", "All", "ResourceScriptBreakAll", "ResourceScriptBreakpoint"}',
    ]);
  });

  it("MaxLen", () => {
    expect(messages(`instance of MSFT_Credential { UserName = "${"u".repeat(256)}"; };`)).toEqual([]);
    expect(messages(`instance of MSFT_Credential { UserName = "${"u".repeat(257)}"; };`)).toEqual([
      "UserName is 257 characters long; MaxLen is 256",
    ]);
  });

  it("dangling and duplicate aliases", () => {
    const role = (body: string, alias = "$R1ref") =>
      `instance of MSFT_RoleResource as ${alias} { ResourceID = "[WindowsFeature]F"; ModuleName = "M"; ModuleVersion = "1.0"; Name = "F"; ${body} };\n`;
    expect(validate(role(`Credential = $MSFT_Credential9ref;`))).toEqual([
      {
        instance: "MSFT_RoleResource $R1ref",
        property: "Credential",
        message: "alias $MSFT_Credential9ref is not defined in this document",
        line: 1,
      },
    ]);
    // also inside arrays and on instances of unknown classes
    expect(messages(`instance of Unknown as $u { List = {$nope, $u}; };`)).toEqual([
      "alias $nope is not defined in this document",
      "unknown class Unknown",
    ]);
    // aliases compare case-insensitively, forward references are fine
    expect(messages(role(`Credential = $msft_credential1REF;`) + HEADER)).toEqual([]);
    expect(validate(HEADER + role("") + role("", "$r1REF"))).toEqual([
      { instance: "MSFT_RoleResource $r1REF", message: "duplicate alias $r1REF (first defined on line 6)", line: 7 },
    ]);
  });

  it("aliases of the wrong class, and values that are not aliases", () => {
    const role = (body: string) =>
      `instance of MSFT_RoleResource as $R1ref { ResourceID = "r"; ModuleName = "M"; ModuleVersion = "1.0"; Name = "F"; ${body} };\n`;
    expect(messages(HEADER + role(`Credential = $R1ref;`))).toEqual([
      "Credential takes an instance of MSFT_Credential; $R1ref is an instance of MSFT_RoleResource",
    ]);
    expect(messages(HEADER + role(`Credential = "MSFT_Credential1ref";`))).toEqual([
      "Credential takes an alias of an instance of MSFT_Credential; got a string",
    ]);
    expect(messages(HEADER + role(`Source = $MSFT_Credential1ref;`))).toEqual(["Source is of type string; got instance alias $MSFT_Credential1ref"]);
    // inherited embedded-instance property
    expect(messages(HEADER + role(`PsDscRunAsCredential = $MSFT_Credential1ref;`))).toEqual([]);
    expect(messages(HEADER + role(`PsDscRunAsCredential = $R1ref;`))).toEqual([
      "PsDscRunAsCredential takes an instance of MSFT_Credential; $R1ref is an instance of MSFT_RoleResource",
    ]);
  });

  it("EmbeddedInstance arrays take aliases of the class or its subclasses", () => {
    const managers = readMof(`
      class MSFT_WebDownloadManager : OMI_ConfigurationDownloadManager { [Key] string ServerURL; };
      class MSFT_WebReportManager : OMI_ReportManager { [Key] string ServerURL; };`);
    const index = classIndex([...schemas, managers]);
    const doc = (value: string) =>
      readMof(`instance of MSFT_WebDownloadManager as $D1ref { ResourceID = "d"; ServerURL = "u"; };
               instance of MSFT_WebReportManager as $W1ref { ResourceID = "w"; ServerURL = "u"; };
               instance of MSFT_DSCMetaConfiguration as $M1ref { ConfigurationDownloadManagers = ${value}; };`);
    const check = (value: string) => validateDocument(doc(value), index).map((p) => p.message);
    expect(check("{ $D1ref }")).toEqual([]);
    expect(check("{ }")).toEqual([]);
    expect(check("{ $D1ref, $W1ref }")).toEqual([
      "ConfigurationDownloadManagers takes an instance of OMI_ConfigurationDownloadManager; $W1ref is an instance of MSFT_WebReportManager",
    ]);
    expect(check("$D1ref")).toEqual([
      "ConfigurationDownloadManagers is an array property (string (EmbeddedInstance OMI_ConfigurationDownloadManager)[]); got a single value (instance alias $D1ref), not an array",
    ]);
    // instances of the required bases themselves are missing their required ResourceId
    expect(validateDocument(readMof(`instance of MSFT_WebDownloadManager as $D1ref { ServerURL = "u"; };`), index).map((p) => p.message)).toEqual([
      "missing required property ResourceId",
    ]);
  });

  it("arrays to scalar properties and scalars to array properties", () => {
    expect(messages(registry(` Key = {"k"};\n ValueName = "v";`))).toEqual(["Key is not an array property (string); got an array"]);
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n ValueData = "1";`))).toEqual([
      "ValueData is an array property (string[]); got a single value (a string), not an array",
    ]);
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n DependsOn = {"[File]a", "[File]b"};`))).toEqual([]);
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n DependsOn = {"[File]a", 1};`))).toEqual(["DependsOn is of type string[]; got integer 1"]);
  });

  it("a property set twice", () => {
    expect(messages(registry(` Key = "k";\n ValueName = "v";\n KEY = "again";`))).toEqual(["property KEY is set more than once"]);
  });

  it("labels instances without an alias by position, and uses the document's own classes", () => {
    const problems = validate(`class Local : Missing { [Key] string Id; };
      instance of MSFT_Credential { UserName = 1; };
      instance of Local { };`);
    expect(problems).toEqual([
      { instance: "MSFT_Credential #1", property: "UserName", message: "UserName is of type string; got integer 1", line: 2 },
      { instance: "Local #2", message: "class Local derives from unknown class Missing", line: 3 },
      { instance: "Local #2", property: "Id", message: "missing key property Id", line: 3 },
    ]);
    expect(validate(`class A : B { }; class B : A { }; instance of A { };`).map((p) => p.message)).toEqual([
      "class B has a cyclic superclass chain",
    ]);
  });
});
