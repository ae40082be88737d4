// One pattern, one meaning: a `pattern` is checked at build time by JavaScript (literal values) and
// at run time by .NET's [ValidatePattern()] (tags, SSM parameters: the untrusted values). Each
// (pattern, value) pair below goes through the build's own check and through real PowerShell, on a
// function parameter carrying the attribute exactly as the compiler emits it (lowerPattern +
// printParam, the same code the module and DSC resource .psm1 files are made with); both must agree.
import { describe, expect, it } from "vitest";
import { t } from "../../stdlib/index.js";
import { createContext } from "../../compiler/phases/context.js";
import { resolveOptions } from "../../compiler/phases/options.js";
import { valueProblem } from "../../compiler/phases/2-check/values.js";
import { patternProblems } from "../../compiler/phases/2-check/values.js";
import { lowerPattern } from "../../compiler/phases/3-lower/types.js";
import { printParam } from "../../compiler/phases/4-emit/powershell/params.js";
import { quoteString } from "../../compiler/phases/4-emit/powershell/quote.js";
import { runPwsh } from "../helpers/pwsh.js";

// [pattern, value, what JavaScript says]: the expectation documents the meaning authors get.
const TABLE: readonly (readonly [RegExp, string, boolean])[] = [
  // `$` is the end, not "before a final newline"
  [/^[A-Za-z0-9-]{1,15}$/, "web01", true],
  [/^[A-Za-z0-9-]{1,15}$/, "web01\n", false],
  [/^[A-Za-z0-9-]{1,15}$/, "web01\r\n", false],
  [/^[A-Za-z0-9-]{1,15}$/, "\nweb01", false],
  [/^(?![0-9]{1,15}$)[A-Za-z0-9-]{1,15}$/, "123\n", false],
  [/^(?![0-9]{1,15}$)[A-Za-z0-9-]{1,15}$/, "web-01", true],
  [/^[\w.-]+@[\w-]+\.com$/, "a.b@c-d.com\n", false],
  // \d and \D: ASCII digits only
  [/^\d+$/, "123", true],
  [/^\d+$/, "\u0661\u0662\u0663", false],
  [/^\d+$/, "\uFF11\uFF12", false],
  [/^\d+$/, "12\n", false],
  [/^\D$/, "\u0663", true],
  [/(?<=\d)x/, "\u0663x", false],
  // \w, \W: [A-Za-z0-9_]
  [/^\w+$/, "abc_1", true],
  [/^\w+$/, "caf\u00E9", false],
  [/^\w+$/, "\u0416", false],
  [/^\W$/, "\u00E9", true],
  [/^[\w.-]+@[\w-]+\.com$/, "a.b@c-d.com", true],
  // \s, \S: JavaScript's white space list (no NEL, with BOM)
  [/^\s$/, "\u0085", false],
  [/^\s$/, "\uFEFF", true],
  [/^\s$/, "\u00A0", true],
  [/^\s$/, "\u2028", true],
  [/^[\S]+$/, "a\u0085", true],
  // \b with ASCII word characters
  [/\bweb\b/, "the web site", true],
  [/\bweb\b/, "\u00E9web\u00E9", true],
  [/\bweb\b/, "webs", false],
  [/\Bweb/, "\u00E9web", false],
  // `.` excludes \n, \r, U+2028, U+2029; with s it is everything
  [/^a.c$/, "abc", true],
  [/^a.c$/, "a\nc", false],
  [/^a.c$/, "a\rc", false],
  [/^a.c$/, "a\u2028c", false],
  [/^a.c$/, "a\u0085c", true],
  [/^a.c$/s, "a\nc", true],
  [/^a.c$/s, "a\rc", true],
  // case: sensitive unless i; i folds like JavaScript (no Kelvin sign, long s or dotted I)
  [/^abc$/, "ABC", false],
  [/^abc$/i, "ABC", true],
  [/^k$/i, "\u212A", false],
  [/^[a-z]+$/i, "\u212A", false],
  [/^s$/i, "\u017F", false],
  [/^i$/i, "\u0130", false],
  [/^\u00E9$/i, "\u00C9", true],
  [/^[^a]$/i, "A", false],
  [/^\W$/i, "\u212A", true],
  // m: ^ and $ at every line terminator JavaScript knows
  [/^foo$/m, "bar\nfoo", true],
  [/^foo$/m, "bar\rfoo", true],
  [/^foo$/m, "foo\u2028bar", true],
  [/^foo$/m, "foo\n", true],
  [/^foo$/m, "xfoo", false],
  // escapes that are letters in JavaScript and something else in .NET
  [/^\p{L}$/, "p{L}", true],
  [/^\p{L}$/, "a", false],
  [/^\a\e$/, "ae", true],
  [/^\a$/, "\u0007", false],
  // Annex B syntax, control and hex escapes
  [/^[\d-x]$/, "-", true],
  [/^a{,2}$/, "a{,2}", true],
  [/^x{2,3}$/, "xxxx", false],
  [/^\cJ$/, "\n", true],
  [/^\x41\u0042$/, "AB", true],
  [/^\0$/, "\0", true],
  [/^[^]$/, "\n", true],
  [/^(?<n>a)b$/, "ab", true],
  [/^$/, "", true],
  [/^$/, "\n", false],
];

function codeUnits(s: string): string {
  return Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(",");
}

/**
 * Runs each value against a parameter with the given attribute text (one function per pattern);
 * true = accepted. `binding`: by calling the function (real parameter binding); otherwise by the
 * parameter's parsed ValidatePatternAttribute as ValidatePattern applies it (Regex(RegexPattern,
 * Options).Match), which is the same check without an exception per rejected value.
 */
function validateInPowerShell(cases: readonly { attribute: string; value: string }[], binding = true): boolean[] {
  const attributes = [...new Set(cases.map((c) => c.attribute))];
  const lines = attributes.map((a, i) => `function Test-Pattern${i} {\n    [CmdletBinding()]\n    param(\n${a}\n    )\n    $true\n}`);
  lines.push("$ErrorActionPreference = 'Stop'");
  lines.push("$attributes = @{}");
  attributes.forEach((_, i) => lines.push(`$attributes[${i}] = @((Get-Command Test-Pattern${i}).Parameters['Value'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidatePatternAttribute] })[0]`));
  for (const c of cases) {
    const value = `([string]::new([char[]]@(${codeUnits(c.value)})))`;
    const n = attributes.indexOf(c.attribute);
    if (!binding) {
      lines.push(`if ([regex]::new($attributes[${n}].RegexPattern, $attributes[${n}].Options).Match(${value}).Success) { 'ACCEPTED' } else { 'REJECTED does not match the RegexPattern pattern' }`);
      continue;
    }
    lines.push(
      `try { $null = Test-Pattern${attributes.indexOf(c.attribute)} -Value ${value}; 'ACCEPTED' } catch [System.Management.Automation.ParameterBindingException] { 'REJECTED ' + ($_.Exception.Message -replace '\\s+', ' ') }`,
    );
  }
  const result = runPwsh(lines.join("\n"));
  expect(result.stderr, result.stderr).toBe("");
  const out = result.stdout.split(/\r?\n/).filter((l) => l.startsWith("ACCEPTED") || l.startsWith("REJECTED"));
  expect(out).toHaveLength(cases.length);
  return out.map((line) => {
    // A rejection must be the pattern's verdict, not a pattern .NET cannot parse.
    if (line.startsWith("REJECTED")) expect(line).toMatch(/does not match the .* pattern/);
    return line === "ACCEPTED";
  });
}

function emitted(pattern: RegExp): string {
  const ctx = createContext(resolveOptions({ root: "/" }));
  const lowered = lowerPattern(ctx, pattern, undefined);
  expect(ctx.diagnostics.sorted(), String(pattern)).toEqual([]);
  return printParam({ kind: "param", name: "Value", mandatory: false, type: { kind: "string", pattern: lowered } } as never);
}

describe("a pattern means the same at build time (JavaScript) and on the instance ([ValidatePattern] in .NET)", () => {
  it(`has ${TABLE.length} pairs, as the table says`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    for (const [pattern, value, expected] of TABLE) {
      expect(valueProblem(t.string({ pattern }), value) === undefined, `${pattern} on ${JSON.stringify(value)}`).toBe(expected);
    }
  });

  it("PowerShell accepts exactly the values the build accepts", () => {
    const cases = TABLE.map(([pattern, value]) => ({ attribute: emitted(pattern), value }));
    const verdicts = validateInPowerShell(cases);
    const disagreements = TABLE.filter(([, , expected], i) => verdicts[i] !== expected).map(([p, v, e]) => `${p} on ${JSON.stringify(v)}: build ${e}, PowerShell ${!e}`);
    expect(disagreements).toEqual([]);
  });

  it("PowerShell agrees with the build on every pattern of the table crossed with every value of it", () => {
    const patterns = [...new Map(TABLE.map(([p]) => [String(p), p])).values()];
    const values = [...new Set([...TABLE.map(([, v]) => v), "K", "k", "\u0131", "I", "a\r\nb", " ", "\t", "\u3000", "\u180E", "\u200B", "_", "\uD83D\uDE00", "\uD83D"])];
    const cases = patterns.flatMap((p) => {
      const attribute = emitted(p);
      return values.map((value) => ({ pattern: p, value, attribute }));
    });
    const verdicts = validateInPowerShell(cases, false);
    const disagreements = cases.filter((c, i) => verdicts[i] !== (valueProblem(t.string({ pattern: c.pattern }), c.value) === undefined)).map((c) => `${c.pattern} on ${JSON.stringify(c.value)}`);
    expect(cases.length).toBeGreaterThan(2000);
    expect(disagreements).toEqual([]);
  });

  it("the table catches the difference: the JavaScript source as it is disagrees with .NET", () => {
    // The attribute as it was emitted before the translation: the same text, flags as RegexOptions.
    const flags: Record<string, string> = { i: "IgnoreCase", m: "Multiline", s: "Singleline" };
    const cases = TABLE.map(([pattern, value]) => {
      const options = [...pattern.flags].map((f) => flags[f]).join(", ") || "None";
      return { attribute: `[ValidatePattern(${quoteString(pattern.source)}, Options = ${quoteString(options)})]\n[string]$Value`, value };
    });
    const verdicts = validateInPowerShell(cases.filter((_, i) => !/\\a|\\e|\[\^\]/.test(TABLE[i]![0].source)));
    const kept = TABLE.filter(([p]) => !/\\a|\\e|\[\^\]/.test(p.source));
    const disagreeing = kept.filter(([, , expected], i) => verdicts[i] !== expected).map(([p, v]) => `${p} ${JSON.stringify(v)}`);
    expect(disagreeing).toEqual(expect.arrayContaining(['/^[A-Za-z0-9-]{1,15}$/ "web01\\n"', '/^\\d+$/ "١٢٣"', '/^\\s$/ "\u0085"', '/^a.c$/ "a\\rc"', '/\\bweb\\b/ "éwebé"', '/^k$/i "\u212A"']));
  });
});

describe("patterns without a .NET translation are refused at the pattern", () => {
  it.each([
    [/^(a)\1$/, /backreferences/],
    [/^(?<x>a)\k<x>$/, /backreferences/],
    [/^\12$/, /backreferences|octal/],
    [/^\01$/, /octal/],
    [/^a$/g, /flag g/],
    [/^a$/u, /flag u/],
  ])("%s", (pattern, message) => {
    expect(patternProblems(pattern).join("\n")).toMatch(message);
  });

  it("translates the patterns of the examples and templates without a problem", () => {
    for (const p of [/^(?![0-9]{1,15}$)[A-Za-z0-9-]{1,15}$/, /^[A-Za-z]+$/, /^[A-Za-z]:\\/, /^(web|app)-\d{2}$/, /^(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{12,}$/]) {
      expect(patternProblems(p)).toEqual([]);
    }
  });
});
