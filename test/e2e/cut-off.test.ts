// The watch rebuild's early cut-off (compiler/phases/1-load/reuse.ts): a file evaluated again keeps
// the definitions it makes the same, and the files importing it are evaluated again only when what
// they read changed. After every edit, a build that reuses must equal a build from scratch: the same
// diagnostics and byte-identical files. These are the import shapes where what a file reads is not a
// plain named import of an unchanged file.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../lib/compiler/driver/compile.js";
import { BuildCache } from "../../lib/compiler/driver/incremental.js";
import { buildSummary } from "../helpers/builds.js";
import { writeFiles } from "../helpers/kept.js";
import { repoRoot } from "../helpers/pwsh.js";

const work = join(repoRoot, "test", "e2e", ".work");
mkdirSync(work, { recursive: true });
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const CONFIG = 'import { defineConfig } from "fleetform";\nexport default defineConfig({ layers: ["base"] });\n';

/** A module's entry file: its defineModule and `rest`. */
const entry = (name: string, rest: string): string =>
  `import { defineModule, fn, ps } from "fleetform";\n${rest}\nexport const module = defineModule({ name: "${name}", layer: "base", version: "1.0.0", description: "d" });\n`;

/** Builds the files, then after each edit (a file's new text, or null: removed) a reusing build, which must equal one from scratch. */
async function scenario(files: Record<string, string>, edits: readonly Record<string, string | null>[], more: { readonly evalTimeout?: number } = {}): Promise<CompileResult[]> {
  const root = mkdtempSync(join(work, "cut-off-"));
  made.push(root);
  writeFiles(root, { "fleetform.config.ts": CONFIG, ...files });
  const options = { root, typecheck: false, pwshCheck: false, ...more } as const;
  const cache = new BuildCache();
  await compile(options, cache);
  const results: CompileResult[] = [];
  for (const [i, edit] of edits.entries()) {
    for (const [rel, text] of Object.entries(edit)) {
      if (text === null) {
        rmSync(join(root, rel));
        // (what the watcher does when it sees a file removed)
        cache.listingsChanged();
      } else {
        writeFiles(root, { [rel]: text });
      }
    }
    const reused = await compile(options, cache);
    expect(buildSummary(reused), `edit ${i + 1}`).toEqual(buildSummary(await compile(options)));
    results.push(reused);
  }
  return results;
}

const psm1 = (r: CompileResult, module: string): string => String(r.files.find((f) => f.path === `modules/${module}/${module}.psm1`)?.content);

describe("watch rebuild, early cut-off: a reusing build equals a build from scratch", () => {
  it("a value reached both directly and through another file (a diamond) changes", async () => {
    const [two] = await scenario(
      {
        "modules/a/index.ts": entry("Alpha", 'import { base } from "../../lib/c";\nimport { decorated } from "../../lib/d";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output ${base} ${decorated}` });'),
        "lib/b.ts": 'import { base } from "./c";\nexport const label = base + "!";\n',
        "lib/d.ts": 'import { label } from "./b";\nexport const decorated = "[" + label + "]";\n',
        "lib/c.ts": 'export const base = "one";\n',
      },
      [{ "lib/c.ts": 'export const base = "two";\n' }, { "lib/c.ts": 'export const base = "three";\n' }],
    );
    expect(psm1(two!, "Alpha")).toContain("'two' '[two!]'");
  });

  it("two files changed at once, one imported through a file that is kept", async () => {
    await scenario(
      {
        "modules/a/index.ts": entry("Alpha", 'import { label } from "./b";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output ${label}` });'),
        "modules/a/b.ts": 'import { base } from "./c";\nexport const label = base + "!";\n',
        "modules/a/c.ts": 'export const base = "one";\n',
      },
      [{ "modules/a/index.ts": entry("Alpha", 'import { label } from "./b";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output ${label} 2`});'), "modules/a/c.ts": 'export const base = "two";\n' }],
    );
  });

  it("an imported file removed (and then restored)", async () => {
    const helper = 'export const msg = "one";\n';
    const [removed] = await scenario(
      {
        "modules/a/index.ts": entry("Alpha", 'import { msg } from "./helpers";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output ${msg}` });'),
        "modules/a/helpers.ts": helper,
      },
      [{ "modules/a/helpers.ts": null }, { "modules/a/helpers.ts": helper }],
    );
    expect(removed!.ok).toBe(false);
  });

  it("`export =` and `module.exports =` read through a default import or import-equals", async () => {
    const [defaulted] = await scenario(
      {
        "modules/a/index.ts": entry("Alpha", 'import settings from "./settings";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output ${settings.greeting}` });'),
        "modules/a/settings.ts": 'export = { greeting: "hello" };\n',
        "modules/b/index.ts": entry("Beta", 'import greet = require("./greet");\nexport const g = fn({ name: "Get-Beta", params: {}, body: () => ps`Write-Output ${greet()}` });'),
        "modules/b/greet.ts": 'export = () => "hello";\n',
      },
      [{ "modules/a/settings.ts": 'export = { greeting: "goodbye" };\n', "modules/b/greet.ts": 'export = () => "goodbye";\n' }, { "modules/a/settings.ts": 'module.exports = { greeting: "again" };\n' }],
    );
    expect(psm1(defaulted!, "Alpha")).toContain("'goodbye'");
    expect(psm1(defaulted!, "Beta")).toContain("'goodbye'");
  });

  it("an import cycle, one of its files edited", async () => {
    await scenario(
      {
        // (from scratch, b.ts runs inside index.ts's evaluation and sees its exports unfilled: what the
        // module's description says must not change when b.ts alone is edited)
        "modules/a/index.ts": 'import { defineModule, fn, ps } from "fleetform";\nimport { helperText } from "./b";\nexport const prefix = "P";\nexport const module = defineModule({ name: "Alpha", layer: "base", version: "1.0.0", description: String(helperText) });\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output 1` });\n',
        "modules/a/b.ts": 'import { prefix } from "./index";\nexport const helperText = String(prefix) + "-x";\n',
      },
      [{ "modules/a/b.ts": 'import { prefix } from "./index";\nexport const helperText = String(prefix) + "-yy";\n' }],
    );
  });

  it("a file imported for its side effects changes", async () => {
    const setup = (version: string): string => `import { settings } from "./settings";\nsettings.version = "${version}";\n`;
    const [changed] = await scenario(
      {
        "shared/settings.ts": 'export const settings = { version: "0.0.0" };\n',
        "shared/setup.ts": setup("1.0.0"),
        "modules/a/index.ts": 'import { defineModule, fn, ps } from "fleetform";\nimport "../../shared/setup";\nimport { settings } from "../../shared/settings";\nexport const module = defineModule({ name: "Alpha", layer: "base", version: settings.version, description: "d" });\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps`Write-Output 1` });\n',
      },
      [{ "shared/setup.ts": setup("2.0.0") }],
    );
    expect(String(changed!.files.find((f) => f.path === "modules/Alpha/Alpha.psd1")?.content)).toContain("ModuleVersion = '2.0.0'");
  });

  it("a callback that requires a changed file when lowering runs it", async () => {
    const [changed] = await scenario(
      {
        "modules/a/helper.ts": 'export const msg = "one";\n',
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });\n',
        "modules/a/index.ts": entry("Alpha", 'export { f } from "./f";'),
      },
      [{ "modules/a/helper.ts": 'export const msg = "two";\n' }],
    );
    expect(psm1(changed!, "Alpha")).toContain("'two'");
  });

  it("a file first required by a callback (not imported) defines a function: too late in every build, and once imported it is not", async () => {
    const helper = 'import { fn, ps } from "fleetform";\nexport const g = fn({ name: "Get-Helper", params: {}, body: () => ps`Write-Output 1` });\n';
    const f = (imported: boolean): string =>
      `import { fn, ps } from "fleetform";\n${imported ? 'import "./helper";\n' : ""}export const f = fn({ name: "Get-Msg", params: {}, body: () => ps\`\${require("./helper").g({})}\` });\n`;
    const index = (description: string): string => entry("Alpha", 'export { f } from "./f";').replace('description: "d"', `description: "${description}"`);
    const results = await scenario({ "modules/a/helper.ts": helper, "modules/a/f.ts": f(false), "modules/a/index.ts": index("d") }, [
      // (an edit elsewhere: the helper stays evaluated in the session, as lowering's callback left it)
      { "modules/a/index.ts": index("d2") },
      { "modules/a/f.ts": f(true) },
      { "modules/a/f.ts": f(false) },
      { "modules/a/index.ts": index("d3") },
    ]);
    expect(results.map((r) => r.diagnostics.some((d) => d.code === "FF3008"))).toEqual([true, false, true, true]);
  });

  it("the imports of a file only a callback required are not the module's (a layer rule), in every build", async () => {
    const config = 'import { defineConfig } from "fleetform";\nexport default defineConfig({ layers: ["base", "top"] });\n';
    const index = (description: string): string => entry("Alpha", 'export { f } from "./f";').replace('description: "d"', `description: "${description}"`);
    const results = await scenario(
      {
        "fleetform.config.ts": config,
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });\n',
        // (a module of a higher layer: an import of it from Alpha's files would be FF2002)
        "modules/a/helper.ts": 'import { label } from "../b/lib";\nexport const msg = "m" + label;\n',
        "modules/b/lib.ts": 'export const label = "b";\n',
        "modules/b/index.ts": 'import { defineModule } from "fleetform";\nexport const module = defineModule({ name: "Beta", layer: "top", version: "1.0.0", description: "d" });\n',
        "modules/a/index.ts": index("d"),
      },
      [{ "modules/a/index.ts": index("d2") }, { "modules/a/index.ts": index("d3") }],
    );
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });

  it("a file only a callback required, edited to throw and then fixed: the callback fails as in a build from scratch", async () => {
    const results = await scenario(
      {
        "modules/a/helper.ts": 'export const msg = "one";\n',
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });\n',
        "modules/a/index.ts": entry("Alpha", 'export { f } from "./f";'),
      },
      [{ "modules/a/helper.ts": 'throw new Error("broken helper");\n' }, { "modules/a/helper.ts": 'export const msg = "two";\n' }],
    );
    expect(results.map((r) => r.ok)).toEqual([false, true]);
  });

  it("a file a callback requires that runs past the time limit: the callback timed out (not the half-made file's values), in this build and the next, as in a build from scratch", async () => {
    const index = (imported: boolean): string =>
      entry(
        "Alpha",
        [
          imported ? 'import "./slow";' : "",
          'export const busy = fn({ name: "Get-Busy", params: {}, body: () => { const until = Date.now() + 250; while (Date.now() < until) {} return ps`1`; } });',
          'export const msg = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./slow").msg}` });',
          'export const z = fn({ name: "Get-Z", params: {}, body: () => ps`${fn({ name: "Get-Late", params: {}, body: () => ps`2` })({})}` });',
        ].join("\n"),
      );
    const results = await scenario(
      { "modules/a/slow.ts": 'import { fn, ps } from "fleetform";\nexport const msg = "m";\nexport const early = fn({ name: "Get-Early", params: {}, body: () => ps`3` });\nwhile (true) {}\n', "modules/a/index.ts": index(false) },
      [{ "modules/a/index.ts": index(false).replace('description: "d"', 'description: "d2"') }, { "modules/a/index.ts": index(true) }],
      { evalTimeout: 400 },
    );
    // (not what the stopped evaluation left: a half-made module's undefined, FF3001)
    expect(results[0]!.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      expect.stringMatching(/^FF1022 evaluating the body of function Get-Msg did not finish within 400 ms/),
      expect.stringMatching(/^FF3008 function 'Get-Late'/),
    ]);
    expect(results[1]!.diagnostics.map((d) => d.code)).toEqual(["FF1022"]);
  });

  it("a file a callback requires that runs past the time limit, then fixed: the fix is seen", async () => {
    const results = await scenario(
      {
        "modules/a/helper.ts": 'while (true) {}\nexport const msg = "x";\n',
        "modules/a/index.ts": entry("Alpha", 'export const msg = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });'),
      },
      [{ "modules/a/helper.ts": 'export const msg = "fixed";\n' }],
      { evalTimeout: 300 },
    );
    expect(results.map((r) => r.ok)).toEqual([true]);
    expect(psm1(results[0]!, "Alpha")).toContain("Write-Output 'fixed'");
  });

  it("a file a callback requires, stopped by the limit of a window an earlier callback started: evaluated again in the callback's own window, where it finishes", async () => {
    const index = (description: string): string =>
      entry(
        "Alpha",
        [
          'export const busy = fn({ name: "Get-Busy", params: {}, body: () => { const until = Date.now() + 250; while (Date.now() < until) {} return ps`1`; } });',
          'export const msg = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./slowish").msg}` });',
        ].join("\n"),
      ).replace('description: "d"', `description: "${description}"`);
    const results = await scenario(
      { "modules/a/slowish.ts": 'const until = Date.now() + 300;\nwhile (Date.now() < until) {}\nexport const msg = "m";\n', "modules/a/index.ts": index("d") },
      [{ "modules/a/index.ts": index("d2") }],
      { evalTimeout: 400 },
    );
    expect(results.map((r) => r.ok)).toEqual([true]);
    expect(psm1(results[0]!, "Alpha")).toContain("Write-Output 'm'");
  });

  // A watch build keeps the file a callback required evaluated (so that a change to it, or to what it
  // requires, is seen), with the values of the cycle as the callback entered it; once a file's top
  // level imports it, it is evaluated again there, as a build from scratch evaluates it.
  it("an import cycle a callback entered first, then imported by a file, is entered where a build from scratch enters it", async () => {
    const cycle = (me: string, other: string): string => `import { ${other} } from "./${other}";\nexport const ${me} = "${me}:" + String(${other});\n`;
    const index = (imported: boolean): string =>
      entry("Alpha", `export { f } from "./f";${imported ? '\nimport { c1 } from "./c1";\nexport const g = fn({ name: "Get-C1", params: {}, body: () => ps`Write-Output ${c1}` });' : ""}`);
    await scenario(
      {
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./c2").c2}` });\n',
        "modules/a/c1.ts": cycle("c1", "c2"),
        "modules/a/c2.ts": cycle("c2", "c1"),
        "modules/a/index.ts": index(false),
      },
      [{ "modules/a/index.ts": index(true) }],
    );
  });

  it("an import cycle a callback entered: its file changed, then imported by a file, then no longer imported (a callback enters it again)", async () => {
    const cycle = (me: string, other: string, note = ""): string => `import { ${other} } from "./${other}";\nexport const ${me} = "${me}:" + String(${other});\n${note}`;
    const index = (imported: boolean): string =>
      entry("Alpha", `export { f } from "./f";${imported ? '\nimport { c1 } from "./c1";\nexport const g = fn({ name: "Get-C1", params: {}, body: () => ps`Write-Output ${c1}` });' : ""}`);
    await scenario(
      {
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./c2").c2}` });\n',
        "modules/a/c1.ts": cycle("c1", "c2"),
        "modules/a/c2.ts": cycle("c2", "c1"),
        "modules/a/index.ts": index(false),
      },
      [{ "modules/a/c2.ts": cycle("c2", "c1", "// edited\n") }, { "modules/a/index.ts": index(true) }, { "modules/a/index.ts": index(false) }],
    );
  });

  it("an import cycle a callback entered, its file changed (so that the watch evaluates it in the load phase), then imported by a file", async () => {
    const helper = (msg: string): string => `import { h2 } from "./h2";\nexport const msg = "${msg}:" + String(h2);\n`;
    const index = (imported: boolean): string =>
      entry("Alpha", `export { f } from "./f";${imported ? '\nimport { h2 } from "./h2";\nexport const g = fn({ name: "Get-H2", params: {}, body: () => ps`Write-Output ${h2}` });' : ""}`);
    const [, imported] = await scenario(
      {
        "modules/a/helper.ts": helper("one"),
        "modules/a/h2.ts": 'import { msg } from "./helper";\nexport const h2 = "h2:" + String(msg);\n',
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./helper").msg}` });\n',
        "modules/a/index.ts": index(false),
      },
      [{ "modules/a/helper.ts": helper("two") }, { "modules/a/index.ts": index(true) }],
    );
    expect(psm1(imported!, "Alpha")).toContain("'h2:two:undefined'");
  });

  it("an import cycle another module's callback entered, then imported by a file: that module's output follows", async () => {
    const index = (imported: boolean): string =>
      entry("Alpha", imported ? 'import { c1 } from "./c1";\nexport const g = fn({ name: "Get-C1", params: {}, body: () => ps`Write-Output ${c1}` });' : "");
    const [two] = await scenario(
      {
        "modules/a/c1.ts": 'import { c2 } from "./c2";\nexport const c1 = "c1:" + String(c2);\n',
        "modules/a/c2.ts": 'import { c1 } from "./c1";\nexport const c2 = "c2:" + String(c1);\n',
        "modules/a/index.ts": index(false),
        "modules/b/index.ts": entry("Beta", 'export const h = fn({ name: "Get-Beta", params: {}, body: () => ps`Write-Output ${require("../a/c2").c2}` });'),
      },
      [{ "modules/a/index.ts": index(true) }],
    );
    expect(psm1(two!, "Beta")).toContain("'c2:undefined'");
  });

  it("with no time limit (--eval-timeout 0), a callback's import cycle is told from an import's: the rebuild ends and equals a build from scratch", async () => {
    const cycle = (me: string, other: string): string => `import { ${other} } from "./${other}";\nexport const ${me} = "${me}:" + String(${other});\n`;
    const index = (imported: boolean, note = ""): string =>
      entry("Alpha", `export { f } from "./f";${imported ? '\nimport { c1 } from "./c1";\nexport const g = fn({ name: "Get-C1", params: {}, body: () => ps`Write-Output ${c1}` });' : ""}${note}`);
    await scenario(
      {
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nexport const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output ${require("./c2").c2}` });\n',
        "modules/a/c1.ts": cycle("c1", "c2"),
        "modules/a/c2.ts": cycle("c2", "c1"),
        "modules/a/index.ts": index(false),
      },
      [{ "modules/a/index.ts": index(false, "\n// edited") }, { "modules/a/index.ts": index(true) }, { "modules/a/index.ts": index(false) }],
      { evalTimeout: 0 },
    );
  });

  it("a file only the config imports stays evaluated across rebuilds, with the definitions it makes", async () => {
    const index = (description: string): string => entry("Alpha", 'export const f = fn({ name: "Get-Msg", params: {}, body: () => ps`Write-Output 1` });').replace('description: "d"', `description: "${description}"`);
    const [two, three] = await scenario(
      {
        "fleetform.config.ts": 'import { defineConfig } from "fleetform";\nimport { layers } from "./modules/a/shared";\nexport default defineConfig({ layers });\n',
        "modules/a/shared.ts": 'import { fn, ps } from "fleetform";\nexport const layers = ["base"];\nexport const shared = fn({ name: "Get-Shared", params: {}, body: () => ps`Write-Output 1` });\n',
        "modules/a/index.ts": index("d"),
      },
      [{ "modules/a/index.ts": index("d2") }, { "modules/a/index.ts": index("d3") }],
    );
    expect(psm1(two!, "Alpha")).toContain("Get-Shared");
    expect(psm1(three!, "Alpha")).toContain("Get-Shared");
  });

  it("an import cycle is entered where a build from scratch enters it", async () => {
    const index = (n: number): string => entry("Alpha", `import { c1 } from "./cyc1";\nimport { c2v } from "./y";\nexport const f = fn({ name: "Get-Alpha", params: {}, body: () => ps\`Write-Output \${c1} \${c2v} ${n}\` });`);
    await scenario(
      {
        "modules/a/cyc1.ts": 'import { c2 } from "./cyc2";\nexport const c1 = "c1:" + String(c2);\n',
        "modules/a/cyc2.ts": 'import { c1 } from "./cyc1";\nexport const c2 = "c2:" + String(c1);\n',
        "modules/a/y.ts": 'import { c2 } from "./cyc2";\nexport const c2v = c2;\n',
        "modules/a/index.ts": index(1),
      },
      [{ "modules/a/index.ts": index(2) }, { "modules/a/cyc1.ts": 'import { c2 } from "./cyc2";\nexport const c1 = "c1:" + String(c2);\n// edited\n' }],
    );
  });

  it("a fragment nested deeper than the build takes, then fixed, while another file changes", async () => {
    const deep = (depth: number): string =>
      `import { fn, ps } from "fleetform";\nimport { v } from "./h";\nexport const deep = fn({ name: "Get-Deep", params: {}, body: () => { let x: unknown = ps\`\${v}\`; for (let i = 0; i < ${depth}; i++) x = ps\`(\${x})\`; return x; } });\n`;
    const [nested, fixed, touched] = await scenario(
      {
        "modules/a/h.ts": 'export const v = "one";\n',
        "modules/a/deep.ts": deep(3000),
        "modules/a/f.ts": 'import { fn, ps } from "fleetform";\nimport { v } from "./h";\nexport const f = fn({ name: "Get-F", params: {}, body: () => ps`Write-Output ${v}` });\n',
        "modules/a/index.ts": entry("Alpha", 'import "./deep";\nexport { f } from "./f";'),
      },
      [{ "modules/a/h.ts": 'export const v = "two";\n' }, { "modules/a/deep.ts": deep(3) }, { "modules/a/index.ts": entry("Alpha", 'import "./deep";\nexport { f } from "./f";\n// touched') }],
    );
    expect(nested!.ok).toBe(false);
    expect(fixed!.ok).toBe(true);
    expect(psm1(touched!, "Alpha")).toContain("'two'");
  });

  it("a definition in a module's helper file moved by a line the JavaScript does not have: the module's comments name its new line", async () => {
    const helpers = (fields: string): string =>
      `import { fn, ps } from "fleetform";\ninterface Shape {\n${fields}}\nexport const shape: Shape | undefined = undefined;\nexport const getHelp = fn({ name: "Get-Help2", params: {}, body: () => ps\`Write-Output 1\` });\n`;
    const [moved] = await scenario(
      {
        "modules/a/helpers.ts": helpers("  a: string;\n"),
        "modules/a/index.ts": entry("Alpha", 'export { getHelp } from "./helpers";'),
      },
      [{ "modules/a/helpers.ts": helpers("  a: string;\n  b: string;\n") }],
    );
    expect(psm1(moved!, "Alpha")).toContain("# from modules/a/helpers.ts:7:24");
  });

  it("an edit that makes a new import cycle: the file on its other side reads the new values", async () => {
    const [made, again] = await scenario(
      {
        "modules/a/index.ts": entry("Alpha", 'import { greeting } from "./helpers";\nexport const prefix = "P";\nexport const f = fn({ name: "Get-Greeting", params: {}, body: () => ps`Write-Output ${greeting}` });'),
        "modules/a/helpers.ts": 'export const greeting = "hello";\n',
      },
      [
        { "modules/a/helpers.ts": 'import { prefix } from "./index";\nexport const greeting = "hi";\nexport const label = () => prefix;\n' },
        { "modules/a/helpers.ts": 'import { prefix } from "./index";\nexport const greeting = "hey";\nexport const label = () => prefix;\n' },
      ],
    );
    expect(psm1(made!, "Alpha")).toContain("'hi'");
    expect(psm1(again!, "Alpha")).toContain("'hey'");
  });

  it("a file that changes a definition (or a type it holds) after the call that made it", async () => {
    const file = (extra: string): string =>
      `import { fn, ps, t } from "fleetform";\nconst ty = t.string();\nexport const d = fn({ name: "Get-D", description: "one", params: { x: ty }, body: ({ x }) => ps\`Write-Output \${x}\` });\n${extra}`;
    const [described] = await scenario(
      { "modules/a/index.ts": entry("Alpha", 'export { d } from "./f";'), "modules/a/f.ts": file("") },
      [{ "modules/a/f.ts": file('(d as unknown as { definition: { description: string } }).definition.description = "two";\n') }, { "modules/a/f.ts": file('(ty as unknown as { pattern: RegExp }).pattern = /^a$/;\n') }],
    );
    expect(psm1(described!, "Alpha")).toContain("two");
  });

  it("a chain of functions calling each other across files, its end's captured value changed", async () => {
    const chain = (value: string): Record<string, string> => {
      const files: Record<string, string> = { "modules/a/f0.ts": `import { fn, ps } from "fleetform";\nconst v = "${value}";\nexport const f0 = fn({ name: "Get-F0", params: {}, body: () => ps\`Write-Output \${v}\` });\n` };
      for (let i = 1; i < 6; i++) files[`modules/a/f${i}.ts`] = `import { fn, ps } from "fleetform";\nimport { f${i - 1} } from "./f${i - 1}";\nexport const f${i} = fn({ name: "Get-F${i}", params: {}, body: () => ps\`\${f${i - 1}({})} ${i}\` });\n`;
      return files;
    };
    const start = { ...chain("one"), "modules/a/index.ts": entry("Alpha", 'export { f5 } from "./f5";\nexport { f2 } from "./f2";') };
    const [changed] = await scenario(start, [{ "modules/a/f0.ts": chain("two")["modules/a/f0.ts"]! }, { "modules/a/f0.ts": chain("three")["modules/a/f0.ts"]! }]);
    expect(psm1(changed!, "Alpha")).toContain("'two'");
  });
});
