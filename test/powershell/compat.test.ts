// The build's link of fragments against Windows PowerShell 5.1 (compiler/powershell/check-fragments.ps1
// with the inventory scripts/gen-ps51-inventory.mjs generates from PSScriptAnalyzer's recorded
// profiles), through pwsh: 7-only syntax, commands 5.1 does not have, parameters it does not have
// (spelled out, through an alias or abbreviated as PowerShell allows), values its enums refuse.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { findPwsh, startFragmentParser, type FragmentParse } from "../../compiler/powershell/pwsh.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const lines = (file: string): string[] =>
  readFileSync(join(fixtures, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"));

/** Fragment → what the finding must mention. */
const rejected = new Map(lines("ps7-only.txt").map((l) => [l.slice(0, l.lastIndexOf(" => ")), l.slice(l.lastIndexOf(" => ") + 4)] as const));
const accepted = lines("ps51-fragments.txt");

async function check(texts: readonly string[]): Promise<Map<string, FragmentParse>> {
  const pwsh = findPwsh();
  if (!pwsh) throw new Error("pwsh is needed for these tests (npm test sets it up)");
  const results = await startFragmentParser(pwsh).parse(texts.map((text, i) => ({ id: String(i), text })));
  return new Map(results.map((r) => [texts[Number(r.id)]!, r]));
}

/** Everything said about a text that rejects it: errors, 5.1 findings, calls nothing resolves (no module here). */
function rejections(r: FragmentParse | undefined): string[] {
  if (!r) return [];
  return [...r.errors.map((e) => `syntax: ${e.message}`), ...r.compat.map((c) => `${c.message} [${c.text}]`), ...r.calls.map((c) => `unknown command ${c.name}`)];
}

describe("Windows PowerShell 5.1's inventory, in fragments", () => {
  let results: Map<string, FragmentParse>;
  beforeAll(async () => {
    results = await check([...rejected.keys(), ...accepted]);
  }, 120_000);

  it("has at least 60 7-only commands, parameters and values and 200 5.1 fragments to check", () => {
    expect(rejected.size).toBeGreaterThanOrEqual(60);
    expect(new Set(accepted).size).toBeGreaterThanOrEqual(200);
  });

  it("rejects every 7-only command, parameter and value, naming it", () => {
    const missed: string[] = [];
    for (const [text, what] of rejected) {
      const found = rejections(results.get(text));
      if (!found.some((f) => f.includes(what))) missed.push(`${text}  (expected ${what}; got ${found.join("; ") || "nothing"})`);
    }
    expect(missed).toEqual([]);
  });

  it("accepts the 5.1 fragments (computed calls are reported as not linked, nothing else)", () => {
    const refused: string[] = [];
    for (const text of accepted) {
      const found = rejections(results.get(text));
      if (found.length > 0) refused.push(`${text}  (${found.join("; ")})`);
    }
    expect(refused).toEqual([]);
  });

  it("points at PowerShell's extent of what it names, and says what 5.1 has instead", () => {
    const join = results.get("$p = Join-Path -Path $a -ChildPath b -AdditionalChildPath c")!;
    expect(join.compat).toEqual([expect.objectContaining({ line: 1, column: 38, endColumn: 58, text: "-AdditionalChildPath" })]);
    const encoding = results.get("Set-Content -Path $f -Value 'x' -Encoding utf8NoBOM")!;
    expect(encoding.compat[0]).toMatchObject({ column: 43, text: "utf8NoBOM", message: expect.stringMatching(/does not take 'utf8NoBOM' for -Encoding \(it takes .*UTF8/) });
    const typo = results.get("Get-ChildItme -Path C:\\")!;
    expect(typo.calls).toEqual([expect.objectContaining({ name: "Get-ChildItme", line: 1, column: 1, endColumn: 14 })]);
    // A prefix 5.1 cannot bind is ambiguous there, even when 7 binds it.
    expect(rejections(results.get("$h = $json | ConvertFrom-Json -AsHash")).join()).toMatch(/has no parameter -AsHash/);
  });

  it("reports computed calls as not linked, and lets a path to a program run", async () => {
    const r = await check(["& $cmd -Name x", ". $script", '& "$env:windir\\system32\\inetsrv\\appcmd.exe" list site', "& 'C:\\Tools\\x.exe' /q", "choco.exe install git -y", "choco install git -y"]);
    expect(r.get("& $cmd -Name x")?.dynamic).toEqual([expect.objectContaining({ text: "$cmd", message: "Ampersand" })]);
    expect(r.get(". $script")?.dynamic).toEqual([expect.objectContaining({ text: "$script", message: "Dot" })]);
    expect(r.get('& "$env:windir\\system32\\inetsrv\\appcmd.exe" list site')).toBeUndefined();
    expect(r.get("& 'C:\\Tools\\x.exe' /q")).toBeUndefined();
    expect(r.get("choco.exe install git -y")).toBeUndefined();
    expect(r.get("choco install git -y")?.calls.map((c) => c.name)).toEqual(["choco"]);
  });

  it("refuses a DSC Configuration statement once, at its keyword (not PowerShell's error about DSC's schema store)", async () => {
    const text = "[DSCLocalConfigurationManager()] Configuration LCMConfig { Node 'localhost' { Settings { RefreshMode = 'Push' } } }";
    const r = (await check([text, "$c = 'configuration'; Get-Service -Name $c"])).get(text)!;
    expect(r).toMatchObject({ errors: [], calls: [], dynamic: [], compat: [expect.objectContaining({ line: 1, column: 34, endColumn: 47, text: "Configuration", message: "a DSC Configuration statement" })] });
  });

  it("gives one syntax error per fragment, PowerShell's first, at its column", async () => {
    const text = "if ($$port -eq 80) { $x = ; }";
    const r = (await check([text])).get(text)!;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 1, column: 7, text: "port" });
    expect(r.compat).toEqual([]);
  });
});
