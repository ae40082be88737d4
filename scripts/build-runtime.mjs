// Assembles the runtime module Fleetform.Runtime from its sources (stdlib/runtime/src, one file per
// concern) into lib/stdlib/runtime/Fleetform.Runtime: one .psm1 (the sources in RUNTIME_SOURCES
// order, each between #region and #endregion lines naming it) and the .psd1 with the version of
// stdlib/runtime/version.ts and the GUID the compiler gives the name. Run by `npm run build` after tsc (it reads the compiled version.js);
// test/setup/runtime.ts runs it before the tests so they never test a stale module. The output
// is a function of the sources alone: no time, no path, no host; LF line endings as in the sources.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RUNTIME_NAME = "Fleetform.Runtime";
export const SOURCE_DIR = join(root, "stdlib", "runtime", "src");
export const OUTPUT_DIR = join(root, "lib", "stdlib", "runtime", RUNTIME_NAME);

/**
 * The sources of the .psm1, in the order they are joined. module.ps1 comes first (strict mode and
 * the constants every part uses), exports.ps1 last (Export-ModuleMember); PowerShell resolves a
 * function when it is called, so the order of the others is only the order a reader meets them.
 */
export const RUNTIME_SOURCES = [
  "module.ps1",
  "errors.ps1",
  "secrets.ps1",
  "folders.ps1",
  "logging.ps1",
  "blocks.ps1",
  "reboot-guard.ps1",
  "resource-steps.ps1",
  "run.ps1",
  "compliance.ps1",
  "instance-metadata.ps1",
  "values.ps1",
  "modules.ps1",
  "dsc.ps1",
  "exports.ps1",
];

const MANIFEST = `${RUNTIME_NAME}.psd1`;
const VERSION_HOLE = "'{{version}}'";
const GUID_HOLE = "'{{guid}}'";
// The module's GUID is the compiler's for the name (what generated manifests that require the
// runtime name), from the compiled compiler/util/hash.ts (tsc runs first in npm run build).
const { moduleGuid } = await import(pathToFileURL(join(root, "lib", "compiler", "util", "hash.js")).href);

/** The module's files (name -> text) built from the sources in `sourceDir` and the version. */
export function assembleRuntime(version, sourceDir = SOURCE_DIR) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`the runtime's version must be major.minor.patch, not ${JSON.stringify(version)}`);
  const present = readdirSync(sourceDir).filter((f) => f !== MANIFEST).sort();
  const unlisted = present.filter((f) => !RUNTIME_SOURCES.includes(f));
  const missing = RUNTIME_SOURCES.filter((f) => !present.includes(f));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new Error(`${sourceDir}: ${[...unlisted.map((f) => `${f} is not in RUNTIME_SOURCES (scripts/build-runtime.mjs)`), ...missing.map((f) => `${f} is missing`)].join("; ")}`);
  }
  const read = (file) => {
    const text = readFileSync(join(sourceDir, file), "utf8");
    if (text.includes("\r")) throw new Error(`${file}: CR in the source (the runtime's sources have LF line endings)`);
    if (!text.endsWith("\n") || text.endsWith("\n\n")) throw new Error(`${file}: the source must end with exactly one newline`);
    return text;
  };
  const parts = RUNTIME_SOURCES.map((file) => `#region ${file}\n\n${read(file)}\n#endregion\n`);
  const psm1 = `# Built by npm run build (scripts/build-runtime.mjs) from stdlib/runtime/src: edit the sources there.\n\n${parts.join("\n")}`;
  const template = read(MANIFEST);
  if (template.split(VERSION_HOLE).length !== 2) throw new Error(`${MANIFEST}: expected one ModuleVersion = ${VERSION_HOLE}`);
  if (template.split(GUID_HOLE).length !== 2) throw new Error(`${MANIFEST}: expected one GUID = ${GUID_HOLE}`);
  const psd1 = template.replace(VERSION_HOLE, `'${version}'`).replace(GUID_HOLE, `'${moduleGuid(RUNTIME_NAME)}'`);
  return { [MANIFEST]: psd1, [`${RUNTIME_NAME}.psm1`]: psm1 };
}

/**
 * Writes the module into `outDir`, replacing what was there; a file whose text is unchanged is
 * not rewritten (watchers and the build cache see no change). Returns the names of files written.
 */
export function writeRuntime(version, outDir = OUTPUT_DIR, sourceDir = SOURCE_DIR) {
  const files = assembleRuntime(version, sourceDir);
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(outDir)) if (!(name in files)) rmSync(join(outDir, name), { recursive: true, force: true });
  const written = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    let old;
    try {
      old = readFileSync(path, "utf8");
    } catch {
      old = undefined;
    }
    if (old === text) continue;
    // Through a temporary file: a reader (a test, the compiler) never sees half a module.
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    written.push(name);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // The compiled stdlib/runtime/version.ts (tsc runs first in npm run build).
  const { RUNTIME_VERSION } = await import(pathToFileURL(join(root, "lib", "stdlib", "runtime", "version.js")).href);
  writeRuntime(RUNTIME_VERSION);
}
