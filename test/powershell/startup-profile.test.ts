// PowerShell's shared startup profile: pwsh processes started at once corrupt it
// (PowerShell/PowerShell#26528), and a pwsh that reads a corrupt one dies at start-up. fleetform starts
// its pwsh without it (compiler/powershell/setup.ts PWSH_ENV): a build checks its fragments, and
// `fleetform test` runs, with a corrupt profile in the user's cache.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pwshInfo, repoRoot } from "../helpers/pwsh.js";

const corrupt = join(repoRoot, "test", "fixtures", "pwsh-startup-profile", "StartupProfileData-NonInteractive");

/** A home whose PowerShell cache holds the corrupt profile (XDG_CACHE_HOME unset: ~/.cache). */
function homeWithCorruptProfile(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "ff-home-"));
  mkdirSync(join(home, ".cache", "powershell"), { recursive: true });
  copyFileSync(corrupt, join(home, ".cache", "powershell", "StartupProfileData-NonInteractive"));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: "1" };
  delete env.XDG_CACHE_HOME;
  delete env.DOTNET_MultiCoreJitMinNumCpus;
  return env;
}

describe("pwsh with a corrupt shared startup profile", () => {
  it("kills a pwsh started as is (the hazard is real on this machine)", () => {
    const info = pwshInfo();
    const r = spawnSync(info.command[0]!, [...info.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "1 + 1"], { env: homeWithCorruptProfile(), encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stdout.trim()).not.toBe("2");
  });

  it("does not stop fleetform: the build's fragment check and `fleetform test` run", () => {
    const env = homeWithCorruptProfile();
    const out = mkdtempSync(join(tmpdir(), "ff-profile-dist-"));
    const bin = join(repoRoot, "bin", "fleetform.js");
    const build = spawnSync(process.execPath, [bin, "build", "examples/docutap", "--out", out, "--require-pwsh", "--no-cache", "--json"], { cwd: repoRoot, env, encoding: "utf8" });
    expect(build.stderr).toBe("");
    const result = JSON.parse(build.stdout) as { ok: boolean; diagnostics: { code: string; message: string }[] };
    expect(result.diagnostics.filter((d) => d.code === "FF3024")).toEqual([]);
    expect(result.ok).toBe(true);
    expect(build.status).toBe(0);
    const junit = `${out}.junit.xml`;
    const test = spawnSync(process.execPath, [bin, "test", "examples/docutap", "--out", out, "--junit", junit], { cwd: repoRoot, env, encoding: "utf8" });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(readFileSync(junit, "utf8")).toContain("<testsuites");
  });
});
