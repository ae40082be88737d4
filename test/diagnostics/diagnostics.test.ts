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
  // Every appspec source, hook and MofsToApply key is derived from the same program the bundle
  // is emitted from; the check guards against emitter bugs (test/delivery covers copies()).
  FF4005: "bundle paths are derived from the emitted files themselves",
  // Depends on the build host (no pwsh), not on the config repo: test/e2e/environment.test.ts covers
  // it by running the CLI with FLEETFORM_PWSH pointing at a missing program.
  FF3024: "pwsh missing on the build host is not something a config repo can cause",
  // `fleetform init`'s own codes: compile() never reports them; test/unit/init.test.ts covers both.
  FF1012: "init refusing a non-empty folder is not a compile of a config repo",
  FF1013: "init refusing a package.json it cannot merge is not a compile of a config repo",
  // `fleetform test` and `fleetform setup` only (the output folder and the machine's tools, not the
  // config repo's sources): test/e2e/environment.test.ts.
  FF1015: "a stale output folder is reported by `fleetform test`, not by compile()",
  FF1016: "a missing output folder is reported by `fleetform test`, not by compile()",
  FF1017: "a missing pwsh, Pester or .NET SDK is the machine's, not the config repo's",
  // Whole generated files are built from names and values 2-check has validated and literals
  // quote.ts printed; PowerShell's parse of every emitted file guards against fleetform bugs.
  // test/powershell/generated-files.test.ts triggers both through the build's own parser process.
  FF4020: "only a fleetform bug produces a PowerShell file PowerShell cannot parse",
  FF4021: "only a fleetform bug produces a .psd1 that is not a data file",
  // The output folder is the CLI's to write (compile() writes nothing): test/e2e/output-folder.test.ts
  // covers both through bin/fleetform.js.
  FF1020: "the output folder is refused by the CLI, not by compile()",
  FF1021: "another build holding the output folder is a matter of the CLI, not of compile()",
  FF1030: "the output folder is refused by the CLI, not by compile()",
  FF1031: "the output folder is refused by the CLI, not by compile()",
  FF1032: "the output folder is refused by the CLI, not by compile() (test/bad-input's out-inside-sources)",
  FF1033: "the output folder is refused by the CLI, not by compile()",
  FF1034: "the output folder is refused by the CLI, not by compile()",
  FF1035: "the output folder is refused by the CLI, not by compile()",
  FF1036: "watch's output folder losing its marker is a matter of the CLI, not of compile()",
  FF1037: "the JUnit report's place is `fleetform test`'s, not compile()'s",
  FF1038: "the JUnit report's place is `fleetform test`'s, not compile()'s",
  // The CLI's own: a file it cannot write (graph --out, setup's tools folder, the output folder)
  // and a bad option value. test/e2e/cli.test.ts covers both through bin/fleetform.js.
  FF1024: "a file the CLI cannot write is the machine's, not the config repo's",
  FF1026: "a bad command-line option value is not a config repo",
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
      .filter((code) => code !== "FF9001" && !(code in UNREACHABLE) && !covered.has(code))
      .sort();
    expect(uncovered, `codes no case covers: ${uncovered.join(", ")}`).toEqual([]);
    // A listed code that a case does cover should leave the list.
    const listed = Object.keys(UNREACHABLE);
    expect(listed.filter((code) => covered.has(code)).sort(), "listed as unreachable, yet covered by a case").toEqual([]);
    const known = new Set<string>(Object.values(messages).map((m) => m.code));
    expect(listed.filter((code) => !known.has(code)).sort(), "listed codes that are not in the catalogue").toEqual([]);
  });
});
