// Per-module and per-configuration results kept in the persistent cache (compiler/phases/4-emit/kept.ts):
// a build in a new process after a one-file change reuses the files of every module and
// configuration the change cannot affect, and still gives the same bytes and the same diagnostics
// as a build without the cache. In process (compile() of lib/, as the CLI calls it), one cache
// folder across the edits, a --no-cache build of the same sources beside each.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";
import { cachedBuild, OPTIONS, outcome, plainBuild, writeFiles } from "../helpers/kept.js";
import type { CompileResult } from "../../compiler/driver/compile.js";

const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const dir = mkdtempSync(join(work, "kept-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `import { defineConfig } from "fleetform";

export default defineConfig({ layers: ["platform", "application"], install: { logDir: "C:\\\\Logs\\\\Fleet" } });
`;

const BASE = `import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base building blocks" });

export const getBaseValue = fn({
  name: "Get-BaseValue",
  params: { key: t.string() },
  returns: t.string(),
  body: ({ key }) => ps\`(Get-ItemPropertyValue -Path 'HKLM:\\\\SOFTWARE\\\\Base' -Name \${key} -ErrorAction SilentlyContinue)\`,
});

export const BaseSetting = resource({
  name: "BaseSetting",
  description: "A registry value of the base",
  properties: { name: t.string({ key: true }), data: t.string({ default: "" }) },
  get: ({ name }) => ps\`@{ Name = \${name}; Data = (\${getBaseValue({ key: name })}) }\`,
  test: ({ name, data }) => ps\`(\${getBaseValue({ key: name })}) -eq \${data}\`,
  set: ({ name, data }) => ps\`Set-ItemProperty -Path 'HKLM:\\\\SOFTWARE\\\\Base' -Name \${name} -Value \${data}\`,
});
`;

const APP = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineModule, ps, resource, t } from "fleetform";
import { getBaseValue } from "../base/index.js";

// A file that is not a source, read while the module is evaluated: an input all the same.
const valueType = readFileSync(join(__dirname, "value-type.txt"), "utf8").trim();

export const module = defineModule({ name: "App", layer: "application", version: "2.1.0", description: "The application" });

export const AppSetting = resource({
  name: "AppSetting",
  description: "An application setting, read through the base",
  properties: { name: t.string({ key: true }), value: t.string() },
  get: ({ name }) => ps\`@{ Name = \${name}; Value = (\${getBaseValue({ key: name })}) }\`,
  test: ({ name, value }) => ps\`(\${getBaseValue({ key: name })}) -eq \${value}\`,
  set: ({ name, value }) => ps\`Set-ItemProperty -Path 'HKLM:\\\\SOFTWARE\\\\App' -Name \${name} -Value \${value} -Type \${valueType}\`,
});
`;

const WEB = `import { configuration } from "fleetform";
import { BaseSetting } from "../modules/base/index.js";
import { AppSetting } from "../modules/app/index.js";

export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  delivery: { dsc: true },
  resources: {
    banner: BaseSetting({ name: "Banner", data: "Authorised use only" }),
    port: AppSetting({ name: "Port", value: "8080" }),
  },
});
`;

const WORKER = `import { configuration } from "fleetform";
import { BaseSetting } from "../modules/base/index.js";

export default configuration({
  name: "Worker",
  targets: { tag: "Role", values: ["worker"] },
  schedule: "rate(1 hour)",
  resources: {
    queue: BaseSetting({ name: "Queue", data: "jobs" }),
  },
});
`;

function writeRepo(root: string): void {
  const files: Record<string, string> = {
    "fleetform.config.ts": CONFIG,
    "modules/base/index.ts": BASE,
    "modules/app/index.ts": APP,
    "modules/app/value-type.txt": "String\n",
    "configurations/web.ts": WEB,
    "configurations/worker.ts": WORKER,
  };
  writeFiles(root, files);
}

/** The entries of one kind in the cache folder (file names). */
function entriesOf(cacheDir: string, kind: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync(cacheDir)) return out;
  for (const version of readdirSync(cacheDir)) {
    const folder = join(cacheDir, version, kind);
    if (existsSync(folder)) for (const name of readdirSync(folder)) if (!name.includes(".tmp-")) out.add(name);
  }
  return out;
}

describe("results kept per module and configuration in the persistent cache", { timeout: 300_000 }, () => {
  const repo = join(dir, "repo");
  const cacheDir = join(dir, "cache");
  beforeAll(() => writeRepo(repo));

  const cached = (): Promise<CompileResult> => cachedBuild(repo, cacheDir, OPTIONS);
  const plain = (): Promise<CompileResult> => plainBuild(repo, { ...OPTIONS, noCache: true });

  /** Builds with the cache after `edit`, and without; returns the new entries per kind. */
  async function afterEdit(file: string, edit: (text: string) => string): Promise<Record<string, number>> {
    const path = join(repo, file);
    const before = readFileSync(path, "utf8");
    const after = edit(before);
    expect(after).not.toBe(before);
    writeFileSync(path, after);
    const kinds = ["lower-module", "emit-module", "emit-configuration", "emit-template", "emit-dependencies"];
    const known = Object.fromEntries(kinds.map((k) => [k, entriesOf(cacheDir, k)]));
    const withCache = outcome(await cached());
    const without = outcome(await plain());
    expect(withCache).toEqual(without);
    return Object.fromEntries(kinds.map((k) => [k, [...entriesOf(cacheDir, k)].filter((e) => !known[k]!.has(e)).length]));
  }

  it("a build after each kind of one-file change equals one without the cache, and emits only what the change affects", async () => {
    const cold = await cached();
    expect(cold.ok, JSON.stringify(cold.diagnostics)).toBe(true);
    expect(outcome(cold)).toEqual(outcome(await plain()));
    expect(entriesOf(cacheDir, "lower-module").size).toBe(2);
    expect(entriesOf(cacheDir, "emit-module").size).toBe(2);
    expect(entriesOf(cacheDir, "emit-configuration").size).toBe(2);
    // The same sources again: every entry reused, none added.
    expect(outcome(await cached())).toEqual(outcome(cold));

    // A module's resource: that module's files; the configurations using its resource type; not the
    // other module's files (lowered again, as it imports the file, to the same IR).
    expect(await afterEdit("modules/base/index.ts", (t) => t.replace("-Value ${data}", "-Value ${data} -Force"))).toMatchObject({
      "lower-module": 2,
      "emit-module": 1,
      "emit-configuration": 2,
    });
    // A module's fn that another module calls (its name): both modules' files.
    expect(await afterEdit("modules/base/index.ts", (t) => t.replace('name: "Get-BaseValue"', 'name: "Get-BaseSetting"'))).toMatchObject({ "lower-module": 2, "emit-module": 2 });
    // A module's description: its own files only (no configuration file shows it).
    expect(await afterEdit("modules/app/index.ts", (t) => t.replace('description: "The application"', 'description: "The application, described"'))).toMatchObject({
      "lower-module": 1,
      "emit-module": 1,
      "emit-configuration": 0,
    });
    // Module code that reads a parameter: that module's files, the one configuration using its resource
    // type, and the instance role's template (dependencies.yaml); not the Systems Manager template.
    expect(
      await afterEdit("modules/app/index.ts", (t) =>
        t.replace('import { defineModule, ps, resource, t } from "fleetform";', 'import { defineModule, ps, resource, ssmParameter, t } from "fleetform";').replace("-Path 'HKLM:\\\\SOFTWARE\\\\App' -Name", '-Path ${ssmParameter("/app/registry-path")} -Name'),
      ),
    ).toMatchObject({ "lower-module": 1, "emit-module": 1, "emit-configuration": 1, "emit-dependencies": 1, "emit-template": 0 });
    // A file that is not a source, which a module reads: every module is lowered again (their keys
    // hold every input but the sources' texts); only the reader's files change.
    expect(await afterEdit("modules/app/value-type.txt", (t) => t.replace("String", "ExpandString"))).toMatchObject({ "lower-module": 2, "emit-module": 1 });
    // A configuration: its files (and the templates that embed it), no module's.
    expect(await afterEdit("configurations/web.ts", (t) => t.replace('value: "8080"', 'value: "8443"'))).toMatchObject({ "lower-module": 0, "emit-module": 0, "emit-configuration": 1, "emit-template": 1 });
    // A module's version: the MOF of the DSC configuration Web names it (ClassVersion), so the S3 key
    // the template gives Web's association (the MOF's sha256) changes; the template is made again
    // and equals the build without the cache (afterEdit compares them).
    expect(await afterEdit("modules/app/index.ts", (t) => t.replace('version: "2.1.0"', 'version: "2.2.0"'))).toMatchObject({ "emit-template": 1 });
    // The config file: the settings every configuration's files use; the modules' files stay.
    expect(await afterEdit("fleetform.config.ts", (t) => t.replace("C:\\\\Logs\\\\Fleet", "D:\\\\Logs\\\\Fleet"))).toMatchObject({ "lower-module": 0, "emit-module": 0, "emit-configuration": 2 });
  });

  it("a kept file's content is read only when asked for, and made again when the cache lost it", async () => {
    expect((await cached()).ok).toBe(true);
    const bodies = ["emit-module-bodies", "emit-configuration-bodies", "emit-template-bodies"];
    for (const version of readdirSync(cacheDir)) for (const kind of bodies) rmSync(join(cacheDir, version, kind), { recursive: true, force: true });
    // A module's description: the build reads the contents of no kept file (none is made again and
    // kept), and keeps the changed module's (one entry).
    const path = join(repo, "modules", "app", "index.ts");
    writeFileSync(path, readFileSync(path, "utf8").replace('description: "The application', 'description: "The application, read lazily'));
    const result = await cached();
    expect(result.ok).toBe(true);
    expect(bodies.map((k) => entriesOf(cacheDir, k).size)).toEqual([1, 0, 0]);
    // Every content asked for now: made again from the kept entries' keys, the same bytes as without the cache.
    expect(outcome(result)).toEqual(outcome(await plain()));
    expect(entriesOf(cacheDir, "emit-module-bodies").size).toBe(2);
    expect(entriesOf(cacheDir, "emit-configuration-bodies").size).toBe(2);
  });

  it("esbuild's output is kept per text: each edit of one file adds one entry, and a text seen before adds none", async () => {
    const path = join(repo, "modules", "app", "index.ts");
    const original = readFileSync(path, "utf8");
    const count = (): number => entriesOf(cacheDir, "transpiled").size;
    try {
      expect((await cached()).ok).toBe(true);
      const before = count();
      expect(before).toBeGreaterThanOrEqual(5);
      for (let i = 0; i < 3; i++) {
        writeFileSync(path, original.replace('description: "The application', `description: "The application, edit ${i}`));
        expect((await cached()).ok).toBe(true);
        expect(count()).toBe(before + i + 1);
      }
      writeFileSync(path, original);
      expect((await cached()).ok).toBe(true);
      expect(count()).toBe(before + 3);
    } finally {
      writeFileSync(path, original);
    }
  });

  it("verify's findings about a file are kept with its bytes: a build reusing them reports the same", async () => {
    // An SSM document over its size limit (its description is the configuration's).
    const path = join(repo, "configurations", "worker.ts");
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace('schedule: "rate(1 hour)",', `schedule: "rate(1 hour)",\n  description: "${"Long. ".repeat(12_000)}",`));
    const first = outcome(await cached());
    expect(first.ok).toBe(false);
    expect(JSON.stringify(first.diagnostics)).toMatch(/"code":"FF4001"/);
    expect(first).toEqual(outcome(await plain()));
    // Again, with every entry there: the same diagnostics.
    expect(outcome(await cached())).toEqual(first);
    writeFileSync(path, text);
  });
});

describe("PowerShell's check of a module's fragments, kept in the persistent cache", { timeout: 300_000 }, () => {
  const repo = join(dir, "pwsh-repo");
  const xdg = join(dir, "xdg");
  // The default cache folder under XDG_CACHE_HOME: the build without a persistent cache finds the
  // fragment check's compiled C# there too (compiled once for both).
  const cacheDir = join(xdg, "fleetform");
  const xdgBefore = process.env.XDG_CACHE_HOME;
  beforeAll(() => {
    writeRepo(repo);
    // A call PowerShell cannot link (FF3063, info): a finding of Base's fragments the build reports.
    const base = join(repo, "modules", "base", "index.ts");
    writeFileSync(base, readFileSync(base, "utf8").replace("get: ({ name }) => ps`@{", "get: ({ name }) => ps`$probe = 'Get-Date'; $null = & $probe; @{"));
    process.env.XDG_CACHE_HOME = xdg;
  });
  afterAll(() => {
    if (xdgBefore === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = xdgBefore;
  });
  // With pwsh (a missing one is an error here), without the type check.
  const options = { typecheck: false, requirePwsh: true } as const;
  const cached = (): Promise<CompileResult> => cachedBuild(repo, cacheDir, options);
  const plain = (): Promise<CompileResult> => plainBuild(repo, options);

  it("a module's findings are reported from the cache as a build without it reports them, after edits elsewhere and in it", async () => {
    const first = outcome(await cached());
    expect(first.ok, JSON.stringify(first.diagnostics)).toBe(true);
    expect(JSON.stringify(first.diagnostics)).toMatch(/"code":"FF3063".*"file":"modules\/base\/index.ts"/);
    const edit = async (file: string, change: (text: string) => string): Promise<void> => {
      const path = join(repo, file);
      writeFileSync(path, change(readFileSync(path, "utf8")));
      const withCache = outcome(await cached());
      expect(withCache).toEqual(outcome(await plain()));
      expect(JSON.stringify(withCache.diagnostics)).toMatch(/"code":"FF3063"/);
    };
    // Another module changed: Base's findings come from the cache.
    await edit("modules/app/index.ts", (t) => t.replace('description: "The application"', 'description: "The application, again"'));
    // Base itself, above its fragment: the finding moves down a line.
    await edit("modules/base/index.ts", (t) => t.replace('export const getBaseValue = fn({', '// The value, read.\nexport const getBaseValue = fn({'));
  });
});
