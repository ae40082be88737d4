// Setup's precompiled PowerShell (compiler/powershell/setup.ts): the tool from NuGet is IL only;
// setup copies it with its start-up assemblies compiled to ReadyToRun code, which the runtime then
// runs without compiling them again on every start. Checked on the tools the tests themselves run
// (scripts/setup-pwsh.mjs precompiles), by reading the assemblies' headers, not by trusting
// pwsh.json; and when the copy cannot be made, setup says why and leaves nothing behind.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PRECOMPILED, precompileByDefault, precompilePowerShell, PWSH_ENV } from "../../compiler/powershell/setup.js";
import { isReadyToRun, pwshInfo } from "../helpers/pwsh.js";

const dir = mkdtempSync(join(tmpdir(), "ff-precompile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("precompileByDefault", () => {
  it("precompiles on a developer's machine, not on a CI machine, and FLEETFORM_PRECOMPILE decides over both", () => {
    expect(precompileByDefault({})).toBe(true);
    expect(precompileByDefault({ CI: "true" })).toBe(false);
    expect(precompileByDefault({ CI: "1" })).toBe(false);
    expect(precompileByDefault({ CI: "false" })).toBe(true);
    expect(precompileByDefault({ CODEBUILD_BUILD_ID: "fleet:1234" })).toBe(false);
    expect(precompileByDefault({ CI: "true", FLEETFORM_PRECOMPILE: "1" })).toBe(true);
    expect(precompileByDefault({ FLEETFORM_PRECOMPILE: "0" })).toBe(false);
    expect(precompileByDefault({ CI: "true", FLEETFORM_PRECOMPILE: "yes" })).toBe(false);
    // (CI as the build's --require-pwsh reads it)
    expect(precompileByDefault({ CI: "False" })).toBe(true);
    expect(precompileByDefault({ CI: " " })).toBe(true);
  });
});

describe("the tests' own PowerShell (scripts/setup-pwsh.mjs)", () => {
  const tools = pwshInfo() as ReturnType<typeof pwshInfo> & { precompiled?: boolean };
  const dll = tools.command[1]!;
  const copy = dirname(dll);

  it("runs setup's precompiled copy: its start-up assemblies hold ReadyToRun code, the NuGet tool's do not", () => {
    expect(tools.precompiled).toBe(true);
    expect(tools.command[0]).toBe("dotnet");
    expect(copy.endsWith(join(".tools", "powershell", "7.6.9"))).toBe(true);
    const stamp = JSON.parse(readFileSync(join(copy, ".fleetform-precompiled.json"), "utf8")) as { powershell: string; from: string };
    expect(stamp.powershell).toBe("7.6.9");
    for (const name of PRECOMPILED) {
      expect(isReadyToRun(join(copy, name)), `${name} in the copy`).toBe(true);
      expect(isReadyToRun(join(stamp.from, name)), `${name} as NuGet ships it`).toBe(false);
    }
    // Every other file of the tool is in the copy, as it was.
    const others = readdirSync(stamp.from).filter((f) => !PRECOMPILED.includes(f));
    for (const name of others) expect(existsSync(join(copy, name)), name).toBe(true);
    expect(readFileSync(join(copy, "pwsh.runtimeconfig.json"))).toEqual(readFileSync(join(stamp.from, "pwsh.runtimeconfig.json")));
  });

  it("starts and is the pinned PowerShell", () => {
    const r = spawnSync(tools.command[0]!, [...tools.command.slice(1), "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()"], { encoding: "utf8", env: { ...process.env, ...PWSH_ENV } });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("7.6.9");
  });
});

describe("when the copy cannot be made", () => {
  /** A stand-in for the tool's folder (…/net10.0/any/unix), holding `files`. */
  function toolFolder(name: string, files: Record<string, string>): string {
    const folder = join(dir, name, "net10.0", "any", "unix");
    mkdirSync(folder, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
    return folder;
  }

  /** What precompiling `from` into a fresh tools folder logs and returns, and what it leaves there. */
  function attempt(from: string): { made: string | undefined; log: string[]; left: string[] } {
    const tools = mkdtempSync(join(dir, "tools-"));
    const log: string[] = [];
    const made = precompilePowerShell(tools, from, (line) => log.push(line));
    return { made, log, left: readdirSync(tools, { recursive: true }) as string[] };
  }

  it("an assembly missing from the tool: says which, makes nothing", () => {
    const { made, log, left } = attempt(toolFolder("missing", { "pwsh.dll": "not an assembly" }));
    expect(made).toBeUndefined();
    expect(log.at(-1)).toMatch(/^PowerShell 7\.6\.9: not precompiled, used as NuGet ships it \(slower to start\): System\.Management\.Automation\.dll, .* not in /);
    expect(left).toEqual([]);
  });

  it("assemblies the compiler cannot read: dotnet publish makes none, setup says so, and leaves neither the project nor a copy", { timeout: 180_000 }, () => {
    const from = toolFolder("damaged", Object.fromEntries(PRECOMPILED.map((f) => [f, "MZ damaged"])));
    const { made, log, left } = attempt(from);
    expect(made).toBeUndefined();
    expect(log.at(-1)).toMatch(/^PowerShell 7\.6\.9: not precompiled, used as NuGet ships it \(slower to start\): `dotnet publish` (failed|made no pwsh\.dll, System\.Management\.Automation\.dll)/);
    expect(left).toEqual([]);
  });
});
