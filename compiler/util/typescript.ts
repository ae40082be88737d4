// TypeScript's compiler API (the copy ts-morph bundles), loaded when first needed: loading it is
// the largest part of fleetform's start-up (about 0.4 s of CPU), and a build whose sources' spans
// and imports all come from the build cache parses nothing. Only typescript.js itself is loaded,
// not ts-morph's own layers over it (ts-morph.js, ts-morph-common.js), which nothing here uses.
//
// With the persistent build cache, typescript.js is compiled with V8's code cache of it (made once a
// build has used it, so it holds the parser's functions too, not only the file's top level): most
// of loading it is V8 compiling its 9 MB. It is still the module object Node.js's require() would
// make (in require's cache under the same file name, for ts-morph to find).
//
// Use: `import type { ts } from "ts-morph"` for the types, and `const ts = typescript();` in the
// function that needs the values (a local const shadows only the import's value meaning).
import { isAscii } from "node:buffer";
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";
import type { ts as TypeScript } from "ts-morph";
import type { DiskStore } from "../phases/context.js";
import { compileWithCodeCache, keepCodeCache } from "./code-cache.js";
import { keyOf } from "./hash.js";

let loaded: typeof TypeScript | undefined;
/** How long loading it took (ms), once loaded. */
let loadTime: number | undefined;

/** The persistent cache the code cache is read from and kept in (none: a plain require). */
let store: DiskStore | undefined;
/** typescript.js compiled without an accepted code cache, whose code cache keepTypescriptCode() keeps. */
let uncached: { readonly store: DiskStore; readonly key: string; readonly script: vm.Script } | undefined;

/** Whether typescript.js was compiled with V8's code cache from the persistent cache. */
let codeCacheTaken = false;

/** The cache kind of typescript.js's code cache. */
const TYPESCRIPT_CODE = "typescript-code";

/**
 * The persistent cache that loading TypeScript reads V8's code cache from, and keepTypescriptCode()
 * keeps it in; undefined (--no-cache, a watch session): typescript.js is loaded by a plain require.
 */
export function useTypescriptCodeCache(cache: DiskStore | undefined): void {
  store = cache;
}

export function typescript(): typeof TypeScript {
  if (!loaded) {
    const started = performance.now();
    const require = createRequire(import.meta.url);
    // (ts-morph's dependency, found from ts-morph itself: the copy behind ts-morph's `ts`)
    const fromTsMorph = createRequire(require.resolve("ts-morph"));
    const file = fromTsMorph.resolve("@ts-morph/common/dist/typescript.js");
    loaded = ((store && !fromTsMorph.cache[file] && loadWithCodeCache(file, store)) || fromTsMorph(file)) as typeof TypeScript;
    loadTime = performance.now() - started;
  }
  return loaded;
}

/**
 * typescript.js run as CommonJS, as require() runs it, but compiled with V8's code cache kept for
 * this file's bytes (and this Node.js), or undefined when it cannot be compiled here (then required
 * as usual). A code cache V8 does not accept is a miss: V8 compiles the code afresh.
 */
function loadWithCodeCache(file: string, disk: DiskStore): unknown {
  let script: vm.Script;
  try {
    const bytes = readFileSync(file);
    // typescript.js is ASCII, which read as Latin-1 is the same text without UTF-8's decoding
    // (about a third of the time of a require's read of it).
    const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
    const key = keyOf("typescript.js", file, bytes, process.version, process.arch);
    // (require's wrapper: the module's own `exports`, `require`, `module`, `__filename`, `__dirname`)
    ({ script, taken: codeCacheTaken } = compileWithCodeCache(disk, TYPESCRIPT_CODE, key, Module.wrap(source), file));
    uncached = codeCacheTaken ? undefined : { store: disk, key, script };
  } catch {
    return undefined;
  }
  const module = new Module(file);
  module.filename = file;
  const require = createRequire(file);
  module.paths = require.resolve.paths("typescript") ?? [];
  require.cache[file] = module;
  try {
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(module.exports, module.exports, require, module, file, dirname(file));
  } catch (e) {
    delete require.cache[file];
    uncached = undefined;
    throw e;
  }
  module.loaded = true;
  return module.exports;
}

/**
 * Keeps V8's code cache of typescript.js in the persistent cache, when this process compiled it
 * without one. Called once the build is done, so that it holds the functions the build ran.
 */
export function keepTypescriptCode(): void {
  const compiled = uncached;
  uncached = undefined;
  if (compiled) keepCodeCache(compiled.store, TYPESCRIPT_CODE, compiled.key, compiled.script);
}

/** Whether this process compiled typescript.js with V8's code cache of it (kept by an earlier one). */
export function typescriptCodeCacheTaken(): boolean {
  return codeCacheTaken;
}

/** The milliseconds loading TypeScript took in this process, or undefined when nothing needed it. */
export function typescriptLoadTime(): number | undefined {
  return loadTime;
}
