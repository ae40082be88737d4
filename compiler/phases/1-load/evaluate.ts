// The evaluation of a config repo's sources, kept across the builds of a watch session: one map of
// the sources read, and the four parts that share it, one job each:
//   loader.ts        loads the author's files as CommonJS and records the definitions they make;
//   invalidation.ts  decides what a watch rebuild evaluates again;
//   syntax.ts        parses the sources (once per text) and keeps results derived from a text;
//   positions.ts     maps positions in the JavaScript that ran back to the TypeScript;
// and locator.ts, the read-only view of where things are that the check and lower phases get.
import type { CompileContext } from "../context.js";
import { changedSources, dependentsOf, unreached } from "./invalidation.js";
import { Loader } from "./loader.js";
import { Locator } from "./locator.js";
import { Positions } from "./positions.js";
import type { Sources, SourceText } from "./sources.js";
import { SyntaxTrees } from "./syntax.js";

export class Evaluator {
  readonly #sources: Sources = new Map();
  readonly syntax = new SyntaxTrees(this.#sources);
  readonly positions = new Positions(this.#sources);
  readonly locator = new Locator(this.#sources, this.positions, this.syntax);
  readonly loader: Loader;

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
   * and forgets every file whose text changed (or that is gone, or failed last time), every file that
   * required one of those, directly or not, and the definitions their evaluation made, so that
   * the loader evaluates just those again. Returns the files forgotten.
   */
  refresh(ctx: CompileContext): Set<string> {
    this.loader.bind(ctx);
    this.syntax.bind(ctx.disk?.cache);
    const forgotten = dependentsOf(this.loader.requires, new Set([...this.loader.failedFiles(), ...changedSources(this.#sources)]));
    this.loader.forget(forgotten);
    for (const source of this.#sources.values()) ctx.sources.set(source.rel, source.text);
    return forgotten;
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
