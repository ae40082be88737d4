// Runs the author's TypeScript: each file is transpiled (types erased, no checking: the native
// type checker runs beside us) to CommonJS with a source map and executed in this process, with a
// `require` that hands out fleetform's own API for "fleetform".
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import vm from "node:vm";
import { ts } from "ts-morph";
import * as api from "../../../stdlib/index.js";
import type { Site } from "../../../stdlib/api/brand.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import type { CompileContext } from "../../context.js";
import { SourceMap } from "../../util/sourcemap.js";
import { LineIndex } from "../../util/text.js";

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
export class EvaluationError extends Error {
  constructor(
    readonly file: string,
    readonly original: unknown,
    readonly span: Span | undefined,
    readonly unresolved?: string,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

const WRAPPER = "(function (exports, require, module, __filename, __dirname) {\n";
const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

export class Evaluator {
  readonly sources = new Map<string, SourceText>();
  readonly #exports = new Map<string, Record<string, unknown>>();
  readonly #failed = new Map<string, EvaluationError>();
  readonly #syntax = new Map<string, ts.SourceFile>();

  constructor(private readonly ctx: CompileContext) {}

  /** Evaluates a file (once) and returns its exports. Throws EvaluationError. */
  load(path: string): Record<string, unknown> {
    const cached = this.#exports.get(path);
    if (cached) return cached;
    const failed = this.#failed.get(path);
    if (failed) throw failed;

    const source = this.#read(path);
    const module = { exports: {} as Record<string, unknown> };
    this.#exports.set(path, module.exports);
    try {
      const output = ts.transpileModule(source.text, {
        fileName: path,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          sourceMap: true,
          esModuleInterop: true,
          isolatedModules: true,
        },
      });
      const map = JSON.parse(output.sourceMapText ?? '{"mappings":""}') as { mappings: string };
      const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
      this.sources.set(path, { ...source, map: new SourceMap(map.mappings), js: new LineIndex(code) });
      const fn = vm.runInThisContext(WRAPPER + code + "\n})", { filename: path }) as (...args: unknown[]) => void;
      fn.call(module.exports, module.exports, (specifier: string) => this.#require(path, specifier), module, path, dirname(path));
    } catch (cause) {
      this.#exports.delete(path);
      const error = cause instanceof EvaluationError ? cause : new EvaluationError(path, cause, this.spanOfError(cause));
      this.#failed.set(path, error);
      throw error;
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
    let file = this.#syntax.get(path);
    if (!file) {
      file = ts.createSourceFile(path, source.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      this.#syntax.set(path, file);
    }
    return file;
  }

  /** A node's span in its file. */
  nodeSpan(path: string, node: ts.Node): Span {
    const source = this.sources.get(path)!;
    const file = this.syntax(path)!;
    return { file: source.rel, start: source.lines.position(node.getStart(file)), end: source.lines.position(node.end) };
  }

  /** The span of the innermost author frame of an error's stack. */
  spanOfError(error: unknown): Span | undefined {
    const stack = error instanceof Error ? error.stack ?? "" : "";
    for (const line of stack.split("\n").slice(1)) {
      const m = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
      if (!m) continue;
      const span = this.#span(m[1]!, Number(m[2]), Number(m[3]));
      if (span) return span;
    }
    return undefined;
  }

  #span(file: string, line: number, column: number): Span | undefined {
    const source = this.sources.get(file);
    if (!source) return undefined;
    const pos = this.#original(source, line - 1, column);
    if (!pos) return undefined;
    const start = { line: pos.line, column: pos.column };
    const offset = source.lines.offset(start.line, start.column);
    let end = offset;
    while (end < source.text.length && /[\w$]/.test(source.text[end]!)) end++;
    if (end === offset) end = offset + 1;
    return { file: source.rel, start, end: source.lines.position(end) };
  }

  /**
   * A generated position in the TypeScript source. Inside a mapping segment the offset carries over
   * only where the generated text is the source text; where TypeScript rewrote it (`exports.x`,
   * `mod_1.f`) the token at the position is looked up in the source line instead.
   */
  #original(source: SourceText, line: number, column: number): { line: number; column: number } | undefined {
    const s = source.map.segment(line, column);
    if (!s) return undefined;
    const delta = column - s.generatedColumn;
    if (delta <= 0 || !source.js) return { line: s.line, column: s.column };
    const generated = source.js.lineText(line);
    const original = source.lines.lineText(s.line);
    if (generated.slice(s.generatedColumn - 1, column - 1) === original.slice(s.column - 1, s.column - 1 + delta)) {
      return { line: s.line, column: s.column + delta };
    }
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
    if (specifier === "fleetform" || specifier === "fleetform/stdlib") return api;
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const target = resolveSource(resolve(dirname(from), specifier));
      if (!target) {
        throw new EvaluationError(from, new Error(`cannot resolve '${specifier}'`), undefined, specifier);
      }
      if (!TS_EXTENSIONS.includes(extname(target))) return createRequire(from)(target);
      return this.load(target);
    }
    // A package of the config repo's own (or a Node built-in).
    return createRequire(from)(specifier);
  }
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
