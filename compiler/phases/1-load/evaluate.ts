// The evaluation of a config repo's sources, kept across the builds of a watch session: one map of
// the sources read, and the four parts that share it, one job each:
//   loader.ts        loads the author's files as CommonJS and records the definitions they make;
//   invalidation.ts  decides what a watch rebuild evaluates again;
//   syntax.ts        parses the sources (once per text) and keeps results derived from a text;
//   positions.ts     maps positions in the JavaScript that ran back to the TypeScript;
// and locator.ts, the read-only view of where things are that the check and lower phases get.
import type { CompileContext } from "../context.js";
import { existsSync } from "node:fs";
import { changedSources, dependentsOf, inCycle, preorder, requiredBy, unreached, withCycles } from "./invalidation.js";
import { Loader } from "./loader.js";
import { Locator } from "./locator.js";
import { Positions } from "./positions.js";
import { Reuse } from "./reuse.js";
import type { Sources, SourceText } from "./sources.js";
import { SyntaxTrees } from "./syntax.js";

/** What a file reads of another's exports: the names, or "*" for any. */
export type ImportedNames = ReadonlySet<string> | "*";

export class Evaluator {
  readonly #sources: Sources = new Map();
  readonly syntax = new SyntaxTrees(this.#sources);
  readonly positions = new Positions(this.#sources);
  readonly locator = new Locator(this.#sources, this.positions, this.syntax);
  readonly loader: Loader;
  /** What a watch rebuild compares (refresh to evaluate). */
  #reuse: Reuse | undefined;
  /** An evaluation stopped by an error of fleetform's own: what it kept cannot be trusted, the next build starts afresh. */
  #broken = false;

  constructor(ctx: CompileContext) {
    this.loader = new Loader(ctx, this.#sources, this.positions);
    this.syntax.bind(ctx.disk?.cache);
  }

  /** The sources read, by absolute path. */
  get sources(): ReadonlyMap<string, SourceText> {
    return this.#sources;
  }

  /**
   * Prepares a kept evaluator for another build (watch mode): binds it to the new build's context,
   * and forgets every file whose text changed, every file that is gone or failed last time with every
   * file that required one, directly or not (and the files each is in an import cycle with), and the
   * definitions their evaluation made,
   * so that the loader evaluates just those again; evaluate() then decides which files that import a
   * changed one are evaluated again too. Returns the files forgotten (all that `configPath` requires,
   * directly or not, when one of them changed: the build starts afresh).
   */
  refresh(ctx: CompileContext, configPath: string): Set<string> {
    this.loader.bind(ctx);
    this.syntax.bind(ctx.disk?.cache);
    if (this.#broken) return new Set([configPath]);
    const requires = this.loader.requires;
    const changed = changedSources(this.#sources);
    const reached = dependentsOf(requires, changed);
    if (reached.has(configPath)) return reached;
    // A file gone, or one that failed, fails the files requiring it: they are evaluated again now.
    const failing = [...this.loader.failedFiles(), ...changed.filter((f) => !existsSync(f))];
    const forgotten = withCycles(requires, [...changed, ...dependentsOf(requires, failing)]);
    this.loader.forget(forgotten, { earlier: true });
    this.#reuse = new Reuse(this.#sources, this.positions, this.locator, this.loader.earlier);
    this.loader.reuseWith(this.#reuse);
    for (const source of this.#sources.values()) ctx.sources.set(source.rel, source.text);
    return forgotten;
  }

  /**
   * Evaluates the roots (and what they require) not evaluated yet. In a watch rebuild, until nothing
   * changes: the files forgotten that a kept file still requires; again, a file where a kept
   * definition's callbacks turned out to differ (without keeping it), with the files evaluated now
   * that require it; and the files that saw an older version of a file evaluated now (see #stale).
   * A file is forgotten with the files it is in an import cycle with: they are evaluated together.
   */
  evaluate(roots: readonly string[], names: (file: string) => ReadonlyMap<string, ImportedNames>): void {
    const reuse = this.#reuse;
    this.#reuse = undefined;
    try {
      this.#evaluate(roots, names, reuse);
    } catch (e) {
      this.#broken = true;
      throw e;
    }
  }

  #evaluate(roots: readonly string[], names: (file: string) => ReadonlyMap<string, ImportedNames>, reuse: Reuse | undefined): void {
    const loader = this.loader;
    if (!reuse || loader.earlier.size === 0) {
      loader.loadAll(roots);
      // (a file a callback evaluated, now imported, was evaluated again: compared as below)
      if (!reuse || loader.earlier.size === 0) return loader.done();
    }
    const isRoot = new Set(roots);
    // Each pass evaluates files again; a file is forgotten again only when something it read
    // changed since, so the passes end. Should they not, fleetform's own error (FF9001), and the
    // next build starts afresh, rather than a rebuild that never ends.
    const passes = 4 * (this.#sources.size + 4);
    for (let pass = 0; ; pass++) {
      if (pass > passes) throw new Error(`a watch rebuild's evaluation did not settle after ${passes} passes`);
      const requires = loader.requires;
      // The roots and the files kept files require that are not evaluated, in the order a build
      // from scratch starts them (so an import cycle is entered where such a build enters it). (A
      // file gone since refresh read the sources is left: the watcher starts the next build.)
      const pending = preorder(roots, (f) => requires.get(f) ?? []).filter((f) => !loader.has(f) && (isRoot.has(f) || existsSync(f)));
      if (pending.length > 0) {
        loader.loadAll(pending);
        continue;
      }
      // Files an import evaluated that only a callback requires now: forgotten with the files that
      // required them, so that the callback evaluates them (and the callbacks are compared again).
      const unimported = loader.importedNoLonger(roots);
      if (unimported.size > 0) {
        const importers = requiredBy(requires);
        loader.forget(withCycles(requires, [...unimported, ...[...unimported].flatMap((f) => importers.get(f) ?? [])]), { earlier: true });
        continue;
      }
      const differ = loader.checkKept();
      if (differ.size > 0) {
        // (with the files evaluated now that saw what was kept of them; a kept file saw the last
        // build's, which #stale compares with the new)
        const saw = [...dependentsOf(requires, differ)].filter((f) => differ.has(f) || loader.evaluatedNow.has(f));
        loader.forget(withCycles(requires, saw), { earlier: true });
        continue;
      }
      const stale = this.#stale(reuse, names);
      if (stale.size === 0) break;
      loader.forget(withCycles(requires, stale), { earlier: true });
    }
    loader.done();
  }

  /**
   * The files that saw another version of a file evaluated now than its last one, and read it: one
   * evaluated now before it (it may have seen anything), or one kept from the last build that reads a
   * name whose value changed since that build (any name, for a file whose exports are not an ES
   * module's, or that failed now). A file in an import cycle with it was evaluated with it.
   */
  #stale(reuse: Reuse, names: (file: string) => ReadonlyMap<string, ImportedNames>): Set<string> {
    const loader = this.loader;
    const requires = loader.requires;
    const stale = new Set<string>();
    const importers = requiredBy(requires);
    for (const file of loader.evaluatedNow) {
      const now = loader.exportsOf(file);
      const before = loader.earlier.get(file)?.exports;
      let changed: ReadonlySet<string> | "all" | undefined;
      for (const importer of importers.get(file) ?? []) {
        // (a file in an import cycle with it that was evaluated now was evaluated with it; one kept
        // may be in a cycle only this build's edit made)
        if (loader.finishedAt(importer) > loader.finishedAt(file) || (loader.evaluatedNow.has(importer) && inCycle(requires, importers, importer, file))) continue;
        const read = names(importer).get(file) ?? "*";
        if (read !== "*" && read.size === 0) continue;
        if (!loader.evaluatedNow.has(importer)) {
          changed ??= now && before ? reuse.changedNames(before, now) : "all";
          const differ = changed;
          if (differ !== "all" && (read === "*" ? differ.size === 0 : ![...read].some((n) => differ.has(n)))) continue;
        }
        stale.add(importer);
      }
    }
    return stale;
  }

  /**
   * Forgets the evaluated files no longer required from `roots` (an import was removed), with the
   * definitions they made, and the files read only for their imports (read again when still reached).
   */
  retain(roots: readonly string[]): void {
    const gone = unreached(this.loader.requires, [...this.#sources.keys(), ...this.loader.failedFiles()], roots);
    if (gone.size > 0) this.loader.forget(gone);
  }
}
