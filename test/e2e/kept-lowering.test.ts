// A module's lowering kept in the persistent cache (compiler/phases/3-lower/kept.ts) is keyed by
// the texts of its own files too, not only those its definitions come from: a file of the module's
// folder that no file of the module imports (here one a configuration imports) can still change
// what the module's callbacks see when they are lowered. In process (compile() of lib/, as the CLI
// calls it), one cache folder across the edit, a --no-cache build of the same sources beside it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";
import { cachedBuild, OPTIONS, outcome, plainBuild, writeFiles } from "../helpers/kept.js";
import type { CompileResult } from "../../compiler/driver/compile.js";

const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const dir = mkdtempSync(join(work, "kept-lowering-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  "fleetform.config.ts": `import { defineConfig } from "fleetform";

export default defineConfig({ layers: ["platform"] });
`,
  "modules/base/index.ts": `import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base building blocks" });

/** Where the settings live: a file of the module may change it before the resources are lowered. */
export const settings = { path: "HKLM:\\\\SOFTWARE\\\\Base" };

export const BaseSetting = resource({
  name: "BaseSetting",
  description: "A base registry setting has its value",
  properties: { name: t.string({ key: true }), data: t.string({ default: "" }) },
  get: ({ name }) => ps\`@{ Name = \${name}; Data = (Get-ItemPropertyValue -Path \${settings.path} -Name \${name}) }\`,
  test: ({ name, data }) => ps\`(Get-ItemPropertyValue -Path \${settings.path} -Name \${name}) -eq \${data}\`,
  set: ({ name, data }) => ps\`Set-ItemProperty -Path \${settings.path} -Name \${name} -Value \${data}\`,
});
`,
  // In Base's folder, imported by a configuration only: it changes a value Base's callbacks read.
  "modules/base/late.ts": `import { settings } from "./index.js";

settings.path = "HKLM:\\\\SOFTWARE\\\\Late";
`,
  "configurations/web.ts": `import { configuration } from "fleetform";
import "../modules/base/late.js";
import { BaseSetting } from "../modules/base/index.js";

export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { banner: BaseSetting({ name: "Banner", data: "Authorised use only" }) },
});
`,
};

describe("a module's kept lowering and the files of its folder", { timeout: 300_000 }, () => {
  const repo = join(dir, "repo");
  const cacheDir = join(dir, "cache");
  beforeAll(() => writeFiles(repo, FILES));
  const cached = (): Promise<CompileResult> => cachedBuild(repo, cacheDir, OPTIONS);
  const plain = (): Promise<CompileResult> => plainBuild(repo, { ...OPTIONS, noCache: true });
  const psm1 = (r: CompileResult): string => {
    const f = r.files.find((file) => file.path === "modules/Base/Base.psm1");
    return f ? Buffer.from(f.content).toString("utf8") : "";
  };

  it("a change to a file of the folder that the module does not import lowers the module again", async () => {
    const cold = await cached();
    expect(cold.ok, JSON.stringify(cold.diagnostics)).toBe(true);
    expect(psm1(cold)).toContain("SOFTWARE\\Late");
    const path = join(repo, "modules", "base", "late.ts");
    writeFileSync(path, readFileSync(path, "utf8").replace("SOFTWARE\\\\Late", "SOFTWARE\\\\Later"));
    const after = await cached();
    expect(psm1(after)).toContain("SOFTWARE\\Later");
    expect(outcome(after)).toEqual(outcome(await plain()));
  });
});

// A factory: Base's file writes the resource() call, App's top level calls it with its own values.
const FACTORY: Record<string, string> = {
  "fleetform.config.ts": `import { defineConfig } from "fleetform";

export default defineConfig({ layers: ["platform", "application"] });
`,
  "modules/base/index.ts": `import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base building blocks" });

/** A setting resource of the caller's name and value type. */
export function makeSetting<T extends ReturnType<typeof t.string> | ReturnType<typeof t.int>>(name: string, type: T) {
  return resource({
    name,
    description: \`The \${name} setting has its value\`,
    properties: { name: t.string({ key: true }), value: type },
    get: ({ name }) => ps\`@{ Name = \${name}; Value = (Get-ItemPropertyValue -Path 'HKLM:\\\\SOFTWARE\\\\Base' -Name \${name}) }\`,
    test: ({ name, value }) => ps\`(Get-ItemPropertyValue -Path 'HKLM:\\\\SOFTWARE\\\\Base' -Name \${name}) -eq \${value}\`,
    set: ({ name, value }) => ps\`Set-ItemProperty -Path 'HKLM:\\\\SOFTWARE\\\\Base' -Name \${name} -Value \${value}\`,
  });
}
`,
  "modules/app/index.ts": `import { defineModule, t } from "fleetform";
import { makeSetting } from "../base/index.js";

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "The application" });

export const AppSetting = makeSetting("AppSetting", t.string());
`,
  "configurations/web.ts": `import { configuration } from "fleetform";
import { AppSetting } from "../modules/app/index.js";

export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { port: AppSetting({ name: "Port", value: "8080" }) },
});
`,
};

describe("a module's kept lowering and the files that called its factories", { timeout: 300_000 }, () => {
  const repo = join(dir, "factory");
  const cacheDir = join(dir, "factory-cache");
  beforeAll(() => writeFiles(repo, FACTORY));
  const cached = (): Promise<CompileResult> => cachedBuild(repo, cacheDir, OPTIONS);
  const plain = (): Promise<CompileResult> => plainBuild(repo, { ...OPTIONS, noCache: true });

  it("a change to the values a module's factory was called with, in another module's file, lowers the factory's module again", async () => {
    const cold = await cached();
    expect(cold.ok, JSON.stringify(cold.diagnostics)).toBe(true);
    expect(outcome(cold)).toEqual(outcome(await plain()));
    const app = join(repo, "modules", "app", "index.ts");
    writeFileSync(app, readFileSync(app, "utf8").replace('makeSetting("AppSetting", t.string())', 'makeSetting("AppSetting", t.int())'));
    const web = join(repo, "configurations", "web.ts");
    writeFileSync(web, readFileSync(web, "utf8").replace('value: "8080"', "value: 8080"));
    const after = await cached();
    const without = await plain();
    expect(without.ok, JSON.stringify(without.diagnostics)).toBe(true);
    expect(outcome(after)).toEqual(outcome(without));
  });
});
