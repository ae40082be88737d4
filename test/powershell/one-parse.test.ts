// check-fragments.ps1 (FragmentCheck.cs) checks many texts in one process: whatever the other texts
// of the batch, a fragment's answer must be what parsing it alone gives: the same texts sent as
// whole files must get the same findings, at the same lines and columns. The texts are the tricky
// ones of an earlier way (all fragments as one script, each the body of a function of its own):
// texts that close or open blocks, `using`, a trailing line continuation, syntax errors.
import { describe, expect, it } from "vitest";
import { findPwsh, startFragmentParser, type FragmentParse } from "../../compiler/powershell/pwsh.js";

const texts = [
  "Get-Service -Name 'Spooler' | Where-Object { $_.Status -eq 'Running' }",
  // closes the function it is put in, and opens another: must not swallow the next fragments
  "Write-Output 1 }\nfunction __ff_2 {\nGet-Thing -Name x",
  "Set-Widget -Size 3\nGet-ChildItem -Path C:\\ -Recurse:$false -Depht 2",
  // only at the top of a script
  "using namespace System.Text\n[StringBuilder]::new()\nInvoke-Unknown -Flag",
  // a line continuation at the very end
  "Get-Item -Path 'HKLM:\\SOFTWARE' `",
  // a syntax error, then fragments that are fine
  "if ($x -eq { Get-Date",
  "$a = @'\nnot closed",
  "<# an unclosed comment\nGet-Date",
  "\r\n\r\nGet-Process -Nmae pwsh\r\nStart-Sleep -Seconds 'soon'\rStop-Widget",
  "function Get-Local { param($p) $p }\nGet-Local -p 1\nGet-Remote -q 2",
  "$x = $null ?? 3\nGet-Foo && Get-Bar",
  "Write-Host \"`e[31m red\"; Get-Date -Format o",
  "& $command -Arg 1; . $script; & \"$env:windir\\system32\\where.exe\" pwsh",
  "function __ff_0 { 'a fragment may use the wrapper names' }\n__ff_0\n__ff_1",
  "Get-Service -Name x -ErrorAction Ignor",
  "",
  "}",
  "{",
];

describe("one parse for all fragments", () => {
  it("finds in each fragment what parsing it alone finds", async () => {
    const pwsh = findPwsh();
    if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
    const sent = [...texts.map((text, i) => ({ id: `f${i}`, text })), ...texts.map((text, i) => ({ id: `a${i}`, text, file: true }))];
    const results = new Map((await startFragmentParser(pwsh).parse(sent)).map((r) => [r.id, r]));
    const strip = (r: FragmentParse | undefined): Omit<FragmentParse, "id" | "definitions"> => {
      const { id: _, definitions: __, ...rest } = r ?? { id: "", errors: [], compat: [], calls: [], dynamic: [] };
      return rest;
    };
    let said = 0;
    texts.forEach((text, i) => {
      const alone = strip(results.get(`a${i}`));
      expect(strip(results.get(`f${i}`)), JSON.stringify(text)).toEqual(alone);
      said += alone.errors.length + alone.compat.length + alone.calls.length + alone.dynamic.length;
    });
    // The texts do say things (the comparison is not between empty answers).
    expect(said).toBeGreaterThan(15);
    expect(results.get("f2")!.calls.map((c) => [c.name, c.line])).toEqual([["Set-Widget", 1]]);
    expect(results.get("f2")!.compat.map((c) => [c.line, c.column, c.text])).toEqual([[2, 41, "-Depht"]]);
    expect(results.get("f1")!.errors).toHaveLength(1);
  }, 120_000);
});
