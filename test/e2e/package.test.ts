// The package as users install it: `npm pack`, the tarball installed into a fresh config repo
// (its own package.json, typescript from the registry, nothing linked to this checkout), and the
// CLI run there through `npx fleetform`, its output compared with this checkout's CLI
// (node bin/fleetform.js) on the same repo. Needs lib/ built (npm test builds first) and
// PowerShell set up (.tools/pwsh.json, as every PowerShell suite): the installed CLI finds pwsh
// through FLEETFORM_PWSH and Pester through PSModulePath, as a user's CI would set them.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join, posix, relative } from "node:path";
import { ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ASSETS } from "../../compiler/util/package.js";
import { listFiles } from "../helpers/cases.js";
import { pwshInfo, repoRoot } from "../helpers/pwsh.js";

const work = mkdtempSync(join(tmpdir(), "ff-package-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/** The environment of a user's shell: none of the npm/vitest variables of the run that started us. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|VITEST|GIT_|NODE_OPTIONS$|NODE_PATH$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv(), options: SpawnSyncOptions = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every file of the source tree under a folder, package-relative. */
function sourceFiles(dir: string): string[] {
  return listFiles(join(repoRoot, dir)).map((f) => `${dir}/${f}`);
}

let packed: Packed;
let paths: Set<string>;

beforeAll(() => {
  // --ignore-scripts: lib/ is already built (prepack would rebuild it under the other test files
  // that run at the same time); the stale-file check below stands in for prepack's clean build.
  const out = ok(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], repoRoot), "npm pack");
  packed = (JSON.parse(out) as Packed[])[0]!;
  paths = new Set(packed.files.map((f) => f.path));
  console.log(`fleetform tarball: ${packed.size} bytes packed, ${packed.unpackedSize} bytes unpacked, ${packed.files.length} files`);
});

describe("the packed file list", () => {
  it("has the compiled JavaScript and declarations of every source and the assembled runtime module, and nothing stale", () => {
    const sources = [...sourceFiles("compiler"), ...sourceFiles("stdlib")].filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(sources.length).toBeGreaterThan(50);
    // The runtime module is the one thing in lib/ that tsc does not write (scripts/build-runtime.mjs).
    const runtime = [`${PACKAGE_ASSETS.runtime}/Fleetform.Runtime.psd1`, `${PACKAGE_ASSETS.runtime}/Fleetform.Runtime.psm1`];
    expect(sourceFiles(PACKAGE_ASSETS.runtime)).toEqual(runtime);
    // ... and the sources it is assembled from, which its #region markers name, ship with it.
    const runtimeSources = sourceFiles("stdlib/runtime/src");
    expect(runtimeSources.length).toBeGreaterThan(10);
    expect(runtimeSources.filter((f) => !paths.has(f))).toEqual([]);
    const expected = [...sources.flatMap((f) => [`lib/${f.replace(/\.ts$/, ".js")}`, `lib/${f.replace(/\.ts$/, ".d.ts")}`]), ...runtime].sort();
    const lib = [...paths].filter((p) => p.startsWith("lib/")).sort();
    const missing = expected.filter((p) => !paths.has(p));
    expect(missing, "not in the tarball (is lib/ built?)").toEqual([]);
    const stale = lib.filter((p) => !expected.includes(p));
    expect(stale, "lib/ holds files no source compiles to (prepack removes lib/ first; do the same: rm -r lib && npm run build)").toEqual([]);
  });

  it("has every file the CLI reads at run time", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string>; exports: Record<string, string | Record<string, string>> };
    const entries = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))),
    ].map((p) => posix.normalize(p));
    for (const entry of entries) expect(paths, entry).toContain(entry);
    // bin/fleetform.js loads lib/compiler/cli/index.js.
    expect(readFileSync(join(repoRoot, "bin", "fleetform.js"), "utf8")).toContain('"../lib/compiler/cli/index.js"');
    expect(paths).toContain("lib/compiler/cli/index.js");

    // PACKAGE_ASSETS: what each one is read for, file by file (as the code reads them).
    const wanted: Record<keyof typeof PACKAGE_ASSETS, string[]> = {
      // templates.ts: every <target>/*.hbs (partials and templates).
      templates: sourceFiles(PACKAGE_ASSETS.templates).filter((f) => f.endsWith(".hbs")),
      fragmentCheck: [PACKAGE_ASSETS.fragmentCheck],
      // check-fragments.ps1 compiles it (or loads the assembly the cache keeps of it).
      fragmentCheckCode: [PACKAGE_ASSETS.fragmentCheckCode],
      // check-fragments.ps1 dot-sources it for the whole-file parse.
      fileCheck: [PACKAGE_ASSETS.fileCheck],
      ssmSchema: [PACKAGE_ASSETS.ssmSchema],
      // verify.ts: every *.mof of the folder.
      dscSchemas: sourceFiles(PACKAGE_ASSETS.dscSchemas).filter((f) => f.endsWith(".mof")),
      // 1-load: the whole module folder (as the build assembles it) is copied into every build.
      runtime: sourceFiles(PACKAGE_ASSETS.runtime),
    };
    expect(wanted.templates.length).toBeGreaterThan(10);
    expect(wanted.dscSchemas.length).toBeGreaterThan(10);
    expect(wanted.runtime).toContain("lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psm1");
    for (const [asset, files] of Object.entries(wanted)) {
      expect(files.length, asset).toBeGreaterThan(0);
      expect(files.filter((f) => !paths.has(f)), `${asset}: missing from the tarball`).toEqual([]);
    }
  });

  it("has no way into the package folder but PACKAGE_ASSETS (besides the development .tools)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("compiler").filter((f) => f.endsWith(".ts") && f !== "compiler/util/package.ts")) {
      readFileSync(join(repoRoot, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          // An import of compiled code (e.g. stdlib/runtime/version.js) is no file read: tsc ships it in lib/.
          if (/^import .* from "[^"]+\.js";$/.test(line)) return;
          if (/fleetformPackage\(\)\.root|\.\.\/\.\.\/(schemas|stdlib\/(dsc|runtime))|import\.meta\.(url|dirname)/.test(line) && !line.includes('".tools"') && !/createRequire\(import\.meta\.url\)/.test(line)) {
            offenders.push(`${file}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(offenders, "read package files through packageAsset() (compiler/util/package.ts) so the package ships them").toEqual([]);
  });

  it("imports at run time only Node.js built-ins and its own dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const unknown = new Set<string>();
    for (const p of paths) {
      if (!p.endsWith(".js")) continue;
      // TypeScript's scanner: the import declarations, import() and require() calls of the file (not text that looks like one).
      const { importedFiles } = ts.preProcessFile(readFileSync(join(repoRoot, p), "utf8"), true, true);
      for (const { fileName: spec } of importedFiles) {
        if (spec.startsWith(".")) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (spec.startsWith("node:") || builtins.has(name) || name in pkg.dependencies) continue;
        unknown.add(`${p}: ${spec}`);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it("has no tests, golden outputs, sources, source maps or development files", () => {
    const unwanted = [...paths].filter(
      (p) =>
        /(^|\/)(tests?|golden|fixtures|examples|bench|scripts|\.tools|\.ci|\.config|node_modules)\//.test(p) ||
        /\.test\.[cm]?[jt]s$|\.Tests\.ps1$|\.map$/.test(p) ||
        (/\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p)) ||
        /(^|\/)(\.gitignore|\.gitattributes|tsconfig\.json|vitest\.config\.ts|package-lock\.json)$/.test(p),
    );
    expect(unwanted).toEqual([]);
    // A size guard: the whole package is well under a megabyte packed.
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it("resolves every link of README.md and the shipped docs inside the package", () => {
    const docs = [...paths].filter((p) => p.endsWith(".md"));
    expect(docs).toContain("README.md");
    expect(docs).toContain("docs/runtime.md");
    const text = (doc: string): string => readFileSync(join(repoRoot, doc), "utf8").replace(/```[\s\S]*?```/g, "");
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    const anchors = (doc: string): Set<string> =>
      new Set([...text(doc).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")));
    const broken: string[] = [];
    let links = 0;
    for (const doc of docs) {
      const targets = [...text(doc).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...text(doc).matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$/gm)].map((m) => m[1]!);
      for (const target of targets) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        links++;
        const [file = "", anchor] = target.split("#");
        const resolved = file === "" ? doc : posix.normalize(posix.join(posix.dirname(doc), decodeURIComponent(file))).replace(/\/$/, "");
        const exists = paths.has(resolved) || [...paths].some((p) => p.startsWith(`${resolved}/`));
        if (resolved.startsWith("../") || !exists) broken.push(`${doc}: ${target}`);
        else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
    expect(links).toBeGreaterThan(0);
    expect(broken, "links to files the package does not ship").toEqual([]);
  });
});

describe("a config repo that installs the tarball", () => {
  const repo = join(work, "users", "my-fleet");
  const twin = join(work, "twin", "my-fleet");
  const bin = join(repoRoot, "bin", "fleetform.js");
  let env: NodeJS.ProcessEnv;

  const npx = (args: readonly string[]) => run("npx", ["--no-install", "fleetform", ...args], repo, env);
  const inRepo = (args: readonly string[], cwd = repo) => run(process.execPath, [bin, ...args], cwd, env);
  const tree = (dir: string, skip: RegExp = /^(node_modules|\.git)\//): Map<string, Buffer> =>
    new Map(listFiles(dir).filter((f) => !skip.test(f)).map((f) => [f, readFileSync(join(dir, f))]));
  const git = (args: readonly string[]) => ok(run("git", ["-c", "user.name=Fleet User", "-c", "user.email=user@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], repo, env), `git ${args.join(" ")}`);

  beforeAll(() => {
    const info = pwshInfo();
    // How a user points fleetform at PowerShell 7 and Pester 5 (compiler/powershell/pwsh.ts: FLEETFORM_PWSH).
    env = userEnv({ FLEETFORM_PWSH: info.command.join(" "), PSModulePath: [info.modulePath, process.env.PSModulePath ?? ""].filter(Boolean).join(delimiter) });
    mkdirSync(repo, { recursive: true });
    git(["init", "-q"]);
    ok(run("npm", ["init", "-y"], repo, env), "npm init");
    // The local npm cache first (populated by `npm ci` of this checkout); the registry for the rest.
    ok(
      run("npm", ["install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", join(work, packed.filename), "typescript"], repo, env),
      "npm install",
    );
  }, 600_000);

  it("is installed as a copy, not a link to this checkout", () => {
    const installed = join(repo, "node_modules", "fleetform");
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(relative(repoRoot, realpathSync(installed)).startsWith("..")).toBe(true);
    expect(listFiles(installed)).toEqual([...paths].sort());
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(["fleetform", "typescript"]);
    expect(readdirSync(repo).sort()).toEqual([".git", "node_modules", "package-lock.json", "package.json"]);
  });

  it("init: writes the config repo next to package.json, node_modules and .git, as the checkout's CLI does", () => {
    // The same folder for the checkout's CLI: same name, same package.json and lock.
    mkdirSync(join(twin, "node_modules"), { recursive: true });
    mkdirSync(join(twin, ".git"));
    cpSync(join(repo, "package.json"), join(twin, "package.json"));
    cpSync(join(repo, "package-lock.json"), join(twin, "package-lock.json"));

    const packedInit = npx(["init"]);
    expect(packedInit.stderr).toBe("");
    expect(packedInit.code).toBe(0);
    expect(packedInit.stdout).toBe("fleetform: wrote a config repo to . (9 files; added to package.json). Next: npm install && npx fleetform setup && npx fleetform build && npx fleetform test\n");
    const checkoutInit = inRepo(["init"], twin);
    expect(checkoutInit).toEqual(packedInit);
    expect(tree(twin)).toEqual(tree(repo));

    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts).toEqual({ test: "fleetform build && fleetform test", build: "fleetform build", check: "fleetform check" });
    expect(pkg.devDependencies.fleetform).toBe(`file:../../${packed.filename}`);
    git(["add", "-A"]);
    git(["commit", "-q", "-m", "fleetform init"]);
    expect(git(["ls-files"]).split("\n")).not.toContain("node_modules/fleetform/package.json");
  }, 600_000);

  it("build: writes dist/ byte for byte as the checkout's CLI, with the 5.1 fragment check run", () => {
    const packedBuild = npx(["build"]);
    expect(packedBuild.stderr).toBe(""); // no FF3024 (fragments not parsed), no FF9001
    expect(packedBuild.code).toBe(0);
    expect(packedBuild.stdout).toMatch(/^fleetform: wrote \d+ files to dist \(2 modules, 1 configuration\)\n$/);
    const packedDist = tree(join(repo, "dist"));
    expect(packedDist.has("modules/Fleetform.Runtime/Fleetform.Runtime.psm1")).toBe(true);
    expect(packedDist.has("tests/Invoke-Tests.ps1")).toBe(true);
    expect(packedDist.has("codedeploy/scripts/after-install.ps1")).toBe(true);

    const checkoutBuild = inRepo(["build"]);
    expect(checkoutBuild).toEqual(packedBuild);
    expect(tree(join(repo, "dist"))).toEqual(packedDist);
  }, 600_000);

  it("check --json: no diagnostics; and a command Windows PowerShell 5.1 lacks is found, as the checkout finds it", () => {
    const packedCheck = npx(["check", "--json"]);
    expect(packedCheck.code).toBe(0);
    expect(JSON.parse(packedCheck.stdout)).toEqual({ ok: true, diagnostics: [], files: [], out: null });
    expect(inRepo(["check", "--json"])).toEqual(packedCheck);

    const file = join(repo, "modules", "app", "index.ts");
    const original = readFileSync(file, "utf8");
    const edited = original.replace("ps`Test-Path -LiteralPath ${path} -PathType Container`", "ps`(Get-Uptime).TotalDays -gt 0`");
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    try {
      const bad = npx(["check", "--json"]);
      expect(bad.code).toBe(1);
      const diagnostics = (JSON.parse(bad.stdout) as { diagnostics: { code: string; message: string; span?: { file: string } }[] }).diagnostics;
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.message).toContain("Get-Uptime");
      expect(diagnostics[0]!.span?.file).toBe("modules/app/index.ts");
      expect(inRepo(["check", "--json"])).toEqual(bad);
    } finally {
      writeFileSync(file, original);
    }
  }, 600_000);

  it("test: runs the generated Pester tests under pwsh and passes", () => {
    const r = npx(["test"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fleetform: all tests passed; JUnit report at \.fleetform\/test-results\/junit\.xml\n$/);
    const junit = readFileSync(join(repo, ".fleetform", "test-results", "junit.xml"), "utf8");
    expect((junit.match(/<testcase /g) ?? []).length).toBeGreaterThan(20);
    expect(junit).not.toMatch(/<failure/);
  }, 600_000);

  it("plan --base HEAD: after an edit, the same Markdown as the checkout's CLI; --fail-on-change exits 4", () => {
    const file = join(repo, "configurations", "web.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('data: "production"', 'data: "staging"'));
    const packedPlan = npx(["plan", "--base", "HEAD"]);
    expect(packedPlan.stderr).toBe("");
    expect(packedPlan.code).toBe(0);
    expect(packedPlan.stdout).toContain('"production"');
    expect(packedPlan.stdout).toContain('"staging"');
    expect(inRepo(["plan", "--base", "HEAD"])).toEqual(packedPlan);

    const failing = npx(["plan", "--base", "HEAD", "--fail-on-change", "--no-typecheck"]);
    expect(failing.code).toBe(4);
    expect(failing.stdout).toBe(packedPlan.stdout);
  }, 600_000);

  it("plan --base HEAD --require-pwsh: the base (a git ref) is checked with the pwsh of the repo's `fleetform setup`, not only on PATH or FLEETFORM_PWSH", () => {
    // .fleetform/tools/pwsh.json as setup writes it (the .tools of this checkout: the same pwsh and
    // Pester), and no FLEETFORM_PWSH: the installed package has no .tools of its own to fall back on.
    const tools = join(repo, ".fleetform", "tools");
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(repo, ".fleetform", ".gitignore"), "*\n");
    writeFileSync(join(tools, "pwsh.json"), JSON.stringify(pwshInfo(), null, 2));
    const { FLEETFORM_PWSH: _, ...withoutEnv } = env;
    try {
      const r = run("npx", ["--no-install", "fleetform", "plan", "--base", "HEAD", "--require-pwsh", "--no-typecheck"], repo, withoutEnv);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    } finally {
      rmSync(join(repo, ".fleetform"), { recursive: true, force: true });
    }
  }, 600_000);

  it("exit codes: usage 2; bad input 1, leaving dist/ as it was", () => {
    const usage = npx(["frobnicate"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown command 'frobnicate'");
    const before = tree(join(repo, "dist"));
    expect(before.size).toBeGreaterThan(20);
    writeFileSync(join(repo, "fleetform.config.ts"), "export default 42;\n");
    const r = npx(["build", "--no-typecheck"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^fleetform\.config\.ts:\d+:\d+: error FF1002: /);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(inRepo(["build", "--no-typecheck"])).toEqual(r);
    expect(tree(join(repo, "dist"))).toEqual(before);
  }, 600_000);

  it("a broken installation: names the missing file, exit 3, no stack trace, dist/ as it was", () => {
    git(["checkout", "--", "fleetform.config.ts"]);
    const before = tree(join(repo, "dist"));
    rmSync(join(repo, "node_modules", "fleetform", PACKAGE_ASSETS.runtime), { recursive: true });
    const r = npx(["build", "--no-typecheck"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error FF9001: internal error: fleetform's installation is incomplete: lib/stdlib/runtime/Fleetform.Runtime is missing from ${realpathSync(join(repo, "node_modules", "fleetform"))} (reinstall fleetform)\n`);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(tree(join(repo, "dist"))).toEqual(before);
  }, 600_000);
});
