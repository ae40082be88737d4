import { describe, expect, it } from "vitest";
import { dscHeaderProblem, identifierProblem, mofProblem, mofToken, tokenInLiteral, reservedDeviceName, runtimeNameProblem, shown, sourcePathProblem } from "../../compiler/util/names.js";
import { textMustaches } from "../../compiler/phases/4-emit/templates.js";
import { commentText } from "../../compiler/util/text.js";

describe("names that become code", () => {
  it("takes identifiers only as parameters, and none PowerShell or DSC already uses", () => {
    expect(identifierProblem("logDir", "parameter")).toBeUndefined();
    expect(identifierProblem("area = $(Invoke-Pwned)", "parameter")).toMatch(/letters, digits/);
    expect(identifierProblem("force:$(x)", "switch")).toMatch(/letters, digits/);
    expect(identifierProblem("_x", "parameter")).toMatch(/start with a letter/);
    expect(identifierProblem("ErrorAction", "parameter")).toMatch(/common parameter/);
    expect(identifierProblem("PSBoundParameters", "property")).toMatch(/automatic variable/);
    expect(identifierProblem("errorActionPreference", "property")).toMatch(/preference variable/);
    // Named like a generated wrapper's locals (state, result, parameters): allowed, they are prefixed __ff_.
    for (const name of ["state", "result", "parameters", "name", "run", "mode"]) expect(identifierProblem(name, "property"), name).toBeUndefined();
    expect(identifierProblem("dependsOn", "property")).toMatch(/DSC/);
    expect(identifierProblem("dependsOn", "parameter")).toBeUndefined();
    expect(identifierProblem("confirm", "switch")).toBeUndefined();
    // Found in any case; the message spells the name as PowerShell and DSC do.
    expect(identifierProblem("erroraction", "parameter")).toMatch(/^-ErrorAction is a common parameter/);
    expect(identifierProblem("PSBOUNDPARAMETERS", "parameter")).toMatch(/^\$PSBoundParameters is a PowerShell automatic variable/);
    expect(identifierProblem("errorActionPreference", "parameter")).toMatch(/^\$ErrorActionPreference is a PowerShell preference variable/);
    expect(identifierProblem("DEPENDSON", "property")).toMatch(/^DependsOn is a property DSC gives/);
  });

  it("knows Windows device names with extensions, trailing dots and spaces, in any case", () => {
    for (const name of ["CON", "con", "Nul.Tools", "AUX.psd1", "PRN ", "COM1", "lpt9.txt", "COM\u00B9", "CONIN$", "NUL."]) expect(reservedDeviceName(name), name).toBeDefined();
    for (const name of ["Console", "Null", "COM10", "LPT", "Conf", "Auxiliary"]) expect(reservedDeviceName(name), name).toBeUndefined();
  });

  it("finds AWS-ApplyDSCMofs token syntax in literals, arrays and maps", () => {
    expect(mofToken("Welcome {ssm:/prod/db-password}")).toBe("{ssm:");
    expect(mofToken("{ tagssm :Name}")).toBe("{ tagssm :");
    expect(mofToken("{tagb64:x}")).toBe("{tagb64:");
    expect(mofToken("@{ Name = 1 }")).toBeUndefined();
    expect(mofToken("{not a token}")).toBeUndefined();
    expect(tokenInLiteral(["a", { k: "{env:PATH}" }])?.token).toBe("{env:");
    expect(tokenInLiteral({ "{s3:k}": "v" })?.token).toBe("{s3:");
  });

  it("refuses in a DSC document's literals the characters MOF readers unescape differently (C0 but TAB and line breaks, DEL, lone surrogates)", () => {
    expect(mofProblem(undefined, "a\u0000b")).toMatch(/U\+0000/);
    expect(mofProblem(undefined, ["ok", { k: "\u007F" }])).toMatch(/U\+007F/);
    expect(mofProblem(undefined, "\uD800x")).toMatch(/U\+D800/);
    expect(mofProblem(undefined, "a\tb\r\nc \u0085 \u2028 \uD83D\uDE00")).toBeUndefined();
  });

  it("keeps runtime value names inside their tokens", () => {
    expect(runtimeNameProblem("ec2Tag", "Name")).toBeUndefined();
    expect(runtimeNameProblem("ec2Tag", "aws:cloudformation:stack-name")).toBeUndefined();
    expect(runtimeNameProblem("ec2Tag", "Name}{ssm:/x")).toBeDefined();
    expect(runtimeNameProblem("ssmParameter", "/app/motd")).toBeUndefined();
    expect(runtimeNameProblem("ssmParameter", "/app/motd}")).toBeDefined();
    expect(runtimeNameProblem("env", "ProgramFiles(x86)")).toBeUndefined();
    expect(runtimeNameProblem("env", "HOME}")).toBeDefined();
    expect(runtimeNameProblem("secretsManager", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")).toBeUndefined();
    expect(runtimeNameProblem("secretsManager", "db\n")).toBeDefined();
  });

  it("keeps DSC header fields on their line of the /* */ header", () => {
    expect(dscHeaderProblem("fleetform")).toBeUndefined();
    expect(dscHeaderProblem("01/01/2024 00:00:00")).toBeUndefined();
    expect(dscHeaderProblem("a*/b")).toMatch(/\*\//);
    expect(dscHeaderProblem("a\u2028b")).toMatch(/U\+2028/);
    expect(dscHeaderProblem("{tag:Name}")).toMatch(/AWS-ApplyDSCMofs/);
    expect(dscHeaderProblem(42)).toMatch(/string/);
  });

  it("takes source paths that are safe in comments and DSC documents", () => {
    expect(sourcePathProblem("modules/windows-base/index.ts")).toBe(false);
    expect(sourcePathProblem("modules/módulo (copy)/index.ts")).toBe(false);
    expect(sourcePathProblem("modules/x\n$(y).ts")).toBe(true);
    expect(sourcePathProblem("modules/it's.ts")).toBe(true);
    expect(sourcePathProblem("modules/{tag:x}.ts")).toBe(true);
  });

  it("shows control characters in messages as escapes", () => {
    expect(shown("a\nb\u0085c\td")).toBe("a\\nb\\u0085c\\td");
  });
});

describe("comment text", () => {
  it("cannot leave a # comment: every line break and control character becomes a space", () => {
    expect(commentText("a\r\nb\nc\rd\u0085e\u2028f\u2029g\u0000h\u001bi\u007fj\ufeffk")).toBe("a b c d e f g h i j k");
    expect(commentText("tab\tkept")).toBe("tab\tkept");
  });

  it("is what {{field}} prints in a template; {{{code}}}, blocks and partials stay", () => {
    expect(textMustaches("# {{source}} {{{code}}} {{#each x}}{{this}}{{/each}} {{> p/q this}} {{else}} {{@index}}")).toBe("# {{ffText source}} {{{code}}} {{#each x}}{{ffText this}}{{/each}} {{> p/q this}} {{else}} {{ffText @index}}");
    expect(() => textMustaches("{{helper arg}}")).toThrow(/plain field/);
  });
});
