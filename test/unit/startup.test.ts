// What starting the command line loads (lib/compiler/cli/index.js, as bin/fleetform.js does): not
// the packages a build needs only late or never (yaml for writing or reading YAML, ajv for an SSM
// document's schema check, both skipped when the build cache has the results), and not the
// modules of other commands (plan, init, watch). Runs the built compiler (lib/, `npm run build`).
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const lib = resolve(import.meta.dirname, "..", "..", "lib", "compiler");

describe("start-up", () => {
  it("loads neither yaml nor ajv, nor the plan, init and watch modules", () => {
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(pathToFileURL(join(lib, "cli", "index.js")).href)});
      const packages = new Set(Object.keys(createRequire(import.meta.url).cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
      console.log(JSON.stringify([...packages].sort()));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const packages = JSON.parse(r.stdout) as string[];
    // (the check that this sees packages at all: esbuild is loaded at start-up)
    expect(packages).toContain("esbuild");
    expect(packages).not.toContain("yaml");
    expect(packages).not.toContain("ajv");
    // ES modules are not in require's cache: a resolve hook sees each of them.
    const hooks = `let port; export function initialize(data) { port = data.port; } export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;
    const esm = `
      import { register } from "node:module";
      import { MessageChannel } from "node:worker_threads";
      const { port1, port2 } = new MessageChannel();
      const seen = [];
      port1.on("message", (url) => seen.push(url));
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: { port: port2 }, transferList: [port2] });
      await import(${JSON.stringify(pathToFileURL(join(lib, "cli", "index.js")).href)});
      await new Promise((done) => setTimeout(done, 200));
      port1.close();
      console.log(JSON.stringify(seen.filter((u) => u.startsWith(${JSON.stringify(pathToFileURL(lib).href)})).map((u) => u.slice(${pathToFileURL(lib).href.length + 1}))));`;
    const m = spawnSync(process.execPath, ["--input-type=module", "-e", esm], { encoding: "utf8" });
    expect(m.stderr).toBe("");
    const modules = JSON.parse(m.stdout) as string[];
    expect(modules).toContain("driver/compile.js");
    expect(modules.filter((f) => /^(plan|init)\/|^driver\/watch\.js$/.test(f))).toEqual([]);
  });
});
