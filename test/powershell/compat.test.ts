// The build's check for what Windows PowerShell 5.1 cannot run (compiler/powershell/check-fragments.ps1),
// through pwsh: syntax that only PowerShell 7 parses, commands 5.1 does not have, and parameters it
// does not have, spelled out or abbreviated as PowerShell allows (any prefix that names one parameter).
import { describe, expect, it } from "vitest";
import { findPwsh, startFragmentParser, type FragmentParse } from "../../compiler/pwsh.js";

async function check(texts: readonly string[]): Promise<Map<string, FragmentParse>> {
  const pwsh = findPwsh();
  if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
  const results = await startFragmentParser(pwsh).parse(texts.map((text, i) => ({ id: String(i), text })));
  return new Map(results.map((r) => [texts[Number(r.id)]!, r]));
}

/** Fragment → what the finding's message must say. */
const flagged: Record<string, RegExp> = {
  "$h = $json | ConvertFrom-Json -AsHashtable": /-AsHashtable of ConvertFrom-Json/,
  "$h = $json | ConvertFrom-Json -AsHash": /-AsHashtable of ConvertFrom-Json \(written -AsHash\)/,
  "$h = ConvertFrom-Json $json -Dep 5": /-Depth of ConvertFrom-Json/,
  "1..4 | ForEach-Object -Par { $_ }": /-Parallel of ForEach-Object \(written -Par\)/,
  "1..4 | % -Pa { $_ }": /-Parallel of ForEach-Object \(written -Pa\)/,
  "$m = sls -Path $f -Pattern x -Raw": /-Raw of Select-String/,
  "1..4 | % -Parallel { $_ } -Throttle 2": /-Parallel of ForEach-Object/,
  "$bytes = Get-Content -Path $f -AsByteStream": /-AsByteStream of Get-Content/,
  "$bytes = gc $f -As": /-AsByteStream of Get-Content \(written -As\)/,
  "Invoke-RestMethod -Uri $u -SkipCertificateCheck": /-SkipCertificateCheck of Invoke-RestMethod/,
  "iwr $u -SkipHttp -UseBasicParsing": /-SkipHttpErrorCheck of Invoke-WebRequest/,
  "$name = Split-Path -Path $p -LeafBase": /-LeafBase of Split-Path/,
  "$x = $items | Sort-Object -Top 3": /-Top of Sort-Object/,
  "$x = $items | Select-Object -SkipIndex 0": /-SkipIndex of Select-Object/,
  "$x = $items | Get-Random -Shuffle": /-Shuffle of Get-Random/,
  "$now = Get-Date -AsUTC": /-AsUTC of Get-Date/,
  "$up = Get-Uptime": /the command Get-Uptime \(PowerShell 6.0/,
  "Test-Json -Json $text": /the command Test-Json/,
  "$s = 1..3 | Join-String -Separator ','": /the command Join-String/,
  "Remove-Service -Name 'old'": /the command Remove-Service/,
};

/** 5.1 runs these: the same commands with parameters it has (some abbreviated). */
const clean = [
  "$h = $json | ConvertFrom-Json",
  "$j = $o | ConvertTo-Json -Depth 5 -Compress",
  "1..4 | ForEach-Object -Process { $_ } -Begin { 0 }",
  "foreach ($i in 1..4) { $i }",
  "$t = Get-Content -Path $f -Raw -Encoding Byte -ReadCount 0",
  "$t = Get-Content $f -Tail 5 -Wait:$false",
  "Set-Content -Path $f -Value 'x' -NoNewline -Encoding ASCII",
  "Invoke-WebRequest -Uri $u -UseBasicParsing -TimeoutSec 30 -OutFile $o",
  "$r = Invoke-RestMethod -Uri $u -Method Post -Body $b -ContentType 'application/json'",
  "$leaf = Split-Path -Path $p -Leaf",
  "$x = $items | Sort-Object -Property Name -Descending -Unique",
  "$x = $items | Select-Object -First 3 -Skip 1 -Index 0",
  "$x = Get-Random -Minimum 1 -Maximum 10",
  "$d = Get-Date -Format 'yyyy-MM-dd' -Date $when",
  "$files = Get-ChildItem -Path $p -Recurse -File -Depth 2",
  "Get-Service -Name 'W32Time' -ErrorAction SilentlyContinue",
];

describe("what Windows PowerShell 5.1 cannot run, found in fragments", () => {
  it("flags 7-only commands and parameters, exact and abbreviated, through aliases too", async () => {
    const results = await check(Object.keys(flagged));
    for (const [text, message] of Object.entries(flagged)) {
      const found = results.get(text);
      expect(found?.errors ?? [], text).toEqual([]);
      expect(found?.compat.map((c) => c.message).join("; ") ?? "(nothing)", text).toMatch(message);
    }
  });

  it("leaves 5.1's own commands and parameters alone", async () => {
    const results = await check(clean);
    for (const text of clean) expect(results.get(text), text).toBeUndefined();
  });
});
