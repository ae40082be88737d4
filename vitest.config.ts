import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PowerShell suites start pwsh processes and run Pester: seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
