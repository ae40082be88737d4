// Property test: arbitrary strings interpolated through `ps`, printed, parsed and run by real
// PowerShell, come back exactly (compared code unit by code unit, lone surrogates included).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ps } from "../../stdlib/index.js";
import { FragmentLowerer, newUses } from "../../compiler/phases/3-lower/fragments.js";
import { printFragment } from "../../compiler/phases/4-emit/powershell/quote.js";
import { createContext } from "../../compiler/phases/context.js";
import { resolveOptions } from "../../compiler/phases/options.js";
import type { SpanLocator } from "../../compiler/phases/1-load/locator.js";
import { runPwsh } from "../helpers/pwsh.js";

const CASES = Number(process.env.FF_QUOTE_CASES ?? 10_000);

// Characters PowerShell's tokenizer treats specially, weighted heavily.
const nasty = fc.constantFrom(
  "'", "\u2018", "\u2019", "\u201A", "\u201B", '"', "\u201C", "\u201D", "\u201E", "`", "$", "$(", "${", "@'", "'@", '@"', '"@',
  ";", "|", "&", "#", "<#", "#>", "\n", "\r", "\r\n", "\0", "\t", "\u0085", "\u2028", "\uFEFF", "\u001B", "\\", "{", "}", "(", ")", "-", "\u2013",
);
const unit = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 1, minLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 1, minLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
);
const arbitraryString = fc.array(unit, { maxLength: 24 }).map((parts) => parts.join(""));

function codeUnits(s: string): string {
  return Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(",");
}

describe("quoting round trip through PowerShell", () => {
  it(`returns ${CASES} arbitrary strings unchanged (argument and expression position, inside double-quoted strings and here-strings)`, () => {
    const strings = fc.sample(arbitraryString, { numRuns: CASES, seed: 20261127 });
    const specials = [" ", "\u00A0 ", "", "'", "''", "\u2019'", "$(Get-Date)", "`", "a\r\nb", "\0", "\uD83D", "\uDE00", "😀", "'; Remove-Item -Recurse C:\\ #", ') "@ (', "\n\"@\n"];
    const ctx = createContext(resolveOptions({ root: "/" }));
    const stub = { templateAt: () => ({ holes: [] }), spanOf: () => undefined } as unknown as SpanLocator;
    const lowerer = new FragmentLowerer(ctx, stub, []);
    // In argument and expression position; inside a double-quoted string, a `$(...)` of one and a
    // here-string (the string's own text, and a literal its scan cannot break).
    const forms = [
      (s: string) => ps`Add-Value ${s}`,
      (s: string) => ps`$null = $values.Add(${s})`,
      (s: string) => ps`$null = $values.Add("<${s}>")`,
      (s: string) => ps`$null = $values.Add("$(${s})")`,
      (s: string) => ps`$null = $values.Add(@"
${s}
"@)`,
    ];
    const expected = (s: string, i: number): string => (i % forms.length === 2 ? `<${s}>` : s);
    // (each special string in every form)
    while (strings.length % forms.length !== 0) strings.push("pad");
    for (const special of specials) for (let k = 0; k < forms.length; k++) strings.push(special);
    const lines = strings.map((s, i) => printFragment(lowerer.lower(forms[i % forms.length]!(s), newUses())));
    expect(ctx.diagnostics.sorted()).toEqual([]);
    const script = [
      "$ErrorActionPreference = 'Stop'",
      "$values = [System.Collections.Generic.List[object]]::new()",
      "function Add-Value { param($Value) $values.Add($Value) }",
      ...lines,
      "foreach ($v in $values) { if ($v -isnot [string]) { throw \"not a string: $v\" }; [Console]::Out.WriteLine([string]::Join(',', [int[]][char[]]$v)) }",
    ].join("\n");
    const r = runPwsh(script);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const got = r.stdout.replace(/\r\n/g, "\n").split("\n").slice(0, strings.length);
    const mismatches = strings.flatMap((s, i) => (got[i] === codeUnits(expected(s, i)) ? [] : [{ index: i, input: JSON.stringify(s), printed: lines[i], got: got[i] }]));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(got.length).toBe(strings.length);
  });
});
