// Watch mode reuses what the last build made (BuildCache). After every edit, a build that reuses
// must equal a build from scratch: the same diagnostics and byte-identical files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../lib/compiler/driver/compile.js";
import { BuildCache } from "../../lib/compiler/driver/incremental.js";
import { copyDocutap } from "../helpers/cases.js";
import { buildSummary } from "../helpers/builds.js";
import { repoRoot } from "../helpers/pwsh.js";

const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const repo = mkdtempSync(join(work, "incremental-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
copyDocutap(repo);

const options = { root: repo, typecheck: false, pwshCheck: false } as const;

function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, next);
}

describe("a build that reuses the last one's work equals a build from scratch", () => {
  const cache = new BuildCache();
  const originals = new Map<string, string>();
  const remember = (file: string): void => {
    if (!originals.has(file)) originals.set(file, readFileSync(join(repo, file), "utf8"));
  };
  let previous: CompileResult | undefined;

  const step = async (what: string, change: () => void): Promise<{ reused: CompileResult; changed: string[]; remade: string[] }> => {
    change();
    const reused = await compile(options, cache);
    const fresh = await compile(options);
    expect(buildSummary(reused), what).toEqual(buildSummary(fresh));
    const before = new Map((previous?.files ?? []).map((f) => [f.path, f]));
    const bytes = (f: { content: string | Uint8Array } | undefined): string | undefined => (f === undefined ? undefined : Buffer.from(typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content).toString("base64"));
    // Files made again (not the same object as the last build's) and files whose content changed.
    const remade = reused.files.filter((f) => before.get(f.path) !== f).map((f) => f.path);
    const changed = reused.files.filter((f) => bytes(before.get(f.path)) !== bytes(f)).map((f) => f.path);
    previous = reused;
    return { reused, changed, remade };
  };

  it("first build", async () => {
    const { reused } = await step("first build", () => undefined);
    expect(reused.ok).toBe(true);
  });

  it("a module's description: only that module and what requires it are made again", async () => {
    remember("modules/emr/index.ts");
    const { changed, remade } = await step("description", () => edit("modules/emr/index.ts", "The EMR application: its MSI", "The EMR application (edited): its MSI"));
    expect([...changed].sort()).toEqual(["manifest.json", "modules/Emr/Emr.psd1", "modules/Emr/Emr.psm1"]);
    // Modules that do not require Emr are reused; so are the configurations, even AppServer, which
    // uses Emr and is evaluated again: what its files use of Emr did not change.
    expect(remade.filter((p) => p.startsWith("modules/Windows/") || p.startsWith("tests/Windows"))).toEqual([]);
    expect(remade.filter((p) => /^(configurations|dsc|ssm)\//.test(p) || /^schemas\/(AppServer|DatabaseServer|WindowsBaseline)/.test(p) || /^tests\/(AppServer|DatabaseServer|WindowsBaseline)/.test(p))).toEqual([]);
  });

  it("a fragment of a lower-layer module: its dependants are lowered again", async () => {
    remember("modules/windows/index.ts");
    const text = readFileSync(join(repo, "modules/windows/index.ts"), "utf8");
    const line = /ps`\n(\s+)\S/.exec(text);
    expect(line).not.toBeNull();
    await step("fragment", () => edit("modules/windows/index.ts", /ps`\n(\s+)(\S)/, "ps`\n$1# edited\n$1$2"));
  });

  it("a function's parameter renamed: the modules calling it see the new function", async () => {
    const renamed = await step("rename", () => edit("modules/windows/index.ts", "params: { displayName: t.string() },", "params: { productName: t.string() },"));
    // Emr still passes displayName: a problem only a build that evaluates Emr again can see.
    expect(renamed.reused.ok).toBe(false);
    await step("rename back", () => edit("modules/windows/index.ts", "params: { productName: t.string() },", "params: { displayName: t.string() },"));
  });

  it("a configuration's property", async () => {
    remember("configurations/app-server.ts");
    await step("configuration", () => edit("configurations/app-server.ts", /"(rate|cron)\(([^)]*)\)"/, '"rate(45 minutes)"'));
  });

  it("an error, then its fix", async () => {
    const { reused } = await step("error", () => edit("modules/emr/index.ts", 'version: "2.1.0"', 'version: "two"'));
    expect(reused.ok).toBe(false);
    const fixed = await step("fix", () => edit("modules/emr/index.ts", 'version: "two"', 'version: "2.1.1"'));
    expect(fixed.reused.ok).toBe(true);
  });

  it("a file that throws while evaluated, then its fix", async () => {
    const { reused } = await step("throw", () => edit("modules/roles/index.ts", /^/, 'throw new Error("not yet");\n'));
    expect(reused.diagnostics.map((d) => d.code)).toContain("FF1003");
    await step("fix", () => edit("modules/roles/index.ts", 'throw new Error("not yet");\n', ""));
  });

  it("a problem found while lowering one module stays reported while another module changes", async () => {
    remember("modules/roles/index.ts");
    const throws = 'get: ({ drive }) => { if (drive) throw new Error("no drive"); return ps`@{}`; },';
    const original = /get: \(\{ drive \}\) => ps`.*`,/;
    const thrown = await step("callback throws", () => edit("modules/roles/index.ts", original, throws));
    expect(thrown.reused.diagnostics.map((d) => d.code)).toEqual(["FF3004"]);
    // Roles is not lowered again: its problem comes from what the last build kept.
    const again = await step("other module", () => edit("modules/emr/index.ts", "The EMR application", "The EMR app"));
    expect(again.reused.diagnostics.map((d) => d.code)).toEqual(["FF3004"]);
    await step("fixed", () => writeFileSync(join(repo, "modules/roles/index.ts"), originals.get("modules/roles/index.ts")!));
  });

  it("a syntax error, then its fix", async () => {
    const { reused } = await step("syntax", () => edit("modules/roles/index.ts", /^/, "export const broken = ;\n"));
    expect(reused.ok).toBe(false);
    await step("fix", () => edit("modules/roles/index.ts", "export const broken = ;\n", ""));
  });

  it("a new file imported by a changed one", async () => {
    remember("modules/emr/index.ts");
    const { reused } = await step("new file", () => {
      writeFileSync(
        join(repo, "modules/emr/extra.ts"),
        'import { fn, ps, t } from "fleetform";\nexport const getEmrPort = fn({ name: "Get-EmrPort", params: {}, returns: t.int(), body: () => ps`8443` });\n',
      );
      edit("modules/emr/index.ts", /^/, 'export { getEmrPort } from "./extra.js";\n');
    });
    expect(reused.files.find((f) => f.path === "modules/Emr/Emr.psm1")?.content).toContain("function Get-EmrPort");
    // The import removed again: the file is no longer evaluated, and its function is gone.
    const removed = await step("import removed", () => edit("modules/emr/index.ts", 'export { getEmrPort } from "./extra.js";\n', ""));
    expect(removed.reused.files.find((f) => f.path === "modules/Emr/Emr.psm1")?.content).not.toContain("Get-EmrPort");
  });

  it("a function found by name in a module that is not evaluated again: the safety check sees its new body", async () => {
    remember("modules/emr/index.ts");
    remember("modules/roles/index.ts");
    // EmrApplication's set calls the extern Read-S3Object; Roles (which Emr does not import) gets a
    // function of that name, which the safety check follows (by name) from EmrApplication's set.
    const unguarded = await step("safe removed, function added", () => {
      edit("modules/emr/index.ts", "  safe: () => ps`@(Get-Process -Name 'Emr.Client' -ErrorAction SilentlyContinue).Count -eq 0`,\n", "");
      edit("modules/roles/index.ts", /$/, '\nexport const readS3 = fn({ name: "Read-S3Object", params: {}, body: () => ps`Write-Output 1` });\n');
    });
    expect(unguarded.reused.diagnostics.map((d) => d.code)).not.toContain("FF3020");
    // Only Roles changes: Emr's IR is reused, its set now reaches a Stop-Service.
    const disruptive = await step("the function stops a service", () => edit("modules/roles/index.ts", "ps`Write-Output 1`", "ps`Stop-Service -Name 'Emr'`"));
    expect(disruptive.reused.diagnostics.map((d) => d.code)).toContain("FF3020");
    expect(disruptive.remade.filter((p) => p.startsWith("modules/Emr/"))).toEqual([]);
    await step("back", () => {
      writeFileSync(join(repo, "modules/emr/index.ts"), originals.get("modules/emr/index.ts")!);
      writeFileSync(join(repo, "modules/roles/index.ts"), originals.get("modules/roles/index.ts")!);
    });
  });

  it("a module's code reads a new parameter: the instance role grants it", async () => {
    remember("modules/windows/index.ts");
    const { changed } = await step("parameter read", () => {
      edit("modules/windows/index.ts", 'import { defineModule, extern, fn, ps, resource, t } from "fleetform";', 'import { defineModule, extern, fn, ps, resource, ssmParameter, t } from "fleetform";');
      edit("modules/windows/index.ts", "test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`", 'test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name} -and ${ssmParameter("/docutap/rename-allowed")}`');
    });
    expect(changed).toContain("cloudformation/dependencies.yaml");
    const back = await step("parameter no longer read", () => writeFileSync(join(repo, "modules/windows/index.ts"), originals.get("modules/windows/index.ts")!));
    expect(back.changed).toContain("cloudformation/dependencies.yaml");
  });

  it("an extern's module version: the test stub module made for it follows", async () => {
    remember("modules/emr/index.ts");
    const stub = "tests/stubs/AWSPowerShell/AWSPowerShell.psd1";
    const linked = await step("extern not built in", () => edit("modules/emr/index.ts", '  module: "AWSPowerShell",\n  builtin: true,\n', '  module: "AWSPowerShell",\n'));
    expect(linked.changed).toContain(stub);
    const versioned = await step("extern's module version", () => edit("modules/emr/index.ts", '  module: "AWSPowerShell",\n', '  module: "AWSPowerShell",\n  version: "4.1.0",\n'));
    expect(versioned.changed).toContain(stub);
    await step("back", () => writeFileSync(join(repo, "modules/emr/index.ts"), originals.get("modules/emr/index.ts")!));
  });

  describe("a file evaluated again keeps the definitions it makes the same; the files importing only those are not evaluated again", () => {
    it("a value a resource's callback captures (outside the resource's text) changes", async () => {
      remember("modules/windows/index.ts");
      await step("a captured value", () => {
        edit("modules/windows/index.ts", "test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`", "test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name} -and ${captured}`");
        edit("modules/windows/index.ts", /$/, '\nconst captured = "one";\n');
      });
      const { reused, changed } = await step("the captured value changed", () => edit("modules/windows/index.ts", 'const captured = "one";', 'const captured = "two";'));
      expect(changed).toContain("modules/Windows/Windows.psm1");
      expect(String(reused.files.find((f) => f.path === "modules/Windows/Windows.psm1")?.content)).toContain("-and 'two'");
    });

    it("the body of a function other modules call changes through a captured value: the safety check sees it", async () => {
      remember("modules/windows/index.ts");
      await step("a function's captured command", () => {
        edit("modules/windows/index.ts", "    $sessions.Count\n", "    $sessions.Count\n    ${ps.raw(extra)}\n");
        edit("modules/windows/index.ts", /$/, '\nconst extra = "Write-Verbose done";\n');
      });
      const stops = await step("it now stops a service", () => edit("modules/windows/index.ts", 'const extra = "Write-Verbose done";', "const extra = \"Stop-Service -Name 'Emr'\";"));
      expect(String(stops.reused.files.find((f) => f.path === "modules/Windows/Windows.psm1")?.content)).toContain("Stop-Service -Name 'Emr'");
      await step("back", () => writeFileSync(join(repo, "modules/windows/index.ts"), originals.get("modules/windows/index.ts")!));
    });

    it("a namespace import sees every change of the module it reads", async () => {
      remember("modules/roles/index.ts");
      remember("modules/windows/index.ts");
      await step("a namespace import", () => {
        edit("modules/roles/index.ts", 'import { getLoggedOnUserCount } from "../windows/index.js";', 'import * as windows from "../windows/index.js";\nconst getLoggedOnUserCount = windows.getLoggedOnUserCount;');
      });
      await step("the module it reads renames the function", () => edit("modules/windows/index.ts", 'name: "Get-LoggedOnUserCount"', 'name: "Get-LogonSessionCount"'));
      const renamed = await step("and its description", () => edit("modules/windows/index.ts", "Windows building blocks shared", "Windows blocks shared"));
      expect(String(renamed.reused.files.find((f) => f.path === "modules/ServerRoles/ServerRoles.psm1")?.content)).toContain("Get-LogonSessionCount");
      await step("back", () => {
        writeFileSync(join(repo, "modules/windows/index.ts"), originals.get("modules/windows/index.ts")!);
        writeFileSync(join(repo, "modules/roles/index.ts"), originals.get("modules/roles/index.ts")!);
      });
    });

    it("definitions that move (lines added above, inside a type the JavaScript does not have) report their problems at their new lines", async () => {
      remember("modules/windows/index.ts");
      const problem = await step("a problem in a definition", () => {
        edit("modules/windows/index.ts", 'description: "Chocolatey is installed at the pinned version",', "description: 42 as unknown as string,");
        edit("modules/windows/index.ts", "const getCimInstance = extern({", "interface Shape {\n  a: string;\n}\n\nconst getCimInstance = extern({");
      });
      expect(problem.reused.ok).toBe(false);
      await step("a line added in the type", () => edit("modules/windows/index.ts", "  a: string;\n", "  a: string;\n  b: string;\n"));
      await step("a line added above everything", () => edit("modules/windows/index.ts", /^/, "// moved\n"));
      await step("a longer line above, on the same line", () => edit("modules/windows/index.ts", "// moved\n", "// moved, a longer comment\n"));
      await step("back", () => writeFileSync(join(repo, "modules/windows/index.ts"), originals.get("modules/windows/index.ts")!));
    });
  });

  it("the config file: everything is made again", async () => {
    remember("fleetform.config.ts");
    const { changed, remade } = await step("config", () => edit("fleetform.config.ts", /layers: \[/, "layers: [ "));
    expect(changed).toEqual([]);
    expect(remade.length).toBe(previous!.files.length);
  });

  it("back to the original sources: the first build's output", async () => {
    const { reused } = await step("revert", () => {
      for (const [file, text] of originals) writeFileSync(join(repo, file), text);
    });
    const fresh = await compile(options);
    expect(buildSummary(reused)).toEqual(buildSummary(fresh));
  });
});
