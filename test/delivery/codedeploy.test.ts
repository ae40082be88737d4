// appspec.yml (at the root of the output folder, the revision) and its hook scripts (docutap build): the appspec rules of
// shared/reference/notes/aws.md §g, the scripts parsed by PowerShell's own parser, and the scripts'
// logic run for real under pwsh with Pester (test/delivery/pester/*.Tests.ps1).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import type { CompileResult, ir } from "../../compiler/index.js";
import { parsePowerShellFiles, pwshInfo, runPester, type PesterSummary } from "../helpers/pwsh.js";
import { assertOk, buildDocutap, compileFixture, deliveryDir, textOf, writeBuild } from "./helpers.js";
import { closure } from "../../compiler/phases/4-emit/pester/index.js";

// Each Pester run starts several pwsh processes (a few seconds each); give them room when the
// suites run in parallel.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const APPSPEC = "appspec.yml";

/** In-place deployment events that run scripts (the traffic events need a load balancer). */
const EVENTS = ["ApplicationStop", "BeforeInstall", "AfterInstall", "ApplicationStart", "ValidateService", "BeforeBlockTraffic", "AfterBlockTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"];
const APPSPEC_KEYS = ["version", "os", "files", "permissions", "hooks", "file_exists_behavior"];

interface Appspec {
  version: unknown;
  os: unknown;
  files: { source: string; destination: string }[];
  file_exists_behavior?: string;
  hooks: Record<string, { location: string; timeout?: number; runas?: string }[]>;
  [key: string]: unknown;
}

function keysDeep(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, into);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      keysDeep(v, into);
    }
  }
  return into;
}

/** Runs the delivery Pester files against a build written to disk. */
function runHookTests(files: readonly string[], dist: string, program: ir.Program, appspec: Appspec): PesterSummary {
  const targets = program.configurations
    .filter((c) => c.delivery.runCommand || c.dscDocument)
    .map((c) => ({
      name: c.name,
      tag: c.targets.tag,
      values: c.targets.values.every((v) => v.kind === "literal") ? c.targets.values.map((v) => (v as { value: string }).value) : null,
      // Run Command runs it (ValidateService too); else only its DSC document is delivered.
      runCommand: c.delivery.runCommand,
      // What importing the configuration loads (the runtime, its author modules, itself when Run
      // Command runs it): from the IR, not from the hook script.
      modules: [program.runtime.name, ...closure(c.requires.map((r) => r.name), program), ...(c.delivery.runCommand ? [c.name] : [])],
      // The DSC resources of author modules its MOF names (what the LCM loads): "Module/Version/Class".
      dscResources: c.dscDocument ? [...new Set(c.resources.filter((r) => !r.type.dsc.builtin).map((r) => `${r.type.dsc.moduleName}/${r.type.dsc.moduleVersion}/${r.type.dsc.className}`))].sort() : [],
    }));
  const env: Record<string, string> = {
    FF_DELIVERY_DIST: dist,
    FF_DELIVERY_COPIES: JSON.stringify(appspec.files),
    FF_DELIVERY_INSTALL_ROOT: program.install.root,
    FF_DELIVERY_DEPLOY_DIR: program.install.deployDir,
    FF_DELIVERY_PWSH: JSON.stringify(pwshInfo().command),
    FF_DELIVERY_TARGETS: JSON.stringify(targets),
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return runPester(files.map((f) => join(deliveryDir, "pester", f)));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function failuresOf(summary: PesterSummary): string {
  return summary.failures.map((f) => `${f.name}: ${f.message}`).join("\n") + (summary.failures.length > 0 ? `\n${summary.output}` : "");
}

describe("appspec.yml (docutap)", () => {
  let build: CompileResult;
  let text: string;
  let appspec: Appspec;
  let paths: string[];

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    text = textOf(build, APPSPEC);
    appspec = parse(text) as Appspec;
    paths = build.files.map((f) => f.path);
  });

  it("has version 0.0 as an unquoted number (the agent compares with the number 0.0)", () => {
    expect(text).toMatch(/^version: 0\.0$/m);
    expect(appspec.version).toBe(0);
    expect(typeof appspec.version).toBe("number");
    // Also to a YAML 1.1 reader (the agent's Ruby Psych), and the whole file reads alike.
    expect(parse(text, { version: "1.1" })).toEqual(appspec);
  });

  it("is at the root of the output folder, so the folder is the revision as it is; the manifest lists it with its sha256", () => {
    // CodeDeploy reads appspec.yml at the revision's root only; every source and hook is relative to it.
    expect(paths.filter((p) => p.endsWith("appspec.yml"))).toEqual(["appspec.yml"]);
    const manifest = JSON.parse(textOf(build, "manifest.json")) as { files: { path: string; sha256: string }[] };
    const entry = manifest.files.find((f) => f.path === "appspec.yml");
    expect(entry?.sha256).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("is for Windows and has only appspec keys", () => {
    expect(appspec.os).toBe("windows");
    expect(Object.keys(appspec).filter((k) => !APPSPEC_KEYS.includes(k))).toEqual([]);
    expect(["DISALLOW", "OVERWRITE", "RETAIN"]).toContain(appspec.file_exists_behavior ?? "DISALLOW");
  });

  it("has no permissions section (rejected on Windows) and no runas anywhere (Linux only)", () => {
    expect(appspec).not.toHaveProperty("permissions");
    expect(keysDeep(appspec)).not.toContain("runas");
    expect(text).not.toMatch(/permissions|runas/);
  });

  it("copies only sources that exist in the bundle (a file, or a folder holding files)", () => {
    expect(appspec.files.length).toBeGreaterThan(0);
    for (const { source, destination } of appspec.files) {
      expect(source, "source").toBeTruthy();
      expect(destination, `destination of ${source}`).toBeTruthy();
      expect(source).not.toMatch(/^[\\/]|\.\.|\\/);
      expect(paths.includes(source) || paths.some((p) => p.startsWith(`${source}/`)), `appspec source ${source}`).toBe(true);
    }
  });

  it("copies to fully qualified Windows paths", () => {
    for (const { destination } of appspec.files) {
      expect(destination).toMatch(/^[A-Za-z]:\\[^/:*?"<>|]*$/);
      expect(destination.split("\\")).not.toContain("..");
    }
  });

  it("installs each module into <root>\\<Name>\\<ModuleVersion of its manifest>, and everything it installs is in manifest.json", () => {
    const manifest = JSON.parse(textOf(build, "manifest.json")) as { files: { path: string }[] };
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const { source, destination } of appspec.files) {
      if (source === "manifest.json") continue;
      const installed = paths.filter((p) => p.startsWith(`${source}/`));
      // after-install checks each installed file against manifest.json: it must list them all.
      expect(installed.filter((p) => !listed.has(p)), source).toEqual([]);
      const m = /^(?:modules|configurations)\/([^/]+)$/.exec(source);
      if (!m) continue;
      const name = m[1]!;
      const psd1 = textOf(build, `${source}/${name}.psd1`);
      const version = /ModuleVersion\s*=\s*'([^']+)'/.exec(psd1)?.[1];
      expect(destination.toLowerCase().endsWith(`\\${name}\\${version}`.toLowerCase()), `${source} → ${destination}`).toBe(true);
    }
    expect(appspec.files.find((f) => f.source === "manifest.json")).toBeDefined();
  });

  it("has hooks only for lifecycle events that run scripts, each script in the bundle, timeouts > 0 and at most 3600 s per event", () => {
    expect(Object.keys(appspec.hooks).length).toBeGreaterThan(0);
    for (const [event, scripts] of Object.entries(appspec.hooks)) {
      expect(EVENTS, event).toContain(event);
      expect(scripts.length).toBeGreaterThan(0);
      let total = 0;
      for (const s of scripts) {
        expect(Object.keys(s).filter((k) => !["location", "timeout"].includes(k))).toEqual([]);
        expect(paths, `${event} script`).toContain(s.location);
        expect(s.location).toMatch(/\.ps1$/);
        const timeout = s.timeout ?? 3600;
        expect(Number.isInteger(timeout) && timeout > 0, `${event} timeout ${timeout}`).toBe(true);
        total += timeout;
      }
      expect(total, `total timeout of ${event}`).toBeLessThanOrEqual(3600);
    }
    // ApplicationStop runs the previous revision's scripts: the bundle's own checks belong after the copy.
    expect(Object.keys(appspec.hooks)).toEqual(expect.arrayContaining(["BeforeInstall", "AfterInstall"]));
  });
});

describe("codedeploy/scripts/*.ps1 (docutap)", () => {
  let build: CompileResult;
  let dist: string;
  let appspec: Appspec;

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    dist = writeBuild(build, "ff-codedeploy-");
    appspec = parse(textOf(build, APPSPEC)) as Appspec;
  });

  it("parse with PowerShell's parser, with no syntax Windows PowerShell 5.1 lacks", () => {
    const scripts = Object.values(appspec.hooks).flatMap((s) => s.map((x) => join(dist, x.location)));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const s of scripts) expect(existsSync(s), s).toBe(true);
    const parsed = parsePowerShellFiles(scripts);
    for (const [file, result] of parsed) {
      expect(result.errors, file).toEqual([]);
      expect(result.compat, file).toEqual([]);
    }
  });

  it("are ASCII or UTF-8 with a BOM (Windows PowerShell 5.1 reads BOM-less files as ANSI)", () => {
    for (const s of Object.values(appspec.hooks).flatMap((x) => x.map((y) => y.location))) {
      const bytes = readFileSync(join(dist, s));
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      expect(bom || bytes.every((b) => b < 0x80), s).toBe(true);
    }
  });

  it("before-install removes what fleetform installed before and keeps the rest (Pester: pester/BeforeInstall.Tests.ps1)", () => {
    // Also: a deploy folder or a dsc folder that is a symbolic link is refused, and nothing is removed through it.
    const summary = runHookTests(["BeforeInstall.Tests.ps1"], dist, build.program!, appspec);
    expect(failuresOf(summary)).toBe("");
    expect(summary.total).toBe(4);
    expect(summary.passed).toBe(4);
  });

  it("each script relaunches itself under Sysnative's 64-bit PowerShell when started 32-bit (Pester: pester/Relaunch.Tests.ps1)", () => {
    const summary = runHookTests(["Relaunch.Tests.ps1"], dist, build.program!, appspec);
    expect(failuresOf(summary)).toBe("");
    expect(summary.total).toBe(3);
    expect(summary.passed).toBe(3);
  });

  it("after-install checks the bundle installed as appspec.yml says against the build's own manifest.json (Pester: pester/AfterInstall.Tests.ps1)", () => {
    // Exit 0 on a correct tree (the targeted configurations' modules imported; the manifest's files
    // that no appspec entry installs, such as ssm/ and cloudformation/, passed over), exit 1 naming
    // the file for a changed byte, a missing DSC document, a missing module file; non-zero without
    // manifest.json; and the before-install → copy → after-install sequence.
    const summary = runHookTests(["AfterInstall.Tests.ps1"], dist, build.program!, appspec);
    expect(failuresOf(summary)).toBe("");
    // + per literal target (docutap: AppServer, DatabaseServer, WindowsBaseline) only its modules,
    // + tags unreadable, + a module that cannot be imported, named, + WindowsBaseline's DSC resources
    // loaded only where it targets, + a DSC resource that does not load, named, + the previous
    // version BeforeInstall set aside put back after the agent's cleanup.
    expect(summary.total).toBe(14);
    expect(summary.passed).toBe(14);
  });

  it("validate-service runs the targeted configurations in monitor mode and fails on resource failures (Pester: pester/ValidateService.Tests.ps1)", () => {
    const summary = runHookTests(["ValidateService.Tests.ps1"], dist, build.program!, appspec);
    expect(failuresOf(summary)).toBe("");
    // docutap: AppServer (windows-prod), DatabaseServer (windows-prod-db): 2 + 1 (preferences) + 1 (log folder) + 2 + 1 + 1 + 1.
    expect(summary.total).toBe(10);
    expect(summary.passed).toBe(10);
  });
});

describe("validate-service.ps1 with targets that are stack values (fixture stack-targets)", () => {
  let summary: PesterSummary;

  beforeAll(async () => {
    const build = await compileFixture("stack-targets");
    assertOk(build, "fixture stack-targets");
    const appspec = parse(textOf(build, APPSPEC)) as Appspec;
    summary = runHookTests(["ValidateService.Tests.ps1"], writeBuild(build, "ff-stack-targets-"), build.program!, appspec);
  });

  it("ran the cases (Plain targets 'web' literally, Web targets !Sub web-${Environment})", () => {
    // Plain: 1 + 1 (preferences) + 1 (log folder) + 1 (no compliance report) + 1 + 1 + 1, Web: 1, no tag: 1.
    expect(summary.total).toBe(9);
  });

  // The script cannot resolve stack parameters, so it cannot tell whether an instance is targeted
  // by Web: it does not run it (its association does), and says so; it runs only what targets the
  // instance's own tag value literally.
  it("does not run a configuration whose targets are stack values, and says why", () => {
    expect(failuresOf(summary)).toBe("");
  });
});
