// Loads the author's TypeScript as CommonJS: each file is transpiled by esbuild (types erased, no
// checking: the native type checker runs beside us) with a source map and executed in this process,
// with a `require` that hands out fleetform's own API for "fleetform" (wrapped, so that every fn,
// extern and resource the author's code defines while a file is evaluated is recorded, exported or not).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import vm from "node:vm";
import { transform, transformSync, type TransformOptions } from "esbuild";
import * as api from "../../../stdlib/index.js";
import { captureSite, type Site } from "../../../stdlib/api/brand.js";
import { makeExtern, makeFn, makeResource } from "../../../stdlib/api/define.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import type { CompileContext } from "../context.js";
import { SourceMap } from "../../util/sourcemap.js";
import { LineIndex } from "../../util/text.js";
import { compileWithCodeCache, keepCodeCache } from "../../util/code-cache.js";
import { keyOf } from "../../util/hash.js";
import { MAX_NESTING, nestingBeyond } from "./nesting.js";
import type { Positions } from "./positions.js";
import { readSource, resolveSource, TS_EXTENSIONS, type Sources } from "./sources.js";
import { isTimeout, onStopped, runWithTimeout, windowOpen } from "./time-limit.js";
import { closure } from "./invalidation.js";
import type { Earlier, KeptDefinition, Made, Reuse } from "./reuse.js";

/** What kind of failure an EvaluationError is, besides a throw while the file ran. */
export interface EvaluationFailure {
  /** The import specifier that does not resolve. */
  readonly unresolved?: string;
  /** The file does not parse (esbuild's message and position). */
  readonly syntax?: boolean;
  /** The file's evaluation was stopped after this many milliseconds. */
  readonly timedOut?: number;
  /** The file nests brackets deeper than MAX_NESTING (at span). */
  readonly tooDeep?: boolean;
}

export class EvaluationError extends Error {
  readonly unresolved: string | undefined;
  readonly syntax: boolean;
  readonly timedOut: number | undefined;
  readonly tooDeep: boolean;

  constructor(
    readonly file: string,
    readonly original: unknown,
    readonly span: Span | undefined,
    failure: EvaluationFailure = {},
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.unresolved = failure.unresolved;
    this.syntax = failure.syntax ?? false;
    this.timedOut = failure.timedOut;
    this.tooDeep = failure.tooDeep ?? false;
  }
}

function transformOptions(path: string): TransformOptions {
  return { loader: "ts", format: "cjs", target: "es2022", sourcemap: "external", sourcefile: path, sourcesContent: false };
}

/** The part of a transpiled text's key in the persistent cache besides the text: esbuild's options but the file name. */
const TRANSPILED = JSON.stringify(transformOptions(""));

/** esbuild's output for a text: the JavaScript and its source map. */
interface Transpiled {
  readonly code: string;
  readonly map: string;
}

/** A kept output, or undefined when it is not of that shape (a miss). */
function keptOutput(value: unknown): Transpiled | undefined {
  const v = value as Partial<Transpiled> | undefined;
  return v && typeof v.code === "string" && typeof v.map === "string" ? { code: v.code, map: v.map } : undefined;
}

export class Loader {
  readonly #exports = new Map<string, Record<string, unknown>>();
  readonly #failed = new Map<string, EvaluationError>();
  readonly #transpiled = new Map<string, { text: string; output: Transpiled }>();
  /**
   * Per file, the function its code compiled to (called again for each evaluation: each call has a
   * module scope of its own) and its source map, kept while its text is the same: a watch rebuild
   * evaluates again every file that imports a changed one, most of them unchanged.
   */
  readonly #compiled = new Map<string, { readonly text: string; readonly fn: (...args: unknown[]) => void; readonly map: SourceMap; readonly js: LineIndex }>();
  /** Files being evaluated, innermost last. */
  readonly #evaluating: string[] = [];
  /** Each evaluated file → the author files it required (what to evaluate again when one changes). */
  readonly #requires = new Map<string, Set<string>>();
  /**
   * The requires made while a file was being evaluated, by that file (the innermost one evaluating:
   * its top level required the target, directly or through a function it called). A require a
   * callback makes later (lowering runs it, or the watch's comparison) is not one of them: a file
   * reached only that way is evaluated while fragments are built, too late for its definitions.
   */
  readonly #evaluationRequires = new Map<string, Set<string>>();
  /** Set by #require for a require no file's evaluation made (a callback's), until load() reads it. */
  #fromCallback = false;
  /** Files a window opened outside the loader stopped (#stoppedFromOutside), until they are evaluated or forgotten. */
  readonly #interrupted = new Set<string>();
  /**
   * The files evaluated as a callback evaluates them (a callback required them, or a file that was
   * evaluated so): a build from scratch evaluates them after every file an import reaches. When a
   * file's top level later requires one (a watch build: an edit imported it), it is evaluated again
   * there, with the files it so evaluated, as such a build evaluates it (an import cycle is then
   * entered from there).
   */
  readonly #late = new Set<string>();
  /**
   * Every fn, extern and resource definition made while a file was evaluated, in the order they
   * were made, with the file whose evaluation made it (madeIn) and what the authoring call returned.
   */
  readonly #definitions = new Map<object, { readonly file: string; readonly made: unknown }>();
  /**
   * In a watch rebuild (see reuse.ts): the files forgotten, as they were, the definitions of the
   * last evaluation each file being evaluated again is paired with (in the order they are made), the
   * ones kept so far until their callbacks are compared, and the files evaluated in this build.
   */
  readonly #earlier = new Map<string, Earlier>();
  #reuse: Reuse | undefined;
  readonly #pairing = new Map<string, { readonly earlier: Earlier; next: number }>();
  readonly #kept = new Map<string, KeptDefinition[]>();
  /** Per file evaluated again, the definitions (by their place in its order) not to keep: kept before, they did not hold. */
  readonly #fresh = new Map<string, Set<number>>();
  readonly #evaluatedNow = new Set<string>();
  /** When each file evaluated now finished, in the order they did (a file that imports another saw its latest version only if it finished after it). */
  readonly #finished = new Map<string, number>();
  #sequence = 0;
  /** checkKept runs callbacks (which may evaluate a file they require). */
  #checking = false;
  readonly #api: Record<string, unknown>;
  #ctx: CompileContext;
  /** Scripts compiled without a code cache in this build, by the key of their code (keepCode). */
  readonly #uncached: { readonly key: string; readonly script: vm.Script }[] = [];

  constructor(
    ctx: CompileContext,
    private readonly sources: Sources,
    private readonly positions: Positions,
  ) {
    this.#ctx = ctx;
    this.#api = recordingApi((made) => this.#define(made));
  }

  /**
   * Records a definition made while a file was evaluated; returns what the authoring call returns:
   * what it made, or (a watch rebuild) the same definition of the last evaluation, kept.
   */
  #define(made: { readonly definition: object }): unknown {
    // A definition made later (by a callback lowering runs) belongs to no file: lowering meets it
    // as the target of a call in a fragment, not in this list.
    const file = this.#evaluating.at(-1);
    if (file === undefined) return made;
    const pairing = this.#pairing.get(file);
    const index = pairing ? pairing.next++ : -1;
    const before = pairing?.earlier.made[index];
    if (before && !this.#fresh.get(file)?.has(index) && this.#reuse!.sameDefinition(before.def, made.definition) && !this.#definitions.has(before.def)) {
      this.#kept.get(file)!.push({ before, now: made.definition, index });
      this.#definitions.set(before.def, { file, made: before.made });
      return before.made;
    }
    this.#definitions.set(made.definition, { file, made });
    return made;
  }

  /**
   * The file that was being evaluated when `def` was made (absolute path): the file whose top level
   * called the authoring function, directly or through a factory in another file. Undefined for a
   * definition made later (by a callback lowering runs).
   */
  madeIn(def: object): string | undefined {
    return this.#definitions.get(def)?.file;
  }

  private get ctx(): CompileContext {
    return this.#ctx;
  }

  /** Binds a kept loader to the next build's context (watch mode). */
  bind(ctx: CompileContext): void {
    this.#ctx = ctx;
    this.#evaluatedNow.clear();
    this.#finished.clear();
    this.#fresh.clear();
    this.#earlier.clear();
    this.#kept.clear();
    this.#reuse = undefined;
  }

  /**
   * Keeps definitions of the last evaluation where files evaluated again make the same ones (see
   * reuse.ts), until done().
   */
  reuseWith(reuse: Reuse): void {
    this.#reuse = reuse;
  }

  /** The files as they were before this build forgot them (forget with `earlier`). */
  get earlier(): ReadonlyMap<string, Earlier> {
    return this.#earlier;
  }

  /** The files evaluated (or failed) in this build. */
  get evaluatedNow(): ReadonlySet<string> {
    return this.#evaluatedNow;
  }

  /** When a file evaluated now finished (its place in the order they did; -1 for one not evaluated now). */
  finishedAt(path: string): number {
    return this.#finished.get(path) ?? -1;
  }

  /** A file's exports when it is evaluated (undefined when it is not, or failed). */
  exportsOf(path: string): Record<string, unknown> | undefined {
    return this.#exports.get(path);
  }

  /**
   * Compares the callbacks of the definitions kept so far with the ones made again (reuse.ts), and
   * returns the files where one differs: they are to be evaluated again (after forget) without
   * keeping those (a definition that calls one of them then differs in turn, and so on).
   */
  checkKept(): Set<string> {
    const differ = new Set<string>();
    const files = [...this.#kept].filter(([, kept]) => kept.length > 0);
    const all = files.flatMap(([, kept]) => kept);
    // (a file a callback requires, evaluated while they run, keeps nothing: there is nothing to
    // compare its definitions with here)
    this.#checking = true;
    let same: boolean[];
    try {
      same = all.length > 0 ? this.#reuse!.sameCallbacks(all, this.ctx.options.evalTimeout) : [];
    } finally {
      this.#checking = false;
    }
    // The data once more: the file may have changed a definition after the call that made it.
    all.forEach(({ before, now }, k) => {
      if (same[k] && !this.#reuse!.sameDefinition(before.def, now)) same[k] = false;
    });
    let i = 0;
    for (const [file, kept] of files) {
      for (const { index } of kept) {
        if (same[i++]) continue;
        differ.add(file);
        let fresh = this.#fresh.get(file);
        if (!fresh) this.#fresh.set(file, (fresh = new Set()));
        fresh.add(index);
      }
    }
    this.#kept.clear();
    return differ;
  }

  /** The build's evaluation is done: what was kept of the last one is let go. */
  done(): void {
    this.#earlier.clear();
    this.#kept.clear();
    this.#pairing.clear();
    this.#reuse = undefined;
  }

  /** True when the file is evaluated (or known to fail) and need not be transpiled again. */
  has(path: string): boolean {
    return this.#exports.has(path) || this.#failed.has(path);
  }

  /**
   * The files whose evaluation failed, and those a callbacks' time-limit window stopped (see
   * #stoppedFromOutside): a watch rebuild evaluates again the files that required them.
   */
  failedFiles(): string[] {
    return [...this.#failed.keys(), ...this.#interrupted];
  }

  /** Each evaluated file → the author files it required. */
  get requires(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#requires;
  }

  /**
   * The definitions made while the files were evaluated, in the order they were made: those of the
   * files that evaluating `roots` reaches (the load phase's files). A file first required by a
   * callback is evaluated later, while fragments are built: a build from scratch has not made its
   * definitions when the check runs, and a watch build that has it evaluated still (from an earlier
   * build's callbacks) leaves them out in the same way.
   */
  definitions(roots: readonly string[]): readonly object[] {
    const reached = this.reachedFrom(roots);
    return [...this.#definitions].filter(([, d]) => reached.has(d.file)).map(([def]) => def);
  }

  /**
   * The files evaluating `roots` reaches: each root and the files required while a reached file was
   * being evaluated (not those a callback required later; see definitions).
   */
  reachedFrom(roots: readonly string[]): Set<string> {
    return closure(roots, (file) => this.#evaluationRequires.get(file) ?? []);
  }

  /**
   * The files evaluated as an import evaluates them that evaluating `roots` no longer reaches (an
   * edit removed the import), but a callback still requires: a build from scratch evaluates them when
   * lowering runs it (see #late).
   */
  importedNoLonger(roots: readonly string[]): Set<string> {
    const reached = this.reachedFrom(roots);
    const required = new Set([...this.#requires.values()].flatMap((targets) => [...targets]));
    return new Set([...this.#exports.keys(), ...this.#failed.keys()].filter((f) => !reached.has(f) && !this.#late.has(f) && required.has(f)));
  }

  /**
   * Forgets files (their exports or failure, their text and what they required) and the
   * definitions their evaluation made, so that load() evaluates them again.
   */
  forget(files: ReadonlySet<string>, options: { readonly earlier?: boolean } = {}): void {
    if (options.earlier) {
      // (the first time in a build: what the last build made is what later steps kept results for)
      const made = new Map<string, Made[]>();
      for (const path of files) if (this.#exports.has(path) && !this.#earlier.has(path)) made.set(path, []);
      for (const [def, d] of this.#definitions) made.get(d.file)?.push({ def, made: d.made });
      for (const [path, list] of made) this.#earlier.set(path, { exports: this.#exports.get(path)!, made: list, source: this.sources.get(path) });
    }
    for (const path of files) {
      this.#failed.delete(path);
      this.#interrupted.delete(path);
      this.sources.delete(path);
      // Transpiled code, syntax trees and derived results stay: they are checked against the text
      // (a file evaluated again because it imports a changed one is usually unchanged itself).
    }
    this.#discard(files);
  }

  /** Forgets what evaluating these files made: their exports, what they required, their definitions. */
  #discard(files: ReadonlySet<string>): void {
    for (const path of files) {
      this.#exports.delete(path);
      this.#requires.delete(path);
      this.#evaluationRequires.delete(path);
      this.#late.delete(path);
    }
    for (const [def, { file }] of this.#definitions) if (files.has(file)) this.#definitions.delete(def);
  }

  /**
   * Transpiles files ahead of evaluation, concurrently: esbuild's synchronous API pays a round
   * trip per call (and starts a process of its own for it), its asynchronous one pipelines them.
   * With the persistent cache, esbuild's output is kept per text (an entry each: a build after a
   * one-file change reads the others' and writes one). Files that fail here are transpiled again
   * (and their errors reported) when evaluation reaches them.
   */
  async pretranspile(paths: readonly string[]): Promise<void> {
    const disk = this.ctx.disk?.cache;
    await Promise.all(
      paths.map(async (path) => {
        try {
          const text = readFileSync(path, "utf8");
          if (this.#transpiled.get(path)?.text === text) return;
          const key = disk ? keyOf(TRANSPILED, text) : "";
          let output = disk ? keptOutput(disk.get<unknown>("transpiled", key)) : undefined;
          if (!output) {
            const done = await transform(text, transformOptions(path));
            output = { code: done.code, map: done.map };
            disk?.put("transpiled", key, output);
          }
          this.#transpiled.set(path, { text, output });
        } catch {
          // reported by load()
        }
      }),
    );
  }

  /** Whether loadAll's time-limit window is open. */
  #inWindow = false;

  /**
   * Evaluates the files not evaluated yet, as load() would (a failure is kept, and load() throws it
   * again), under one time-limit window for all of them: a window costs a watchdog thread, and a
   * watch rebuild evaluates tens of files again. Each file still gets the whole limit to itself (as
   * in runEachWithTimeout): a file the window runs out on, that it did not start with, is evaluated
   * again from its start in a window of its own.
   */
  loadAll(paths: readonly string[]): void {
    const timeout = this.ctx.options.evalTimeout;
    let next = 0;
    const evaluateFromNext = (): void => {
      for (; next < paths.length; next++) {
        try {
          this.load(paths[next]!);
        } catch (e) {
          if (!(e instanceof EvaluationError)) throw e;
        }
      }
    };
    while (next < paths.length) {
      const first = next;
      this.#inWindow = true;
      try {
        runWithTimeout(evaluateFromNext, timeout);
      } catch (cause) {
        if (!isTimeout(cause)) throw cause;
        // V8 stopped the code without running any catch or finally block on the way out: the files
        // on the stack were being evaluated, the innermost one is the one that ran.
        const abandoned = this.#evaluating.splice(0);
        if (next === first) {
          const culprit = abandoned.at(-1) ?? paths[next]!;
          const error = new EvaluationError(culprit, cause, undefined, { timedOut: timeout });
          for (const file of new Set([paths[next]!, ...abandoned])) {
            this.#exports.delete(file);
            this.#failed.set(file, error);
          }
          next++;
        } else {
          // Evaluated again from the start, with what their partial evaluation made forgotten.
          this.#discard(new Set(abandoned));
        }
      } finally {
        this.#inWindow = false;
      }
    }
  }

  /** Evaluates a file (once) and returns its exports. Throws EvaluationError. */
  load(path: string): Record<string, unknown> {
    // (read first: a callback's require of a file evaluated already evaluates nothing)
    const fromCallback = this.#fromCallback;
    this.#fromCallback = false;
    const cached = this.#exports.get(path);
    if (cached) return cached;
    const failed = this.#failed.get(path);
    if (failed) throw failed;

    const source = readSource(this.ctx, path);
    // TypeScript's parser and the walks over its trees recurse per level: a file nested deeper
    // than any real one is refused before anything parses it.
    // (a text compiled before passed this check then)
    const deep = this.#compiled.get(path)?.text === source.text ? undefined : nestingBeyond(source.text, MAX_NESTING);
    if (deep !== undefined) {
      const start = source.lines.position(deep);
      const error = new EvaluationError(path, new Error("nested too deeply"), { file: source.rel, start, end: { line: start.line, column: start.column + 1 } }, { tooDeep: true });
      this.#failed.set(path, error);
      throw error;
    }
    const module = { exports: {} as Record<string, unknown> };
    // The outermost file's evaluation (with every author file it requires) runs under the time limit:
    // in a window of its own, unless one is open. In loadAll's, which handles what it stops; or in
    // the window of the callbacks lowering runs, when one requires a file: what that window stops is
    // forgotten (#stoppedFromOutside), and the callback, run again in a window of its own, evaluates
    // the file again from its start. (Two windows at once would race: whichever watchdog fired first
    // decided what was reported.)
    const first = this.#evaluating.length === 0;
    const inWindow = windowOpen();
    const outermost = first && !inWindow;
    const stopped = first && inWindow && !this.#inWindow ? onStopped(() => this.#stoppedFromOutside()) : undefined;
    if (first ? fromCallback : this.#late.has(this.#evaluating[0]!)) this.#late.add(path);
    else this.#late.delete(path);
    this.#exports.set(path, module.exports);
    this.#evaluating.push(path);
    this.#evaluatedNow.add(path);
    try {
      // esbuild erases the types (fast: TypeScript's transpileModule builds a program per file) and
      // renames an author's own top-level `module`, `exports` or `require` so they cannot clash with
      // the CommonJS plumbing below.
      let compiled = this.#compiled.get(path);
      if (compiled?.text !== source.text) {
        const output = this.#transpiled.get(path)?.text === source.text ? this.#transpiled.get(path)!.output : transformSync(source.text, transformOptions(path));
        // (a `#!` line, which TypeScript and esbuild keep, is valid only at the very start of a
        // script, not inside the wrapper below: a comment of the same length keeps every position)
        const code = output.code.startsWith("#!") ? `//${output.code.slice(2)}` : output.code;
        // (both read when a position in the file is first asked for: few files of a build are)
        const positions = { map: SourceMap.lazy(output.map), js: new LineIndex(code) };
        // One line before the code, so stack lines are the generated lines plus one; the code runs in
        // a block of its own, where a top-level `const exports` may shadow the parameter.
        const wrapper = "(function (exports, require, module, __filename, __dirname) {{\n";
        const fn = this.#compile(path, wrapper + code + "\n}})").runInThisContext() as (...args: unknown[]) => void;
        compiled = { text: source.text, fn, ...positions };
        this.#compiled.set(path, compiled);
      }
      this.sources.set(path, { ...source, map: compiled.map, js: compiled.js });
      // A watch rebuild: the definitions are paired with the last evaluation's, in the order they are made.
      const earlier = this.#reuse && !this.#checking ? this.#earlier.get(path) : undefined;
      if (earlier) {
        this.#pairing.set(path, { earlier, next: 0 });
        this.#kept.set(path, []);
      }
      const fn = compiled.fn;
      const require = (specifier: string): unknown => this.#require(path, specifier);
      const run = (): void => fn.call(module.exports, module.exports, require, module, path, dirname(path));
      if (outermost) runWithTimeout(run, this.ctx.options.evalTimeout);
      else run();
    } catch (cause) {
      if (outermost && isTimeout(cause)) {
        // V8 stopped the code without running any catch or finally block on the way out: the
        // files still on the stack were being evaluated, the innermost one is the one that hung.
        const abandoned = this.#evaluating.splice(1);
        const culprit = abandoned.at(-1) ?? path;
        const error = new EvaluationError(culprit, cause, undefined, { timedOut: this.ctx.options.evalTimeout });
        for (const file of [path, ...abandoned]) {
          this.#exports.delete(file);
          this.#failed.set(file, error);
        }
        throw error;
      }
      this.#exports.delete(path);
      const error = cause instanceof EvaluationError ? cause : (this.#syntaxError(path, source.text, cause) ?? new EvaluationError(path, cause, this.positions.spanOfError(cause)));
      this.#failed.set(path, error);
      throw error;
    } finally {
      stopped?.();
      this.#evaluating.pop();
      this.#pairing.delete(path);
      this.#finished.set(path, ++this.#sequence);
    }
    // `module.exports = ...` replaces the object.
    this.#exports.set(path, module.exports);
    this.#interrupted.delete(path);
    return module.exports;
  }

  /**
   * A window opened outside the loader (the callbacks lowering runs) stopped the evaluation of the
   * files on the stack (node:vm's stop runs no finally block): what their partial evaluation made is
   * forgotten, so that the next require evaluates them from their start, as if never begun.
   */
  #stoppedFromOutside(): void {
    const abandoned = this.#evaluating.splice(0);
    for (const file of abandoned) {
      this.#interrupted.add(file);
      this.#pairing.delete(file);
    }
    this.#discard(new Set(abandoned));
  }

  /**
   * Compiles a file's wrapped code, with V8's code cache for the same code from the persistent
   * cache when there is one (V8 checks it is for this code and this V8, and compiles afresh when it
   * is not: a miss).
   */
  #compile(path: string, code: string): vm.Script {
    const disk = this.ctx.disk?.cache;
    if (!disk) return new vm.Script(code, { filename: path });
    // (by path too: the data V8 makes keeps the file name it was compiled under, which stack traces,
    // and so the sites of authoring calls, would then name)
    const key = keyOf("v8 code cache", path, code);
    const { script, taken } = compileWithCodeCache(disk, "code-cache", key, code, path);
    if (!taken) this.#uncached.push({ key, script });
    return script;
  }

  /**
   * Keeps V8's code cache of the files compiled without one, in the persistent cache. Called once
   * the build is done, so it holds the functions lowering ran too (get, test, set, ...), not only
   * the files' top levels.
   */
  keepCode(): void {
    const disk = this.ctx.disk?.cache;
    for (const { key, script } of this.#uncached.splice(0)) if (disk) keepCodeCache(disk, "code-cache", key, script);
  }

  /**
   * Reads a file that evaluation did not reach (a type-only import) so it can be parsed; false
   * when it is not a TypeScript source.
   */
  readUnevaluated(path: string): boolean {
    if (this.sources.has(path)) return true;
    if (!TS_EXTENSIONS.includes(extname(path)) || !existsSync(path)) return false;
    const source = readSource(this.ctx, path);
    this.sources.set(path, { ...source, map: new SourceMap("") });
    return true;
  }

  /** esbuild's transform failure as an error at its first message's place (esbuild columns count UTF-8 bytes). */
  #syntaxError(path: string, text: string, cause: unknown): EvaluationError | undefined {
    const first = (cause as { errors?: { text: string; location: { line: number; column: number; lineText: string } | null }[] } | null)?.errors?.[0];
    if (!first || typeof first.text !== "string") return undefined;
    const rel = this.ctx.rel(path);
    let span: Span | undefined;
    if (first.location) {
      const column = Buffer.from(first.location.lineText, "utf8").subarray(0, first.location.column).toString("utf8").length + 1;
      const start = { line: first.location.line, column };
      span = { file: rel, start, end: { line: start.line, column: column + 1 } };
    }
    return new EvaluationError(path, new Error(first.text), span, { syntax: true });
  }

  #require(from: string, specifier: string): unknown {
    if (specifier === "fleetform" || specifier === "fleetform/stdlib") return this.#api;
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const target = resolveSource(resolve(dirname(from), specifier));
      if (!target) {
        throw new EvaluationError(from, new Error(`cannot resolve '${specifier}'`), undefined, { unresolved: specifier });
      }
      if (!TS_EXTENSIONS.includes(extname(target))) return createRequire(from)(target);
      addEdge(this.#requires, from, target);
      const evaluating = this.#evaluating.at(-1);
      if (evaluating !== undefined) addEdge(this.#evaluationRequires, evaluating, target);
      // A top level (not a callback's evaluation) requires a file evaluated as a callback evaluates
      // it: evaluated again here, as a build from scratch evaluates it, with the files its evaluation
      // evaluated so (what saw the old ones is evaluated again in turn: see Evaluator#stale).
      if (this.#late.has(target) && evaluating !== undefined && !this.#late.has(this.#evaluating[0]!) && !this.#evaluating.includes(target)) {
        this.forget(
          closure([target], (f) => [...(this.#evaluationRequires.get(f) ?? [])].filter((g) => this.#late.has(g) && !this.#evaluating.includes(g))),
          { earlier: true },
        );
      }
      // (no file evaluating: a callback's require, run when lowering, or the watch's comparison, calls it)
      this.#fromCallback = evaluating === undefined;
      return this.load(target);
    }
    // A package of the config repo's own (or a Node built-in).
    return createRequire(from)(specifier);
  }
}

function addEdge(edges: Map<string, Set<string>>, from: string, to: string): void {
  const targets = edges.get(from);
  if (targets) targets.add(to);
  else edges.set(from, new Set([to]));
}

/** Authoring calls whose definitions are recorded (a module emits every fn and resource defined in its folder). */
const DEFINING = { fn: makeFn, extern: makeExtern, resource: makeResource } as const;

/**
 * fleetform's API with fn, extern and resource wrapped to record each definition they make. The
 * definition's site is the author's call of the wrapper (the API itself would record the wrapper's).
 */
function recordingApi(onDefine: (made: { readonly definition: object }) => unknown): Record<string, unknown> {
  const wrapped: Record<string, unknown> = { ...api };
  for (const [name, make] of Object.entries(DEFINING)) {
    const define = make as (options: unknown, site: Site | undefined) => { readonly definition: object };
    const record = function (options: unknown): unknown {
      return onDefine(define(options, captureSite(record)));
    };
    Object.defineProperty(record, "name", { value: name });
    wrapped[name] = record;
  }
  return wrapped;
}
