// The order test files start in: the longest first (by test/durations.json, the seconds each took
// in a full run; `node scripts/test-durations.mjs <log>` writes it), so that the two workers end
// together. Vitest's own order on a clean clone (no results cache) is by file size, which started
// the longest file (test/delivery/codedeploy.test.ts, about 250 s) near the end and left one worker
// idle while it ran. A file not in the list counts as UNKNOWN_SECONDS.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const UNKNOWN_SECONDS = 30;

function durations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(new URL("../durations.json", import.meta.url), "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = durations();
    const root = this.ctx.config.root;
    const key = (f: TestSpecification): string => relative(root, f.moduleId).split("\\").join("/");
    const weight = (f: TestSpecification): number => seconds[key(f)] ?? UNKNOWN_SECONDS;
    return [...files].sort((a, b) => weight(b) - weight(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
