import { describe, expect, it } from "vitest";
import { printExpr, quoteKey, quoteNumber, quoteString } from "../../compiler/phases/4-emit/powershell/quote.js";

describe("quoteString", () => {
  it("single-quotes plain text and doubles every single-quote character", () => {
    expect(quoteString("web-01")).toBe("'web-01'");
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString("\u2018a\u2019b\u201Ac\u201Bd")).toBe("'\u2018\u2018a\u2019\u2019b\u201A\u201Ac\u201B\u201Bd'");
    expect(quoteString("$env:X `n $(calc)")).toBe("'$env:X `n $(calc)'");
  });
  it("keeps printable non-ASCII and astral characters verbatim", () => {
    expect(quoteString("Müller 😀")).toBe("'Müller 😀'");
  });
  it("uses a double-quoted string with 5.1 escapes for control characters", () => {
    expect(quoteString("a\r\nb")).toBe('"a`r`nb"');
    expect(quoteString("\0\t$x`\"")).toBe('"`0`t`$x```""');
    expect(quoteString("\u201Cq\u201D\n")).toBe('"`\u201Cq`\u201D`n"');
    expect(quoteString("\u001B[0m")).toBe('"$([char]0x001B)[0m"');
    expect(quoteString("\uD800x")).toBe('"$([char]0xD800)x"');
    expect(quoteString("\u2028")).toBe('"$([char]0x2028)"');
  });
});

describe("other literals", () => {
  it("prints numbers as PowerShell reads them", () => {
    expect(quoteNumber(42)).toBe("42");
    expect(quoteNumber(-3)).toBe("(-3)");
    expect(quoteNumber(2147483648)).toBe("2147483648L");
    expect(quoteNumber(1.5)).toBe("1.5");
    expect(quoteNumber(-0)).toBe("0");
    expect(() => quoteNumber(NaN)).toThrow();
  });
  it("prints keys bare only when they are simple names", () => {
    expect(quoteKey("Name")).toBe("Name");
    expect(quoteKey("odd key")).toBe("'odd key'");
    expect(quoteKey("1st")).toBe("'1st'");
  });
  it("prints arrays, maps, calls and runtime values", () => {
    expect(printExpr({ kind: "array", items: [] })).toBe("@()");
    expect(printExpr({ kind: "array", items: [{ kind: "string", value: "a" }, { kind: "boolean", value: true }, { kind: "null" }] })).toBe("@('a', $true, $null)");
    expect(printExpr({ kind: "map", entries: [{ key: "A", value: { kind: "number", value: 1 } }, { key: "b c", value: { kind: "variable", name: "Name" } }] })).toBe("@{ A = 1; 'b c' = $Name }");
    expect(printExpr({ kind: "call", command: "Get-InstanceTag", args: [{ name: "Key", value: { kind: "string", value: "Name" } }], switches: [{ name: "Force", on: true }] })).toBe("(Get-InstanceTag -Key 'Name' -Force)");
    expect(printExpr({ kind: "runtime", source: "ssmParameter", name: "/app/x", secure: true })).toBe("(Get-FfSsmParameter -Name '/app/x' -WithDecryption)");
    expect(printExpr({ kind: "runtime", source: "ec2Tag", name: "Name", secure: false })).toBe("(Get-FfInstanceTag -Key 'Name')");
  });
});
