// What a run of the runtime leaves, byte for byte: every JSON log line (times, folders and the host
// masked), each run's exit code and resource results, the reboot-guard file and the SSM Compliance
// items, for resources that go down every branch of the resource steps in apply and monitor mode
// (fixtures/transcript.ps1). The expected transcript was recorded with the runtime before it was
// split into source files and one function per step; a change of behaviour shows here as a diff
// (UPDATE_SNAPSHOTS=1 npx vitest run test/runtime/transcript.test.ts --update rewrites it: review it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { repoRoot, runPwshFile } from "../helpers/pwsh.js";

const work = mkdtempSync(join(tmpdir(), "ff-transcript-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a run's transcript", () => {
  it("is what the runtime has always written", async () => {
    const fixture = join(repoRoot, "test", "runtime", "fixtures", "transcript.ps1");
    const r = runPwshFile(fixture, ["-ManifestPath", join(repoRoot, PACKAGE_ASSETS.runtime, "Fleetform.Runtime.psd1"), "-Work", work]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\r\n/g, "\n");
    // Every step and result is in it (the scenarios still reach every branch).
    for (const step of ["dependencies", "properties", "test", "safe", "reboot-guard", "set", "verify", "get", "compliance", "summary", "runtime"]) expect(text).toContain(`"step":"${step}"`);
    for (const result of ["in-desired-state", "changed", "drifted", "blocked", "skipped", "reboot-pending", "failed"]) expect(text).toContain(`"result":"${result}"`);
    expect(text).not.toContain("hunter22");
    await expect(text).toMatchFileSnapshot(join(repoRoot, "test", "runtime", "fixtures", "transcript.expected.txt"));
  });
});
