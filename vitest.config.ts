import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/setup/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The runtime module, assembled from stdlib/runtime/src before any suite runs; a folder per run
    // for the builds test files share (examples/docutap, the golden cases): test/helpers/shared-build.ts.
    globalSetup: ["test/setup/runtime.ts", "test/setup/shared-builds.ts"],
    // PowerShell suites start pwsh processes and run Pester: seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Most of a suite's time is spent in child processes (tsc, pwsh, the CLI, npm): with vitest's
    // default of one worker on a 2-core machine (cores - 1) the second core sat mostly idle. Two test files
    // at a time keep both cores busy.
    maxWorkers: 2,
    // The longest files first, so the two workers end together (test/setup/sequencer.ts).
    sequence: { sequencer: LongestFirst },
  },
});
