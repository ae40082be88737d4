// In-process builds with and without the persistent cache, for the tests of what it keeps
// (test/e2e/kept-results.test.ts, kept-lowering.test.ts): compile() of lib/, as the CLI calls it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./pwsh.js";
import type { CompileResult } from "../../compiler/driver/compile.js";
import type { PersistentCache } from "../../compiler/phases/context.js";

export type Compile = (options: { root: string; typecheck?: boolean; pwshCheck?: boolean; noCache?: boolean; requirePwsh?: boolean }, cache?: undefined, disk?: PersistentCache) => Promise<CompileResult>;
interface CacheModule {
  DiskCache: { open(dir?: string): PersistentCache["cache"] & { dir: string } };
  inputDigests(root: string, cacheDir: string): { inputs: string; others: string };
}

/** lib/'s compile() and persistent cache (what `npm run build` made). */
export async function loadLib(): Promise<{ compile: Compile; cacheModule: CacheModule }> {
  const compile = ((await import(pathToFileURL(join(repoRoot, "lib", "compiler", "driver", "compile.js")).href)) as { compile: Compile }).compile;
  const cacheModule = (await import(pathToFileURL(join(repoRoot, "lib", "compiler", "driver", "cache.js")).href)) as CacheModule;
  return { compile, cacheModule };
}

/** A build of `root` with the persistent cache in `cacheDir`, as the CLI makes one. */
export async function cachedBuild(root: string, cacheDir: string, options: Omit<Parameters<Compile>[0], "root">): Promise<CompileResult> {
  const { compile, cacheModule } = await loadLib();
  const cache = cacheModule.DiskCache.open(cacheDir);
  return compile({ root, ...options }, undefined, { cache, ...cacheModule.inputDigests(root, cache.dir) });
}

/** A build of `root` without the persistent cache handed in (with `noCache`, none at all). */
export async function plainBuild(root: string, options: Omit<Parameters<Compile>[0], "root">): Promise<CompileResult> {
  return (await loadLib()).compile({ root, ...options });
}

/** What a build gives: every file's bytes (base64) and the diagnostics, as data to compare. */
export function outcome(result: CompileResult): { ok: boolean; files: Record<string, string>; diagnostics: unknown } {
  return {
    ok: result.ok,
    files: Object.fromEntries(result.files.map((f) => [f.path, Buffer.from(f.content).toString("base64")])),
    diagnostics: result.diagnostics,
  };
}

/** Writes a config repo's files (path → text) under `root`. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

// Without the type check and pwsh (both reused by content already, tested in cache.test.ts): what
// is compared is what fleetform computes itself.
export const OPTIONS = { typecheck: false, pwshCheck: false } as const;
