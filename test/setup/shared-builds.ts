// Vitest's global set-up (vitest.config.ts): a fresh folder per test run for the builds that test
// files share (test/helpers/shared-build.ts), removed when the run ends. Nothing is built here, so
// a run of a few files that need no shared build costs nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "ff-shared-builds-"));
  project.provide("sharedBuilds", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
