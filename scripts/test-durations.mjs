#!/usr/bin/env node
// Writes test/durations.json, the seconds each test file took in a full run, from that run's output
// (vitest's default reporter: "✓ test/x.test.ts (N tests) 1234ms"), e.g. CI's log:
//   CI=true bash .ci/run 2>&1 | tee ci.log; node scripts/test-durations.mjs ci.log
// The test sequencer (test/setup/sequencer.ts) starts the longest files first, so that the two
// workers end together instead of one waiting for a long file started last. Stale figures only make
// the order less good, never a run wrong.
import { readFileSync, writeFileSync } from "node:fs";

const log = process.argv[2];
if (!log) {
  console.error("usage: node scripts/test-durations.mjs <log of a full test run>");
  process.exit(2);
}
const text = readFileSync(log, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
const seconds = {};
for (const m of text.matchAll(/^\s*[✓×❯]\s+(test\/\S+\.test\.ts)\s+\([^)]*\)\s+(\d+)ms\s*$/gm)) seconds[m[1]] = Math.round(Number(m[2]) / 100) / 10;
const files = Object.keys(seconds).sort();
if (files.length === 0) {
  console.error(`test-durations: no per-file lines in ${log}`);
  process.exit(1);
}
writeFileSync(new URL("../test/durations.json", import.meta.url), JSON.stringify(Object.fromEntries(files.map((f) => [f, seconds[f]])), null, 2) + "\n");
console.log(`test-durations: ${files.length} files, ${Object.values(seconds).reduce((a, b) => a + b, 0).toFixed(0)} s in all`);
