// A module's lowering kept in the persistent cache (ctx.disk), for the next build in a new process:
// its IR, what its fragments use (for the import check) and the diagnostics lowering it made, keyed
// by exactly what it is computed from: the texts of the sources its definitions come from (its own
// files, the files whose evaluation made its definitions, e.g. through a factory, and every file they
// import, transitively), the definitions that are its own (by name and
// site: which module owns a shared file can change without a text of it changing), its layer and the
// modules it requires, the evaluation time limit, and every other input of the build but the
// author's TypeScript texts (PersistentCache.others: the repo's other files, the installed
// packages). fleetform's own code is the cache folder's fingerprint.
//
// What this assumes, as the build cache does: evaluating a file depends on the texts of the files it
// imports and on the rest of the repo, not on the machine or the moment (a callback that timed out
// is not kept). A file a callback `require()`s is not imported: a lowering whose callbacks required
// one that the key does not name is not kept either.
import { resolve } from "node:path";
import type { FnDef } from "../../../stdlib/api/define.js";
import type { Site } from "../../../stdlib/api/brand.js";
import type { Diagnostic, Span } from "../../diagnostics/diagnostic.js";
import { messages } from "../../diagnostics/messages.js";
import { keyOf, sha256 } from "../../util/hash.js";
import { closure } from "../1-load/invalidation.js";
import type { CompileContext } from "../context.js";
import type { Checked } from "../2-check/index.js";
import type { CheckedModule } from "../2-check/definitions.js";
import type { Uses } from "./fragments.js";
import type * as ir from "./ir.js";

/** What a module's fragments use, as data: each fn called (by name and site) with its first call, each extern's file. */
interface UsedByModule {
  readonly fns: readonly (readonly [name: string, site: string, span: Span | null])[];
  /** Repo-relative file of each extern's definition (null: unknown). */
  readonly externs: readonly (string | null)[];
}

export interface KeptModule {
  readonly module: ir.Module;
  readonly used: UsedByModule;
  readonly diagnostics: readonly Diagnostic[];
}

/** The key each module's IR was lowered (or found) under in this process (what it is a function of). */
const loweredUnder = new WeakMap<ir.Module, string>();

/**
 * The persistent cache's key of what `m` was lowered from (undefined without one): results computed
 * from the IR alone and the sources it points into (PowerShell's findings about its fragments) can
 * be kept under it without hashing the IR.
 */
export function loweringKey(m: ir.Module): string | undefined {
  return loweredUnder.get(m);
}

/** Diagnostics that depend on the moment: a lowering that made one is not kept. */
const NOT_KEPT = new Set<string>([messages.EvaluationTimeout.code, messages.InternalError.code]);

const siteText = (ctx: CompileContext, site: Site | undefined): string => (site ? `${ctx.rel(site.file)}:${site.line}:${site.column}` : "");

export class KeptLowering {
  readonly #ctx: CompileContext;
  readonly #checked: Checked;
  readonly #hashes = new Map<string, string | undefined>();
  /** Per key: the files it names the texts of. */
  readonly #keyed = new Map<string, ReadonlySet<string>>();
  /** Each definition by name and site (to find the fn a kept module calls). */
  #bySite: Map<string, object> | undefined;

  constructor(ctx: CompileContext, checked: Checked) {
    this.#ctx = ctx;
    this.#checked = checked;
  }

  /** Whether modules are kept in this build (a persistent cache with the digest of the other inputs). */
  get on(): boolean {
    return this.#ctx.disk?.others !== undefined;
  }

  /** The key of a module's lowering, or undefined when a source it comes from is not known. */
  key(m: CheckedModule, deps: readonly ir.ModuleRef[]): string | undefined {
    const others = this.#ctx.disk?.others;
    if (others === undefined) return undefined;
    const ctx = this.#ctx;
    const imports = this.#checked.loaded.imports;
    // Its files (the folder's, and a shared file it alone imports), the files its definitions were
    // written in, the files whose evaluation made them (a factory in one file called from another:
    // the caller's values are in the definition), and every file they import.
    const madeIn = this.#checked.loaded.madeIn;
    const start = [m.loaded.entry, ...this.#checked.graph.filesOf(m)];
    for (const d of [...m.fns, ...m.resources]) {
      if (d.site) start.push(d.site.file);
      const made = madeIn(d);
      if (made !== undefined) start.push(made);
    }
    const files = closure(start, (file) => (imports.get(file) ?? []).map((i) => i.target));
    const texts: string[] = [];
    for (const file of [...files].map((f) => ctx.rel(f)).sort()) {
      const hash = this.#hashOf(file);
      if (hash === undefined) return undefined;
      texts.push(file, hash);
    }
    const own = JSON.stringify([m.fns.map((f) => [f.name, siteText(ctx, f.site)]), m.resources.map((r) => [r.name, siteText(ctx, r.site)])]);
    const key = keyOf("lower-module", others, String(ctx.options.evalTimeout), m.name, m.layer, JSON.stringify(deps), own, ...texts);
    this.#keyed.set(key, files);
    return key;
  }

  /**
   * Whether a file the key names the text of required one it does not: a `require()` (in a callback
   * lowering ran, or in a function called at a file's top level) of a file none of them imports. A
   * build in a new process that found the lowering kept would not see that file change.
   */
  #requiredBeyond(key: string): boolean {
    const files = this.#keyed.get(key);
    if (!files) return true;
    const requires = this.#checked.loaded.requires;
    for (const file of files) for (const target of requires.get(file) ?? []) if (!files.has(target)) return true;
    return false;
  }

  #hashOf(rel: string): string | undefined {
    if (!this.#hashes.has(rel)) {
      const text = this.#ctx.sources.get(rel);
      this.#hashes.set(rel, text === undefined ? undefined : sha256(text));
    }
    return this.#hashes.get(rel);
  }

  /** The kept lowering of `key`, or undefined. */
  find(key: string): KeptModule | undefined {
    const kept = this.#ctx.disk?.cache.get<KeptModule>("lower-module", key);
    if (!kept || typeof kept.module !== "object" || kept.module === null || kept.module.kind !== "module" || !Array.isArray(kept.diagnostics)) return undefined;
    if (!Array.isArray(kept.used?.fns) || !Array.isArray(kept.used.externs)) return undefined;
    return kept;
  }

  /** A kept lowering, its diagnostics added again and what it uses found among this build's definitions. */
  reuse(key: string, kept: KeptModule): { module: ir.Module; used: Used } {
    for (const d of kept.diagnostics) this.#ctx.diagnostics.add(d);
    loweredUnder.set(kept.module, key);
    return { module: kept.module, used: this.#resolve(kept.used) };
  }

  put(key: string, module: ir.Module, uses: Uses, diagnostics: readonly Diagnostic[]): void {
    if (diagnostics.some((d) => NOT_KEPT.has(d.code)) || this.#requiredBeyond(key)) return;
    loweredUnder.set(module, key);
    this.#ctx.disk?.cache.put("lower-module", key, { module, used: this.#summary(uses), diagnostics } satisfies KeptModule);
  }

  /** What `uses` says, as data. */
  #summary(uses: Uses): UsedByModule {
    const ctx = this.#ctx;
    return {
      fns: [...uses.fns].map(([fn, span]) => [String(fn.name), siteText(ctx, fn.site), span ?? null] as const),
      externs: [...uses.externs].map((e) => (e.site ? ctx.rel(e.site.file) : null)),
    };
  }

  /** The fns and extern files of a summary, found again among this build's definitions. */
  #resolve(used: UsedByModule): Used {
    const ctx = this.#ctx;
    if (!this.#bySite) {
      this.#bySite = new Map();
      for (const def of this.#checked.moduleOf.keys()) {
        const d = def as { name?: unknown; site?: Site };
        this.#bySite.set(`${String(d.name)}\0${siteText(ctx, d.site)}`, def);
      }
    }
    return {
      fns: used.fns.map(([name, site, span]) => [this.#bySite!.get(`${name}\0${site}`) as FnDef | undefined, name, span ?? undefined]),
      externFiles: used.externs.map((file) => (file === null ? undefined : resolve(ctx.options.root, file))),
    };
  }
}

/**
 * What a module's fragments use, for the import check (checkUses): each fn called (undefined: not a
 * definition of this build), its name and first call; the file each extern was defined in.
 */
export interface Used {
  readonly fns: readonly (readonly [FnDef | undefined, string, Span | undefined])[];
  readonly externFiles: readonly (string | undefined)[];
}

export function usedOf(uses: Uses): Used {
  return { fns: [...uses.fns].map(([fn, span]) => [fn, fn.name, span] as const), externFiles: [...uses.externs].map((e) => e.site?.file) };
}
