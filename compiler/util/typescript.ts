// TypeScript's compiler API (the copy ts-morph bundles), loaded when first needed: loading it is
// the largest part of fleetform's start-up (about 0.4 s of CPU), and a build whose sources' spans
// and imports all come from the build cache parses nothing. Only typescript.js itself is loaded,
// not ts-morph's own layers over it (ts-morph.js, ts-morph-common.js), which nothing here uses.
//
// Use: `import type { ts } from "ts-morph"` for the types, and `const ts = typescript();` in the
// function that needs the values (a local const shadows only the import's value meaning).
import { createRequire } from "node:module";
import type { ts as TypeScript } from "ts-morph";

let loaded: typeof TypeScript | undefined;
/** How long loading it took (ms), once loaded. */
let loadTime: number | undefined;

export function typescript(): typeof TypeScript {
  if (!loaded) {
    const started = performance.now();
    const require = createRequire(import.meta.url);
    // (ts-morph's dependency, found from ts-morph itself: the copy behind ts-morph's `ts`)
    const fromTsMorph = createRequire(require.resolve("ts-morph"));
    loaded = fromTsMorph("@ts-morph/common/dist/typescript.js") as typeof TypeScript;
    loadTime = performance.now() - started;
  }
  return loaded;
}

/** The milliseconds loading TypeScript took in this process, or undefined when nothing needed it. */
export function typescriptLoadTime(): number | undefined {
  return loadTime;
}
