// Runs the author's TypeScript: each file is transpiled by esbuild (types erased, no checking: the
// native type checker runs beside us) to CommonJS with a source map and executed in this process, with a
// `require` that hands out fleetform's own API for "fleetform" (wrapped, so that every fn, extern
// and resource the author's code defines is recorded, exported or not).
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import vm from "node:vm";
import { transform, transformSync, type TransformOptions } from "esbuild";
import { ts } from "ts-morph";
import * as api from "../../../stdlib/index.js";
import { captureSite, kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import type { CompileContext } from "../context.js";
import { SourceMap } from "../../util/sourcemap.js";
import { LineIndex } from "../../util/text.js";
import { keyOf, sha256 } from "../../util/hash.js";

export interface SourceText {
  readonly path: string;
  readonly rel: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly map: SourceMap;
  /** The JavaScript it was transpiled to (what stack positions refer to). */
  readonly js?: LineIndex;
}

/** An error thrown by author code (or by an import that could not be resolved) while evaluating. */
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

const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

/** How many transpiled texts the persistent cache keeps (the current build's first). */
const TRANSPILED_KEPT = 5000;

function transformOptions(path: string): TransformOptions {
  return { loader: "ts", format: "cjs", target: "es2022", sourcemap: "external", sourcefile: path, sourcesContent: false };
}

/** Authoring calls whose definitions are recorded (a module emits every fn and resource defined in its folder). */
const DEFINING = ["fn", "extern", "resource"] as const;

export class Evaluator {
  readonly sources = new Map<string, SourceText>();
  readonly #exports = new Map<string, Record<string, unknown>>();
  readonly #failed = new Map<string, EvaluationError>();
  /** Parsed files, with the text they were parsed from (kept while the text is the same). */
  readonly #syntax = new Map<string, { text: string; file: ts.SourceFile }>();
  /** Every fn, extern and resource definition made through the API, in the order they were made. */
  defined: object[] = [];
  readonly #api: Record<string, unknown>;
  /** The file being evaluated when each definition was made (undefined: later, in a callback). */
  readonly #definedBy = new Map<object, string | undefined>();
  /** Files being evaluated, innermost last. */
  readonly #evaluating: string[] = [];
  /** Each evaluated file → the author files it required (what to evaluate again when one changes). */
  readonly #requires = new Map<string, Set<string>>();
  /** Per file results of later phases that depend on its text only (dropped with the file). */
  readonly #derived = new Map<string, { text: string; values: Map<string, unknown> }>();
  #ctx: CompileContext;

  constructor(ctx: CompileContext) {
    this.#ctx = ctx;
    this.#api = recordingApi((def) => {
      this.defined.push(def);
      this.#definedBy.set(def, this.#evaluating.at(-1));
    });
  }

  private get ctx(): CompileContext {
    return this.#ctx;
  }

  /**
   * Prepares a kept evaluator for another build (watch mode): binds it to the new build's context,
   * and forgets every file whose text changed (or that is gone, or failed last time), every file that
   * required one of those, directly or not, and the definitions their evaluation made, so that
   * load() evaluates just those again. Returns the files forgotten.
   */
  refresh(ctx: CompileContext): Set<string> {
    this.#ctx = ctx;
    const changed = new Set<string>(this.#failed.keys());
    for (const [path, source] of this.sources) {
      let text: string | undefined;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        text = undefined;
      }
      if (text !== source.text) changed.add(path);
    }
    const forgotten = this.#dependentsOf(changed);
    // (Also drops the definitions made late, during the last build's lowering.)
    this.#forget(forgotten);
    for (const source of this.sources.values()) ctx.sources.set(source.rel, source.text);
    return forgotten;
  }

  /**
   * Forgets the evaluated files no longer required from `roots` (an import was removed), with the
   * definitions they made, and the files read only for their imports (read again when still reached).
   */
  retain(roots: readonly string[]): void {
    const reached = closure(roots, (file) => this.#requires.get(file) ?? []);
    const gone = new Set([...this.sources.keys(), ...this.#failed.keys()].filter((f) => !reached.has(f)));
    if (gone.size > 0) this.#forget(gone);
  }

  #forget(forgotten: ReadonlySet<string>): void {
    for (const path of forgotten) {
      this.#exports.delete(path);
      this.#failed.delete(path);
      this.sources.delete(path);
      this.#requires.delete(path);
      // Transpiled code, syntax trees and derived results stay: they are checked against the text
      // (a file evaluated again because it imports a changed one is usually unchanged itself).
    }
    this.defined = this.defined.filter((def) => {
      const by = this.#definedBy.get(def);
      const keep = by !== undefined && !forgotten.has(by);
      if (!keep) this.#definedBy.delete(def);
      return keep;
    });
  }

  /** The files given and every file that required one of them, directly or not. */
  #dependentsOf(files: ReadonlySet<string>): Set<string> {
    const requiredBy = new Map<string, string[]>();
    for (const [from, targets] of this.#requires) {
      for (const target of targets) {
        const list = requiredBy.get(target);
        if (list) list.push(from);
        else requiredBy.set(target, [from]);
      }
    }
    return closure(files, (file) => requiredBy.get(file) ?? []);
  }

  /** True when the file is evaluated (or known to fail) and need not be transpiled again. */
  has(path: string): boolean {
    return this.#exports.has(path) || this.#failed.has(path);
  }

  /** A result computed from a file's text alone, kept until the file changes. */
  derived<T>(path: string, key: string, compute: () => T): T {
    const text = this.sources.get(path)?.text;
    if (text === undefined) return compute();
    let entry = this.#derived.get(path);
    if (!entry || entry.text !== text) this.#derived.set(path, (entry = { text, values: new Map() }));
    if (entry.values.has(key)) return entry.values.get(key) as T;
    const value = compute();
    entry.values.set(key, value);
    return value;
  }

  readonly #transpiled = new Map<string, { text: string; output: { code: string; map: string } }>();

  /**
   * Transpiles files ahead of evaluation, concurrently: esbuild's synchronous API pays a round
   * trip per call, its asynchronous one pipelines them. Files that fail here are transpiled again
   * (and their errors reported) when evaluation reaches them.
   */
  async pretranspile(paths: readonly string[]): Promise<void> {
    // With the persistent cache: esbuild's outputs by text, all in one entry (one file to read),
    // rewritten with this build's outputs first when any is new (older ones kept up to a limit).
    const disk = this.ctx.disk;
    const slot = keyOf("transpile", JSON.stringify(transformOptions("")));
    const kept = disk ? new Map(disk.cache.get<[string, { code: string; map: string }][]>("transpile", slot) ?? []) : undefined;
    const used = new Map<string, { code: string; map: string }>();
    let fresh = 0;
    await Promise.all(
      paths.map(async (path) => {
        try {
          const text = readFileSync(path, "utf8");
          if (this.#transpiled.get(path)?.text === text) return;
          const key = kept ? sha256(text) : "";
          let output = kept?.get(key);
          if (!output) {
            const done = await transform(text, transformOptions(path));
            output = { code: done.code, map: done.map };
            fresh++;
          }
          if (kept) used.set(key, output);
          this.#transpiled.set(path, { text, output });
        } catch {
          // reported by load()
        }
      }),
    );
    if (disk && kept && fresh > 0) {
      for (const [key, output] of kept) {
        if (used.size >= TRANSPILED_KEPT) break;
        if (!used.has(key)) used.set(key, output);
      }
      disk.cache.put("transpile", slot, [...used]);
    }
  }

  /** Evaluates a file (once) and returns its exports. Throws EvaluationError. */
  load(path: string): Record<string, unknown> {
    const cached = this.#exports.get(path);
    if (cached) return cached;
    const failed = this.#failed.get(path);
    if (failed) throw failed;

    const source = this.#read(path);
    // TypeScript's parser and the walks over its trees recurse per level: a file nested deeper
    // than any real one is refused before anything parses it.
    const deep = nestingBeyond(source.text, MAX_NESTING);
    if (deep !== undefined) {
      const start = source.lines.position(deep);
      const error = new EvaluationError(path, new Error("nested too deeply"), { file: source.rel, start, end: { line: start.line, column: start.column + 1 } }, { tooDeep: true });
      this.#failed.set(path, error);
      throw error;
    }
    const module = { exports: {} as Record<string, unknown> };
    // The outermost file's evaluation (with every author file it requires) runs under the time limit.
    const outermost = this.#evaluating.length === 0;
    this.#exports.set(path, module.exports);
    this.#evaluating.push(path);
    try {
      // esbuild erases the types (fast: TypeScript's transpileModule builds a program per file) and
      // renames an author's own top-level `module`, `exports` or `require` so they cannot clash with
      // the CommonJS plumbing below.
      const output = this.#transpiled.get(path)?.text === source.text ? this.#transpiled.get(path)!.output : transformSync(source.text, transformOptions(path));
      const map = JSON.parse(output.map || '{"mappings":""}') as { mappings: string };
      const code = output.code;
      this.sources.set(path, { ...source, map: new SourceMap(map.mappings), js: new LineIndex(code) });
      // One line before the code, so stack lines are the generated lines plus one; the code runs in
      // a block of its own, where a top-level `const exports` may shadow the parameter.
      const wrapper = "(function (exports, require, module, __filename, __dirname) {{\n";
      const fn = vm.runInThisContext(wrapper + code + "\n}})", { filename: path }) as (...args: unknown[]) => void;
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
      const error = cause instanceof EvaluationError ? cause : (this.#syntaxError(path, source.text, cause) ?? new EvaluationError(path, cause, this.spanOfError(cause)));
      this.#failed.set(path, error);
      throw error;
    } finally {
      this.#evaluating.pop();
    }
    // `module.exports = ...` replaces the object.
    this.#exports.set(path, module.exports);
    return module.exports;
  }

  /**
   * The TypeScript span of a recorded authoring-call site: the callee of the call (or tag of the
   * tagged template) that made it, e.g. `ComputerName` in `ComputerName({ ... })`.
   */
  spanOf(site: Site | undefined): Span | undefined {
    return this.callAt(site)?.span ?? (site ? this.#span(site.file, site.line, site.column) : undefined);
  }

  /** The call expression (or tagged template) at a recorded site, with its source file. */
  callAt(site: Site | undefined): { node: ts.CallExpression | ts.TaggedTemplateExpression; file: ts.SourceFile; span: Span } | undefined {
    if (!site) return undefined;
    const source = this.sources.get(site.file);
    if (!source) return undefined;
    const pos = this.#original(source, site.line - 1, site.column);
    if (!pos) return undefined;
    const offset = source.lines.offset(pos.line, pos.column);
    const file = this.syntax(site.file)!;
    // V8 places a call at its callee's name (obj.name(), name()) or just after the callee (the
    // `(` or the template): the innermost call whose callee name spans the position, or ends right before it.
    let found: ts.CallExpression | ts.TaggedTemplateExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (offset < node.pos || offset > node.end) return;
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const callee = ts.isCallExpression(node) ? node.expression : node.tag;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
        if (name.getStart(file) <= offset && offset <= callee.end + 1) found = node;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (!found) return undefined;
    let callee: ts.Node = ts.isCallExpression(found) ? found.expression : found.tag;
    if (ts.isPropertyAccessExpression(callee)) callee = callee.name;
    return { node: found, file, span: this.nodeSpan(site.file, callee) };
  }

  /**
   * A property (or array element) inside an argument of the authoring call at `site`: `path` walks
   * object literal properties by name and array literal elements by index, e.g. ["targets", "values", 0].
   * It looks through `as`, `satisfies`, `!` and parentheses. `value` is the property's value (a
   * method's whole declaration), `name` its key; both are undefined when the source does not
   * spell the property out (a spread, a variable).
   */
  propertyAt(site: Site | undefined, path: readonly (string | number)[], argument = 0): { file: string; name?: ts.Node; value: ts.Node } | undefined {
    const call = this.callAt(site);
    if (!call || !ts.isCallExpression(call.node)) return undefined;
    const start = call.node.arguments[argument];
    if (!start) return undefined;
    let found: { name?: ts.Node; value: ts.Node } = { value: unwrapExpression(start) };
    for (const key of path) {
      const next = typeof key === "number" ? elementOf(found.value, key) : propertyOf(found.value, key);
      if (!next) return undefined;
      found = next;
    }
    return { file: call.file.fileName, ...found };
  }

  /** The span of a property's value (or, with `at: "name"`, of its key) in an authoring call's argument; see propertyAt. */
  propertySpan(site: Site | undefined, path: readonly (string | number)[], options: { at?: "value" | "name"; argument?: number } = {}): Span | undefined {
    const found = this.propertyAt(site, path, options.argument);
    if (!found) return undefined;
    const node = options.at === "name" ? found.name : found.value;
    return node ? this.nodeSpan(found.file, node) : undefined;
  }

  /**
   * Reads a file that evaluation did not reach (a type-only import) so it can be parsed; false
   * when it is not a TypeScript source.
   */
  parseOnly(path: string): boolean {
    if (this.sources.has(path)) return true;
    if (!TS_EXTENSIONS.includes(extname(path)) || !existsSync(path)) return false;
    const source = this.#read(path);
    this.sources.set(path, { ...source, map: new SourceMap("") });
    return true;
  }

  /** The parsed syntax tree of an evaluated file (parsed once, on demand). */
  syntax(path: string): ts.SourceFile | undefined {
    const source = this.sources.get(path);
    if (!source) return undefined;
    const parsed = this.#syntax.get(path);
    if (parsed && parsed.text === source.text) return parsed.file;
    // No parent pointers (a third of the parse): every lookup walks down from the file, and
    // positions and texts are taken with the file given. Doc comments are not parsed: nothing reads them.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const file = ts.createSourceFile(path, source.text, options, false, ts.ScriptKind.TS);
    this.#syntax.set(path, { text: source.text, file });
    return file;
  }

  /** A node's span in its file. */
  nodeSpan(path: string, node: ts.Node): Span {
    const source = this.sources.get(path)!;
    const file = this.syntax(path)!;
    return { file: source.rel, start: source.lines.position(node.getStart(file)), end: source.lines.position(node.end) };
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

  /** The span of the innermost author frame of an error's stack. */
  spanOfError(error: unknown): Span | undefined {
    const stack = error instanceof Error ? error.stack ?? "" : "";
    for (const line of stack.split("\n").slice(1)) {
      const frame = this.#frame(line);
      const span = frame && this.#span(frame.file, frame.line, frame.column);
      if (span) return span;
    }
    return undefined;
  }

  /**
   * The evaluated file and position of one stack line: `at name (file:line:col)`, or
   * `at file:line:col` for an anonymous function. The file is one of ours, so it is looked up
   * rather than parsed (paths may hold spaces, parentheses and colons).
   */
  #frame(line: string): { file: string; line: number; column: number } | undefined {
    const m = /^\s*at (.*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) return undefined;
    const location = m[1]!;
    for (let at = 0; at >= 0; at = location.indexOf("(", at) + 1 || -1) {
      const file = location.slice(at);
      if (this.sources.has(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
    }
    return undefined;
  }

  #span(file: string, line: number, column: number): Span | undefined {
    const source = this.sources.get(file);
    if (!source) return undefined;
    const pos = this.#original(source, line - 1, column);
    if (!pos) return undefined;
    let offset = source.lines.offset(pos.line, pos.column);
    // V8 places a failed property access on a call's result at the `.` (or `?.`): the name after it is what failed.
    const member = /^\??\.\s*(?=[A-Za-z_$])/.exec(source.text.slice(offset, offset + 40));
    if (member) offset += member[0].length;
    const start = source.lines.position(offset);
    let end = offset;
    while (end < source.text.length && /[\w$]/.test(source.text[end]!)) end++;
    if (end === offset) end = offset + 1;
    return { file: source.rel, start, end: source.lines.position(end) };
  }

  /**
   * A generated position in the TypeScript source. Inside a mapping segment the offset carries over
   * only where the generated text is the source text (erased `!` aside); where TypeScript rewrote it (`exports.x`,
   * `mod_1.f`) the token at the position is looked up in the source line instead.
   */
  #original(source: SourceText, line: number, column: number): { line: number; column: number } | undefined {
    const s = source.map.segment(line, column);
    if (!s) return undefined;
    const delta = column - s.generatedColumn;
    if (delta <= 0 || !source.js) return { line: s.line, column: s.column };
    const generated = source.js.lineText(line);
    const original = source.lines.lineText(s.line);
    // Walk both texts from the segment's start while they agree, stepping over the non-null
    // assertions (`x!.y`) the transpiler erased.
    let g = s.generatedColumn - 1;
    let o = s.column - 1;
    while (g < column - 1 && o < original.length) {
      if (generated[g] === original[o]) {
        g++;
        o++;
      } else if (original[o] === "!" && original[o + 1] !== "=" && o > 0 && /[\w$)\]!]/.test(original[o - 1]!)) {
        o++;
      } else {
        break;
      }
    }
    if (g === column - 1) return { line: s.line, column: o + 1 };
    const token = /^[\w$]+/.exec(generated.slice(column - 1))?.[0];
    const at = token ? original.indexOf(token, s.column - 1) : -1;
    return { line: s.line, column: at >= 0 ? at + 1 : s.column };
  }

  #read(path: string): Omit<SourceText, "map"> {
    const text = readFileSync(path, "utf8");
    const rel = this.ctx.rel(path);
    this.ctx.sources.set(rel, text);
    return { path, rel, text, lines: new LineIndex(text) };
  }

  #require(from: string, specifier: string): unknown {
    if (specifier === "fleetform" || specifier === "fleetform/stdlib") return this.#api;
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const target = resolveSource(resolve(dirname(from), specifier));
      if (!target) {
        throw new EvaluationError(from, new Error(`cannot resolve '${specifier}'`), undefined, { unresolved: specifier });
      }
      if (!TS_EXTENSIONS.includes(extname(target))) return createRequire(from)(target);
      let targets = this.#requires.get(from);
      if (!targets) this.#requires.set(from, (targets = new Set()));
      targets.add(target);
      return this.load(target);
    }
    // A package of the config repo's own (or a Node built-in).
    return createRequire(from)(specifier);
  }
}

/** Levels of brackets a source, a value or a fragment may nest (real ones stay below 20). */
export const MAX_NESTING = 200;

/**
 * The offset of the first bracket ((, [, { or a template's ${) opened deeper than `limit` levels,
 * outside strings, comments and template text; undefined when there is none. A scan, not a parse:
 * a regular expression literal counts its brackets too, which only errs towards refusing.
 */
export function nestingBeyond(text: string, limit: number): number | undefined {
  // The stack of what is open: "(" "[" "{", "${" (a template substitution, closed by "}").
  const open: string[] = [];
  let i = 0;
  const n = text.length;
  const inTemplate = (): void => {
    // In template text: up to the closing backtick, or into a substitution.
    while (i < n) {
      const c = text[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && text[i + 1] === "{") {
        open.push("${");
        i += 2;
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "`") {
      i++;
      inTemplate();
      // (just past a "${" that opened one level too many)
      if (open.length > limit) return i - 2;
    } else if (c === "(" || c === "[" || c === "{") {
      open.push(c);
      if (open.length > limit) return i;
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      const top = open.pop();
      i++;
      if (top === "${") {
        inTemplate();
        if (open.length > limit) return i - 2;
      }
    } else i++;
  }
  return undefined;
}

const RUN = Symbol.for("fleetform.evaluate.run");

/**
 * Runs `run` under a time limit. node:vm stops synchronous code that runs too long (an endless
 * loop at a file's top level) only inside a script it runs: the call goes through a one-line script.
 */
export function runWithTimeout<T>(run: () => T, timeout: number): T {
  if (!(timeout > 0)) return run();
  const slot = globalThis as unknown as Record<symbol, (() => T) | undefined>;
  const previous = slot[RUN];
  slot[RUN] = run;
  try {
    runner ??= new vm.Script(`globalThis[Symbol.for("fleetform.evaluate.run")]()`, { filename: "fleetform:evaluate" });
    return runner.runInThisContext({ timeout }) as T;
  } finally {
    slot[RUN] = previous;
  }
}

let runner: vm.Script | undefined;

/** What a callback run by runEachWithTimeout did: returned a value, or threw (a timeout too: isTimeout). */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Runs each of `tasks` under the time limit `timeout`, like runWithTimeout for each, but with one
 * node:vm watchdog for many of them (a watchdog per call costs more than most author callbacks):
 * the tasks run one after the other in one window of `timeout` ms. When the window runs out during
 * a task that started it, that task took its whole limit: it timed out. When it runs out during a
 * later task, that task starts a window of its own (it is run again from its start), so every task
 * still gets `timeout` ms to itself, and an endless loop is stopped after at most twice that.
 */
export function runEachWithTimeout(tasks: readonly (() => unknown)[], timeout: number): Outcome[] {
  const outcomes: Outcome[] = [];
  const runFrom = (): void => {
    for (let i = outcomes.length; i < tasks.length; i++) {
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: tasks[i]!() };
      } catch (error) {
        // (node:vm's stop at the time limit cannot be caught here: it leaves the whole window)
        outcome = { ok: false, error };
      }
      outcomes.push(outcome);
    }
  };
  if (!(timeout > 0)) {
    runFrom();
    return outcomes;
  }
  while (outcomes.length < tasks.length) {
    const first = outcomes.length;
    try {
      runWithTimeout(runFrom, timeout);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      if (outcomes.length === first) outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** True for the error node:vm throws when it stopped code at its time limit. */
export function isTimeout(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}

/** The starting files and every file reached from them by `next`. */
function closure(starts: Iterable<string>, next: (file: string) => Iterable<string>): Set<string> {
  const out = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const n of next(file)) queue.push(n);
  }
  return out;
}

/** Resolves a relative import the way TypeScript's bundler/NodeNext resolution would for .ts sources. */
export function resolveSource(base: string): string | undefined {
  const candidates = [base, ...TS_EXTENSIONS.map((e) => base + e), ...TS_EXTENSIONS.map((e) => resolve(base, "index" + e))];
  // `./x.js` in NodeNext style means `./x.ts`.
  const js = /\.(m|c)?js$/.exec(base);
  if (js) candidates.unshift(base.slice(0, -js[0].length) + "." + (js[1] ?? "") + "ts");
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Looks through what changes a value's type but not the value: `as`, `satisfies`, `<T>x`, `!` and parentheses. */
export function unwrapExpression(node: ts.Node): ts.Node {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) {
    node = node.expression;
  }
  return node;
}

/** The text of a property name that is spelled out (`name`, `"name"`, `1`, `["name"]`). */
export function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrapExpression(name.expression);
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

/** The last property named `key` of an object literal (the one JavaScript keeps). */
function propertyOf(node: ts.Node, key: string): { name: ts.Node; value: ts.Node } | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  let found: { name: ts.Node; value: ts.Node } | undefined;
  for (const p of node.properties) {
    if (propertyName(p.name) !== key) continue;
    if (ts.isPropertyAssignment(p)) found = { name: p.name, value: unwrapExpression(p.initializer) };
    else if (ts.isShorthandPropertyAssignment(p)) found = { name: p.name, value: p.name };
    else if (ts.isMethodDeclaration(p) || ts.isAccessor(p)) found = { name: p.name, value: p };
  }
  return found;
}

function elementOf(node: ts.Node, index: number): { value: ts.Node } | undefined {
  if (!ts.isArrayLiteralExpression(node)) return undefined;
  const elements = node.elements;
  // After a spread, indexes in the source no longer match the value's.
  if (elements.slice(0, index + 1).some((e) => ts.isSpreadElement(e))) return undefined;
  const element = elements[index];
  return element && !ts.isOmittedExpression(element) ? { value: unwrapExpression(element) } : undefined;
}

/**
 * fleetform's API with fn, extern and resource wrapped to record each definition they make. The
 * API records where it was called from, which is now the wrapper: the site is taken again, one
 * frame further out, where the author's code called it.
 */
function recordingApi(onDefine: (def: object) => void): Record<string, unknown> {
  const wrapped: Record<string, unknown> = { ...api };
  for (const name of DEFINING) {
    const create = api[name] as (...args: unknown[]) => unknown;
    const record = function (this: unknown, ...args: unknown[]): unknown {
      const made = create.apply(this, args);
      const def = (made as { definition?: unknown } | undefined)?.definition;
      if (kindOf(def) === name) {
        (def as { site?: Site }).site = captureSite(record);
        onDefine(def as object);
      }
      return made;
    };
    Object.defineProperty(record, "name", { value: name });
    wrapped[name] = record;
  }
  return wrapped;
}

