// Where a `${...}` stands in PowerShell's syntax (compiler/powershell/string-context.ts): what
// decides whether a value is printed as a literal, as a string's text, or refused.
import { describe, expect, it } from "vitest";
import { indentCode, nestedStringLiteral, StringContextScanner, type StringContext } from "../../compiler/powershell/string-context.js";

/** The context at each `@@` of `template`. */
function contexts(template: string): StringContext[] {
  const scanner = new StringContextScanner();
  const parts = template.split("@@");
  const out: StringContext[] = [];
  parts.forEach((text, i) => {
    scanner.read(text);
    if (i < parts.length - 1) {
      out.push(scanner.context);
      scanner.value();
    }
  });
  return out;
}

describe("StringContextScanner", () => {
  it.each<[string, StringContext[]]>([
    ["Set-Thing -Name @@ -Value @@", ["code", "code"]],
    ['Write-Output "a @@ b" @@', ["expandable", "code"]],
    ["Write-Output 'a @@ b' @@", ["verbatim", "code"]],
    ["Write-Output 'it''s @@' @@", ["verbatim", "code"]],
    ['"say ""@@"" `"@@" @@', ["expandable", "expandable", "code"]],
    ['"a $(Get-X @@ (1)) @@" @@', ["nested", "expandable", "code"]],
    ['"a $("b @@") c" @@', ["expandable", "code"]],
    ["\u201Csmart @@\u201D @@ \u2018x @@\u2019", ["expandable", "code", "verbatim"]],
    ['$d = @"\nText @@ "quoted" \'x\'\n  "@ not yet @@\n"@\n@@', ["expandable", "expandable", "code"]],
    ["$d = @'\nText @@\n'@\n@@", ["verbatim", "code"]],
    ["# note @@\n@@ <# block @@ #> @@", ["comment", "code", "comment", "code"]],
    ["Write-Output a#b @@", ["code"]],
    ['"${env:ProgramFiles(x86)} @@" @@', ["expandable", "code"]],
  ])("%j", (template, expected) => {
    expect(contexts(template)).toEqual(expected);
  });
});

describe("nestedStringLiteral and indentCode", () => {
  it("keeps parentheses, backticks and double quotes out of a literal nested in a string", () => {
    expect(nestedStringLiteral("plain")).toBe("'plain'");
    expect(nestedStringLiteral("it's")).toBe("'it''s'");
    expect(nestedStringLiteral('a) "b" `c')).toBe("('a' + [char]0x0029 + ' ' + [char]0x0022 + 'b' + [char]0x0022 + ' ' + [char]0x0060 + 'c')");
    expect(nestedStringLiteral("(")).toBe("[char]0x0028");
  });

  it("does not indent the lines of a here-string", () => {
    expect(indentCode('$d = @"\nText\n  more\n"@\nWrite-Output $d', "    ")).toBe('    $d = @"\nText\n  more\n"@\n    Write-Output $d');
  });
});
