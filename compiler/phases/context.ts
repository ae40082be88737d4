import { relative, sep } from "node:path";
import { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { BuildCache } from "../driver/incremental.js";
import type { DiskCache } from "../driver/cache.js";
import type { ResolvedOptions } from "./options.js";

/** The steps a build times, for `--timings` and bench/ (a step that did not run is absent). */
export const TIMING_STEPS = [
  "load",
  "load: refresh",
  "load: glob",
  "load: transpile",
  "load: imports",
  "typecheck (wait)",
  "check",
  "check: modules",
  "check: module graph",
  "check: definitions",
  "check: configurations",
  "check: stack",
  "lower",
  "emit",
  "pwsh fragment check (wait)",
  "pwsh file check",
  "verify",
] as const;
export type TimingStep = (typeof TIMING_STEPS)[number];

/** Passed to every phase: options, the diagnostics bag, and the text of every source read. */
export interface CompileContext {
  readonly options: ResolvedOptions;
  readonly diagnostics: DiagnosticBag;
  /** Source texts by repo-relative path, for code frames. */
  readonly sources: Map<string, string>;
  /** Repo-relative, forward-slash path of an absolute path. */
  rel(path: string): string;
  /** Milliseconds spent per step, for `--timings` and bench/. */
  readonly timings: Map<TimingStep, number>;
  /** Runs a step and adds its duration to `timings`. */
  time<T>(step: TimingStep, run: () => T): T;
  /** What the previous build of a watch session left to reuse. */
  readonly cache?: BuildCache;
  /** The persistent cache (compiler/driver/cache.ts) and the digest of this build's inputs; absent with --no-cache. */
  readonly disk?: PersistentCache;
}

export interface PersistentCache {
  readonly cache: DiskCache;
  /** inputDigest() of the config repo, taken when the build started. */
  readonly inputs: string;
}

export function createContext(options: ResolvedOptions, cache?: BuildCache, disk?: PersistentCache): CompileContext {
  const timings = new Map<TimingStep, number>();
  return {
    options,
    ...(cache ? { cache } : {}),
    ...(disk ? { disk } : {}),
    diagnostics: new DiagnosticBag(),
    sources: new Map(),
    rel: (path) => relative(options.root, path).split(sep).join("/"),
    timings,
    time(step, run) {
      const start = performance.now();
      try {
        return run();
      } finally {
        timings.set(step, (timings.get(step) ?? 0) + performance.now() - start);
      }
    },
  };
}
