// Diagnostics baselines: one config repo per case under cases/<name>/input, compiled, and every
// diagnostic formatted (code, span, message, frame, notes) compared with cases/<name>/expected.txt.
// `npx vitest run test/diagnostics -u` rewrites the baselines (the path first: `-u` takes an optional
// value and would swallow it, updating every suite): review them as a diff, and never bless a wrong
// span or message (report it instead). `FILTER=<substring>` limits the cases.
// Each case's _config.json lists the exact set of codes it reports; together they must cover the
// whole catalogue.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, formatDiagnostics } from "../../compiler/index.js";
import { messages } from "../../compiler/diagnostics/messages.js";
import { forEachCase } from "../helpers/cases.js";

const casesDir = join(dirname(fileURLToPath(import.meta.url)), "cases");

interface CaseConfig {
  /** Every code the case reports, each once. */
  readonly codes: readonly string[];
}

/**
 * Codes no config repo can trigger, so no case covers them. FF9001 (internal error) is left out
 * of the coverage check altogether: every case asserts it never appears.
 */
const UNREACHABLE: Readonly<Record<string, string>> = {
  // Only when the tsc child process cannot be started, or exits with an error without printing a
  // diagnostic (a broken TypeScript install). Everything tsc says about a config repo, tsconfig.json
  // problems included, comes out as a TS code (see tsconfig-includes-nothing).
  FF1010: "the type checker itself failing to run is not something a config repo can cause",
  // The SSM document is built from checked values only (configuration names and timeoutSeconds are
  // rejected in 2-check before anything is emitted), so the schema check after emit is a guard
  // against emitter bugs, not something an author can trip.
  FF4002: "emitted SSM documents are built from values 2-check has already validated",
};

/**
 * Codes whose case is held back because the compiler's diagnostic is wrong today: a baseline
 * would bless the wrong output. Fix the compiler, add the case (`npx vitest run
 * test/diagnostics -u`, review the baseline) and delete the entry; the test fails while an entry
 * is covered, so this list can only shrink.
 */
const WAITING_FOR_COMPILER_FIX: Readonly<Record<string, string>> = {
  FF1007: "points at the defineConfig callee, not at the pattern string that matches nothing",
  FF2003: "points at the defineModule callee, not at `name`; the duplicate module's fns and resources then get a wrong FF2005 each",
  FF2004: "points at the defineModule callee, not at `layer`",
  FF2006: "points at line 1 column 1 of the shared file, with no note at the imports that share it",
  FF2103: "points at the resource/fn callee, not at `name`",
  FF2108: "points at the defining call's callee, not at `name` (or, for resource ids, the key); 'resource id name' reads oddly",
  FF2109: "points at the defineModule callee, not at `version`",
  FF2110: "points at the configuration callee, not at `targets`",
  FF3002: "points at the fn callee, not at `name`",
  FF3003: "points at the fn callee, not at `name`; never reported for externs that are not exported (the usual way to write them)",
  FF3005: "points at the resource/fn callee, not at the get/test/set/safe/body that returned the wrong thing",
  FF3006: "points at the resource/fn callee, not at the pattern",
};

function readConfig(caseDir: string): CaseConfig | undefined {
  const path = join(caseDir, "_config.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as CaseConfig) : undefined;
}

describe("diagnostics baselines", () => {
  forEachCase(casesDir, async (_name, caseDir) => {
    const input = join(caseDir, "input");
    const result = await compile({ root: input });
    // Messages may hold the absolute path of the case (FF1001): make baselines machine-independent.
    const text = formatDiagnostics(result.diagnostics, (f) => result.sources.get(f)).split(input).join("<input>");

    expect(text, "a stack trace leaked into a diagnostic").not.toMatch(/^\s+at .+:\d+:\d+/m);
    expect(text, "an internal error").not.toContain("FF9001");
    const config = readConfig(caseDir);
    if (config) {
      const reported = [...new Set(result.diagnostics.map((d) => d.code))].sort();
      expect(reported, "codes reported (update _config.json)").toEqual([...new Set(config.codes)].sort());
    }
    await expect(text).toMatchFileSnapshot(join(caseDir, "expected.txt"));
  });

  it("covers every code of the catalogue", () => {
    // All cases, whatever FILTER says: this reads _config.json files only.
    const covered = new Set<string>();
    for (const name of readdirSync(casesDir)) {
      const dir = join(casesDir, name);
      if (!statSync(dir).isDirectory()) continue;
      for (const code of readConfig(dir)?.codes ?? []) covered.add(code);
    }
    const uncovered = Object.values(messages)
      .map((m) => m.code)
      .filter((code) => code !== "FF9001" && !(code in UNREACHABLE) && !(code in WAITING_FOR_COMPILER_FIX) && !covered.has(code))
      .sort();
    expect(uncovered, `codes no case covers: ${uncovered.join(", ")}`).toEqual([]);
    // A listed code that a case does cover should leave its list.
    const listed = [...Object.keys(UNREACHABLE), ...Object.keys(WAITING_FOR_COMPILER_FIX)];
    expect(listed.filter((code) => covered.has(code)).sort(), "listed as unreachable or waiting, yet covered by a case").toEqual([]);
    const known = new Set<string>(Object.values(messages).map((m) => m.code));
    expect(listed.filter((code) => !known.has(code)).sort(), "listed codes that are not in the catalogue").toEqual([]);
  });
});
