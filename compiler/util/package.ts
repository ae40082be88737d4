import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

let cached: { root: string; version: string } | undefined;

/**
 * fleetform's own package folder and version. The compiler runs from lib/ (the installed package,
 * `node bin/fleetform.js`) or from its TypeScript sources (the tests), at different depths below
 * the package folder, so the folder is found by walking up to the package.json named "fleetform"
 * (the nearest one: an installed copy in node_modules/fleetform wins over a config repo above it).
 */
export function fleetformPackage(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "fleetform") return (cached = { root: dir, version: pkg.version ?? "0.0.0" });
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find fleetform's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/**
 * A file's path relative to fleetform's package folder, "/"-separated (for naming a place in
 * fleetform's own code, e.g. in FF9001), or undefined when the package cannot be found. Not for
 * reading files: those go through packageAsset().
 */
export function packageRelative(file: string): string | undefined {
  try {
    return relative(fleetformPackage().root, file).split(sep).join("/");
  } catch {
    return undefined;
  }
}

/**
 * Every file and folder of the package that the compiler reads at run time besides its code, by
 * path from the package folder. They stay where they are in the source tree, except the runtime
 * module, which `npm run build` assembles into lib/ from its sources (scripts/build-runtime.mjs);
 * package.json's "files" ships each of them; test/e2e/package.test.ts checks the packed tarball
 * against this list, and that nothing reads the package folder another way.
 */
export const PACKAGE_ASSETS = {
  /** The Handlebars templates and partials of the emitters (`<target>/<name>.hbs`). */
  templates: "compiler/phases/4-emit",
  /** PowerShell's parse and Windows PowerShell 5.1 check of every fragment, run under pwsh. */
  fragmentCheck: "compiler/powershell/check-fragments.ps1",
  /** The per-text work of check-fragments.ps1, compiled C# (kept in the cache as an assembly). */
  fragmentCheckCode: "compiler/powershell/FragmentCheck.cs",
  /** PowerShell's parse of every generated file, dot-sourced by check-fragments.ps1 in the same process. */
  fileCheck: "compiler/powershell/parse-files.ps1",
  /** Windows PowerShell 5.1's in-box commands, parameters and aliases (scripts/gen-ps51-inventory.mjs). */
  ps51Inventory: "compiler/powershell/ps51-inventory.json",
  /** The JSON Schema every SSM document is validated against. */
  ssmSchema: "schemas/ssm-command-document-2.2.schema.json",
  /** DSC's in-box MOF classes (MSFT_*.schema.mof), for validating DSC documents. */
  dscSchemas: "stdlib/dsc/schemas",
  /** The runtime module copied into every build's output, as `npm run build` assembles it from stdlib/runtime/src. */
  runtime: "lib/stdlib/runtime/Fleetform.Runtime",
} as const;

export type PackageAsset = keyof typeof PACKAGE_ASSETS;

/** A file of the package is missing: the installation is broken, not the compiler (no stack trace). */
export class PackageIncomplete extends Error {}

/**
 * The absolute path of one of PACKAGE_ASSETS. Throws, naming the missing path, when the package
 * is incomplete (a broken installation), instead of letting a read fail later with a bare ENOENT
 * or, worse, a folder be read as empty.
 */
export function packageAsset(asset: PackageAsset): string {
  const { root } = fleetformPackage();
  const path = join(root, PACKAGE_ASSETS[asset]);
  if (!existsSync(path)) {
    throw new PackageIncomplete(`fleetform's installation is incomplete: ${PACKAGE_ASSETS[asset]} is missing from ${root} (reinstall fleetform)`);
  }
  return path;
}

let fingerprint: string | undefined;

/**
 * What the persistent build cache's entries are valid for (compiler/driver/cache.ts): fleetform's version
 * and the bytes of its own code (the folder this compiler runs from: lib/ when installed, the
 * sources in development) and of every PACKAGE_ASSETS file, the versions of TypeScript and
 * esbuild, and Node.js's version. Computed once per process.
 */
export function cacheFingerprint(): string {
  if (fingerprint) return fingerprint;
  const { root, version } = fleetformPackage();
  const h = createHash("sha256");
  h.update(`fleetform ${version}\0node ${process.version}\0`);
  const require = createRequire(join(root, "package.json"));
  for (const dep of ["typescript", "esbuild"]) {
    try {
      h.update(`${dep} ${(JSON.parse(readFileSync(require.resolve(`${dep}/package.json`), "utf8")) as { version?: string }).version}\0`);
    } catch {
      h.update(`${dep} missing\0`);
    }
  }
  // The code: <code>/compiler and <code>/stdlib, where <code> is lib/ or the package folder.
  const code = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const files = (dir: string): string[] => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return existsSync(dir) ? [dir] : [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== "node_modules")
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  };
  const all = [...files(join(code, "compiler")), ...files(join(code, "stdlib")), ...Object.values(PACKAGE_ASSETS).flatMap((a) => files(join(root, a)))];
  for (const file of all) {
    if (code !== root && file.startsWith(code) && !/\.(js|json)$/.test(file)) continue;
    h.update(`${file.slice(root.length)}\0`);
    h.update(readFileSync(file));
  }
  return (fingerprint = h.digest("hex"));
}
