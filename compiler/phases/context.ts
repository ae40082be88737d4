// What every phase receives: the options, the diagnostics bag, the sources read, timings, and
// `memo`, through which a phase lets a watch session reuse a result of the last build. The driver
// (compiler/driver/) makes the context; the phases see the caches it holds only through the
// interfaces below, and import nothing of the driver.
import { relative, sep } from "node:path";
import { DiagnosticBag } from "../diagnostics/diagnostic.js";
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

/**
 * What memo() compares: each element by identity (===). A function is called only in a watch
 * session, for a key that costs something to compute (a JSON text): a one-off build never needs it.
 */
export type MemoKey = readonly unknown[] | (() => readonly unknown[]);

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
  /**
   * `compute()`; in a watch session, what it returned for `owner` (an object of this build, or a
   * name) in an earlier build while every element of `key` is the same, with the diagnostics it
   * added added again. Without a session it simply computes.
   */
  memo<T>(kind: string, owner: object | string, key: MemoKey, compute: () => T): T;
  /** Whether memo() with these arguments would reuse a result (never outside a watch session). */
  reuses(kind: string, owner: object | string, key: MemoKey): boolean;
  /** A result computed from a text alone (PowerShell's findings): in a watch session, kept by text. */
  memoText<T>(kind: string, text: string, compute: () => T): T;
  /** What the previous build of a watch session left to reuse; absent in a one-off build. */
  readonly cache?: SessionCache;
  /** The persistent cache (compiler/driver/cache.ts) and the digest of this build's inputs; absent with --no-cache. */
  readonly disk?: PersistentCache;
}

/**
 * What a watch session keeps between builds (compiler/driver/incremental.ts's BuildCache), as the
 * phases see it.
 */
export interface SessionCache {
  /** See CompileContext.memo (`key` already computed). */
  memo<T>(ctx: CompileContext, kind: string, owner: object | string, key: readonly unknown[], compute: () => T): T;
  /** See CompileContext.reuses (`key` already computed). */
  reuses(kind: string, owner: object | string, key: readonly unknown[]): boolean;
  /** See CompileContext.memoText. */
  memoText<T>(kind: string, text: string, compute: () => T): T;
  /** Whether a text-keyed result is there (without computing it). */
  hasText(kind: string, text: string): boolean;
  /** Load's loader (the evaluator with every file it read), kept and refreshed unless the config file changed; else `create()`'s. */
  loader<L extends KeptLoader>(ctx: CompileContext, configPath: string, create: () => L): L;
  /** Files the last loader() call forgot (evaluated again); "all" when it started afresh. */
  readonly forgotten: ReadonlySet<string> | "all";
  /** glob(root, pattern), kept until a file is added, removed or renamed. */
  glob(root: string, pattern: string): string[];
  /** `compute()`'s answer about which files there are (undefined is not kept), kept until a file is added, removed or renamed. */
  listed(kind: string, key: string, compute: () => string | undefined): string | undefined;
}

/** What a session keeps of load's loader. */
export interface KeptLoader {
  /** Forgets every file changed since it read it (and the files that import one); returns them. */
  refresh(ctx: CompileContext, configPath: string): ReadonlySet<string>;
  /** The files it has read, by absolute path. */
  readonly sources: ReadonlyMap<string, unknown>;
}

/** The persistent cache's entries, by kind and key (compiler/driver/cache.ts's DiskCache). */
export interface DiskStore {
  get<T>(kind: string, key: string): T | undefined;
  put(kind: string, key: string, value: unknown): void;
  /** The same for bytes (not JSON): V8's code caches. */
  getBytes(kind: string, key: string): Buffer | undefined;
  putBytes(kind: string, key: string, body: Uint8Array): void;
  /** Where an entry kept as a file of its own lives. */
  path(kind: string, key: string): string;
}

export interface PersistentCache {
  readonly cache: DiskStore;
  /** inputDigest() of the config repo, taken when the build started. */
  readonly inputs: string;
  /**
   * The same digest without the texts of the author's TypeScript sources (inputDigests()'s
   * `others`): with the texts of the sources a result comes from, its key. Absent: such results are not kept.
   */
  readonly others?: string;
}

export function createContext(options: ResolvedOptions, cache?: SessionCache, disk?: PersistentCache): CompileContext {
  const timings = new Map<TimingStep, number>();
  // (each path made relative once: a build asks for the same few hundred files' thousands of times)
  const rels = new Map<string, string>();
  return {
    options,
    ...(cache ? { cache } : {}),
    ...(disk ? { disk } : {}),
    diagnostics: new DiagnosticBag(),
    sources: new Map(),
    rel: (path) => {
      let rel = rels.get(path);
      if (rel === undefined) rels.set(path, (rel = relative(options.root, path).split(sep).join("/")));
      return rel;
    },
    timings,
    time(step, run) {
      const start = performance.now();
      try {
        return run();
      } finally {
        timings.set(step, (timings.get(step) ?? 0) + performance.now() - start);
      }
    },
    // `this`: a copy of the context with a bag of its own ({ ...ctx, diagnostics }) records into that bag.
    memo(kind, owner, key, compute) {
      return cache ? cache.memo(this, kind, owner, typeof key === "function" ? key() : key, compute) : compute();
    },
    reuses(kind, owner, key) {
      return cache ? cache.reuses(kind, owner, typeof key === "function" ? key() : key) : false;
    },
    memoText(kind, text, compute) {
      return cache ? cache.memoText(kind, text, compute) : compute();
    },
  };
}
