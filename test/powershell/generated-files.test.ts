// The build parses every generated .ps1/.psm1/.psd1 whole with PowerShell's parser (in the pwsh
// process that parses the fragments): a file fleetform wrote that PowerShell cannot parse, or a
// .psd1 that is not data, is an error naming the file, and the build ships nothing. No config repo
// can make fleetform write such a file (2-check validates names, quote.ts prints values), so the
// emitter is made to write one here.
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

vi.mock("../../compiler/phases/4-emit/index.js", async (original) => {
  const real = await original<typeof import("../../compiler/phases/4-emit/index.js")>();
  const broken = [
    // What an enum value with U+0085 gave before names were checked: not a constant.
    { path: "modules/Broken/Broken.psm1", content: "function Get-Broken {\n    param([ValidateSet('a', \"b$([char]0x85)\")][string]$Kind)\n}\n", source: "modules/broken/index.ts" },
    { path: "modules/Broken/Broken.psd1", content: "\uFEFF@{\n    ModuleVersion = '1.0'\n    Author = (Invoke-Pwned)\n}\n", source: "modules/broken/index.ts" },
  ];
  return {
    ...real,
    // (a build with pwsh emits in turns, sending each module's files as they are made; the broken
    // ones come last, with the files sent after emitting)
    emit: (...args: Parameters<typeof real.emit>) => [...real.emit(...args), ...broken],
    emitInTurns: async (...args: Parameters<typeof real.emitInTurns>) => [...(await real.emitInTurns(...args)), ...broken],
  };
});

const { compile } = await import("../../compiler/index.js");

describe("generated files PowerShell cannot read", () => {
  for (const emit of [true, false]) {
    it(`stop ${emit ? "build" : "check"} with FF4020 / FF4021 naming the file`, async () => {
      const result = await compile({ root: join(repoRoot, "test", "golden", "cases", "values", "input"), typecheck: false, emit });
      const codes = result.diagnostics.map((d) => `${d.code} ${d.message}`);
      expect(codes).toEqual([
        expect.stringMatching(/^FF4020 fleetform generated modules\/Broken\/Broken\.psm1, which PowerShell cannot parse at line 2, column \d+: .*constant/),
        expect.stringMatching(/^FF4021 fleetform generated modules\/Broken\/Broken\.psd1, which is not a PowerShell data file .*: /),
      ]);
      expect(result.ok).toBe(false);
      expect(result.files).toEqual([]);
    }, 120_000);
  }
});
