// What one build keeps for the next (`fleetform build --watch`): load's evaluator with every file it
// evaluated, and results of the phases (ctx.memo) keyed by the objects they were made from. A file
// that changes is evaluated again; a definition it makes the same as last time is the last time's
// object (phases/1-load/reuse.ts), and a file that imports it is evaluated again only when a name it
// imports has a new value. So an unchanged definition keeps its identity and everything made from it
// is reused. fleetform.config.ts (or a file it imports) changing starts afresh.
//
// What this assumes: evaluating a file affects only the values it exports (no file changes another
// file's module-level state). Reuse never skips a check that looks across modules: those run on
// every build.
import type { CompileContext, KeptLoader, SessionCache } from "../phases/context.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { glob } from "../util/glob.js";

/** A result and the diagnostics made while computing it, valid while `key` is unchanged. */
export interface Kept<T> {
  readonly key: readonly unknown[];
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

export class BuildCache implements SessionCache {
  #loader: KeptLoader | undefined;
  #config: string | undefined;
  /** Results keyed by an object of the build (a definition, an IR node), per kind of result. */
  #kept = new Map<string, WeakMap<object, Kept<unknown>>>();
  /** Results kept by name: they outlive the objects of the build that made them. */
  #named = new Map<string, Kept<unknown>>();
  /**
   * Results keyed by text (PowerShell's findings per fragment), per kind: this build's and the last
   * one's. Kept by reset(). (By the text itself: a text kept from the last build has its hash already,
   * where a key made by joining the kind to it would be hashed again, whole, on every look-up.)
   */
  #byText = new Map<string, Map<string, unknown>>();
  #byTextBefore = new Map<string, Map<string, unknown>>();
  /** Glob results, kept until a file is added, removed or renamed (see listingsChanged). */
  #globs = new Map<string, string[]>();
  /** Answers about which files there are (an import's resolution), by kind and key, kept like the globs. */
  #listed = new Map<string, string>();
  /** Files evaluated again by the last build (all of them when it started afresh). */
  forgotten: ReadonlySet<string> | "all" = "all";

  /** The loader for a build: the kept one, refreshed, unless the config file changed. */
  loader<L extends KeptLoader>(ctx: CompileContext, configPath: string, create: () => L): L {
    if (this.#loader && this.#config === configPath) {
      const forgotten = this.#loader.refresh(ctx, configPath);
      if (!forgotten.has(configPath)) {
        this.forgotten = forgotten;
        // The one loader load keeps is the one it created (below).
        return this.#loader as L;
      }
    }
    this.reset();
    const loader = create();
    this.#loader = loader;
    this.#config = configPath;
    return loader;
  }

  /** Forgets everything (a file was added or removed, or the config changed). */
  reset(): void {
    this.#loader = undefined;
    this.#config = undefined;
    this.#kept = new Map();
    this.#named = new Map();
    this.#globs = new Map();
    this.#listed = new Map();
    this.forgotten = "all";
  }

  /** The watcher saw a file added, removed or renamed: globs are matched and imports resolved again. */
  listingsChanged(): void {
    this.#globs = new Map();
    this.#listed = new Map();
  }

  glob(root: string, pattern: string): string[] {
    const key = `${root}\0${pattern}`;
    let files = this.#globs.get(key);
    if (!files) this.#globs.set(key, (files = glob(root, pattern)));
    return files;
  }

  listed(kind: string, key: string, compute: () => string | undefined): string | undefined {
    const named = `${kind}\0${key}`;
    let found = this.#listed.get(named);
    if (found === undefined) {
      found = compute();
      if (found !== undefined) this.#listed.set(named, found);
    }
    return found;
  }

  /** Called when a build starts: text-keyed results not asked for by the last two builds are dropped. */
  nextBuild(): void {
    this.#byTextBefore = this.#byText;
    this.#byText = new Map();
  }

  /** Whether the kept loader has read this file (the watcher starts afresh for a new one). */
  knows(path: string): boolean {
    return this.#loader?.sources.has(path) ?? false;
  }

  /** Whether memo() with these arguments would reuse a result. */
  reuses(kind: string, owner: object | string, key: readonly unknown[]): boolean {
    const { kept } = this.#slot(kind, owner);
    return kept !== undefined && sameKey(kept.key, key);
  }

  /**
   * `compute()`'s result for `owner`, reused while every element of `key` is the same (===) as when
   * it was computed; the diagnostics it added are added again on reuse. A result kept by name (a
   * string owner) outlives the objects of the build that made it.
   */
  memo<T>(ctx: CompileContext, kind: string, owner: object | string, key: readonly unknown[], compute: () => T): T {
    const { kept, keep } = this.#slot(kind, owner);
    if (kept && sameKey(kept.key, key)) {
      for (const d of kept.diagnostics) ctx.diagnostics.add(d);
      return kept.value as T;
    }
    const { value, diagnostics } = ctx.diagnostics.record(compute);
    keep({ key, value, diagnostics });
    return value;
  }

  /** What is kept for `owner` of `kind` (by name for a string owner), and how to keep a new result. */
  #slot(kind: string, owner: object | string): { kept: Kept<unknown> | undefined; keep: (k: Kept<unknown>) => void } {
    if (typeof owner === "string") {
      const named = `${kind}\0${owner}`;
      return { kept: this.#named.get(named), keep: (k) => this.#named.set(named, k) };
    }
    let map = this.#kept.get(kind);
    if (!map) this.#kept.set(kind, (map = new WeakMap()));
    const owned = map;
    return { kept: owned.get(owner), keep: (k) => owned.set(owner, k) };
  }

  /** A result computed from a text alone. */
  memoText<T>(kind: string, text: string, compute: () => T): T {
    let now = this.#byText.get(kind);
    if (!now) this.#byText.set(kind, (now = new Map()));
    if (now.has(text)) return now.get(text) as T;
    const before = this.#byTextBefore.get(kind);
    const value = before?.has(text) ? (before.get(text) as T) : compute();
    now.set(text, value);
    return value;
  }

  /** Whether a text-keyed result is there (without computing it). */
  hasText(kind: string, text: string): boolean {
    return (this.#byText.get(kind)?.has(text) ?? false) || (this.#byTextBefore.get(kind)?.has(text) ?? false);
  }
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
