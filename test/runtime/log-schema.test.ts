// The log schema the CloudWatch agent configuration, metric filters and saved queries are built
// from (compiler/phases/4-emit/cloudformation/log-schema.ts) against real lines: the runtime runs
// under pwsh, in apply and monitor mode, with resources that end in every result, and its monthly
// log file is read back. Renaming or retyping a key in Write-FfLog breaks this test.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENT_TIMESTAMP_FORMAT, LOG_FIELDS, LOG_FORMAT_VERSION, LOG_RESULTS, type LogFieldType } from "../../compiler/phases/4-emit/cloudformation/log-schema.js";
import { METRIC_FILTERS, QUERIES, metricFilterPattern } from "../../compiler/phases/4-emit/cloudformation/observability.js";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { repoRoot, runPwsh } from "../helpers/pwsh.js";

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function runtimeScript(logDir: string, stateDir: string): string {
  const module = join(repoRoot, PACKAGE_ASSETS.runtime, "Fleetform.Runtime.psd1");
  return `
$ErrorActionPreference = 'Stop'
Import-Module ${quote(module)} -Force
$script:flag = $false
$apply = Initialize-FfRun -Configuration 'AppServer' -Mode apply -LogDir ${quote(logDir)} -StateDir ${quote(stateDir)} -NoConsole
$null = Invoke-FfResource -Run $apply -Id 'ok' -Category 'Windows' -Type 'T' -Properties { @{ A = 1 } } -Test { param($p) $true } -Set { param($p) } -Get { param($p) @{ Version = '2.1.0'; Size = $p.A; Missing = $null } }
$null = Invoke-FfResource -Run $apply -Id 'change' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $script:flag } -Set { param($p) $script:flag = $true } -Get { param($p) @{ Version = '3.0' } }
$null = Invoke-FfResource -Run $apply -Id 'badget' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) } -Get { param($p) throw 'registry unreadable' }
$null = Invoke-FfResource -Run $apply -Id 'unsafe' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Safe { param($p) $false } -Set { param($p) }
$null = Invoke-FfResource -Run $apply -Id 'broken' -Category 'Packages' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) throw 'installer exited 1603' }
$null = Invoke-FfResource -Run $apply -Id 'after' -Category 'Packages' -Type 'T' -DependsOn @('broken') -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
$null = Invoke-FfResource -Run $apply -Id 'rename' -Category 'Windows' -Type 'T' -Reboot 'after-set' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
$null = Complete-FfRun -Run $apply
$reboot = Initialize-FfRun -Configuration 'Rebooter' -Mode apply -LogDir ${quote(logDir)} -StateDir ${quote(join(stateDir, "r"))} -NoConsole
$null = Invoke-FfResource -Run $reboot -Id 'rename' -Category 'Windows' -Type 'T' -Reboot 'after-set' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
$null = Complete-FfRun -Run $reboot
$monitor = Initialize-FfRun -Configuration 'DatabaseServer' -Mode monitor -LogDir ${quote(logDir)} -StateDir ${quote(stateDir)} -NoConsole
$null = Invoke-FfResource -Run $monitor -Id 'sql' -Category 'Sql' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) } -Get { param($p) @{ Version = '15.0.4' } }
$null = Complete-FfRun -Run $monitor
`;
}

type Line = Record<string, unknown>;

function hasType(value: unknown, type: LogFieldType): boolean {
  if (type === "number") return typeof value === "number" && Number.isInteger(value);
  if (type === "string") return typeof value === "string";
  if (type === "string-or-null") return value === null || typeof value === "string";
  // A get result: null, or an object of text or null values.
  return value === null || (typeof value === "object" && !Array.isArray(value) && Object.values(value as object).every((v) => v === null || typeof v === "string"));
}

/** A CloudWatch Logs JSON filter pattern as built by metricFilterPattern: `{ ($.k = "v") && ($.k != "v") ... }`. */
function matchesFilter(filterPattern: string, line: Line): boolean {
  const terms = [...filterPattern.matchAll(/\(\$\.([A-Za-z0-9_]+) (=|!=) ("(?:[^"\\]|\\.)*"|-?\d+)\)/g)];
  expect(terms.length).toBeGreaterThan(0);
  expect(filterPattern.replace(/\(\$\.[A-Za-z0-9_]+ (?:=|!=) (?:"(?:[^"\\]|\\.)*"|-?\d+)\)/g, "T")).toMatch(/^\{ T( && T)* \}$/);
  return terms.every(([, key, op, raw]) => {
    const expected = JSON.parse(raw!) as unknown;
    const equal = line[key!] === expected;
    return op === "=" ? equal : !equal;
  });
}

/** Field names a Logs Insights query names (fields/filter/stats/by/sort clauses), without @-fields, functions and aliases. */
function queryFields(query: string): string[] {
  const withoutStrings = query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const aliases = new Set([...withoutStrings.matchAll(/\bas\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  const keywords = new Set(["fields", "filter", "stats", "by", "sort", "desc", "asc", "and", "or", "not", "as", "count", "latest", "count_distinct", "ispresent"]);
  // A dotted name (state.Version) is one field: Logs Insights flattens nested JSON keys that way.
  return [...new Set([...withoutStrings.matchAll(/(?<![@A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\b(?!\s*\()/g)].map((m) => m[1]!))].filter((w) => !keywords.has(w) && !aliases.has(w) && !/^\d/.test(w));
}

/** The agent's timestamp_format as a regex, with the agent's meaning of the directives used here. */
function agentTimestampRegex(format: string): RegExp {
  const directives: Record<string, string> = { "%Y": "(\\d{4})", "%m": "(\\d{2})", "%d": "(\\d{2})", "%H": "(\\d{2})", "%M": "(\\d{2})", "%S": "(\\d{2})", "%f": "(\\d{1,9})" };
  let source = "";
  for (let i = 0; i < format.length; i++) {
    const two = format.slice(i, i + 2);
    if (two.startsWith("%")) {
      expect(directives, `unsupported directive ${two}`).toHaveProperty(two);
      source += directives[two];
      i++;
    } else source += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(source);
}

describe("the runtime's log lines against the log schema", () => {
  let lines: Line[];
  let raw: string[];

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), "ff-logschema-"));
    const logDir = join(base, "logs");
    const r = runPwsh(runtimeScript(logDir, join(base, "state")));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const files = readdirSync(logDir).filter((f) => /^\d{6}\.log$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    raw = files.flatMap((f) => readFileSync(join(logDir, f), "utf8").split("\r\n").filter((l) => l !== ""));
    lines = raw.map((l) => JSON.parse(l) as Line);
  }, 120_000);

  it("every line has exactly the schema's keys, in order, with the schema's types, and the current version", () => {
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(Object.keys(LOG_FIELDS));
      for (const [key, spec] of Object.entries(LOG_FIELDS)) expect(hasType(line[key], spec.type), `${key} in ${JSON.stringify(line)}`).toBe(true);
      expect(line.v).toBe(LOG_FORMAT_VERSION);
      if (line.result !== null) expect(LOG_RESULTS).toContain(line.result);
    }
    // Lines of a run name its configuration.
    expect(new Set(lines.map((l) => l.configuration))).toEqual(new Set(["AppServer", "Rebooter", "DatabaseServer"]));
  });

  it("every metric filter names schema keys and matches the lines it counts, and no others", () => {
    const expected: Record<string, [string, string][]> = {
      Errors: [["AppServer", "broken"], ["AppServer", "AppServer"]],
      FailedRuns: [["AppServer", "AppServer"]],
      ResourceFailures: [["AppServer", "broken"]],
      DriftFound: [["DatabaseServer", "sql"]],
      ChangesApplied: [["AppServer", "change"]],
      RebootsRequested: [["AppServer", "rename"], ["Rebooter", "rename"]],
      ChangesRefusedUnsafe: [["AppServer", "unsafe"]],
    };
    for (const spec of METRIC_FILTERS) {
      const filterPattern = metricFilterPattern(spec);
      for (const [key] of filterPattern.matchAll(/\$\.([A-Za-z0-9_]+)/g)) expect(Object.keys(LOG_FIELDS)).toContain(key.slice(2));
      const hits = lines.filter((l) => matchesFilter(filterPattern, l)).map((l) => [l.configuration, l.item]);
      expect(hits, spec.metric).toEqual(expected[spec.metric]);
    }
  });

  it("every field a saved query names is a schema key present in real lines", () => {
    for (const query of QUERIES) {
      const names = queryFields(query.query);
      expect(names.length).toBeGreaterThan(2);
      for (const name of names) {
        const [key, ...inner] = name.split(".");
        expect(Object.keys(LOG_FIELDS), `${query.name}: ${name}`).toContain(key);
        const valueOf = (l: Line): unknown => inner.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), l[key!]);
        expect(lines.some((l) => valueOf(l) !== null && valueOf(l) !== undefined), `${query.name}: ${name} in a real line`).toBe(true);
      }
    }
    // The dotted name is what the test reads, not a word it skips: the versions query names state.Version.
    expect(QUERIES.flatMap((q) => queryFields(q.query))).toContain("state.Version");
  });

  it("a get result is one DEBUG line with step get and its state (text values, sorted keys) after the result, for in-desired-state, changed and drifted only; a failing get is a WARN line", () => {
    const gets = lines.filter((l) => l.step === "get");
    expect(gets.map((l) => [l.configuration, l.item, l.level, l.state, l.result])).toEqual([
      ["AppServer", "ok", "DEBUG", { Missing: null, Size: "1", Version: "2.1.0" }, null],
      ["AppServer", "change", "DEBUG", { Version: "3.0" }, null],
      ["AppServer", "badget", "WARN", null, null],
      ["DatabaseServer", "sql", "DEBUG", { Version: "15.0.4" }, null],
    ]);
    expect(String(gets[2]!.message)).toContain("get threw: registry unreadable");
    // The get line comes right after the line that decided the result, which a failed get leaves alone.
    const at = lines.findIndex((l) => l.item === "badget" && l.step === "get");
    expect(lines[at - 1]).toMatchObject({ item: "badget", result: "in-desired-state" });
    // Every other line has no state.
    expect(lines.filter((l) => l.step !== "get").every((l) => l.state === null)).toBe(true);
  });

  it("the agent's timestamp_format finds each line's timestamp, as UTC, to the microsecond", () => {
    const regex = agentTimestampRegex(AGENT_TIMESTAMP_FORMAT);
    raw.forEach((text, i) => {
      const m = regex.exec(text);
      expect(m, text).not.toBeNull();
      const [, y, mo, d, h, mi, s, frac] = m!;
      const parsed = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac!.slice(0, 3).padEnd(3, "0")));
      // The first match is the line's own timestamp (it precedes the message, which could hold another).
      expect(m!.index).toBe(text.indexOf('"timestamp":"') + '"timestamp":"'.length);
      expect(parsed).toBe(Date.parse(String(lines[i]!.timestamp)));
    });
  });
});
