// Where things are in the author's sources, for diagnostics: the span of a recorded authoring call
// and of the properties of its arguments, of a node, of a thrown error's author frame. The check
// phase gets a SourceLocator (with syntax trees); lowering a SpanLocator (spans only: from lowering
// on nothing touches TypeScript's syntax trees). Both are read-only.
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import type { Site } from "../../../stdlib/api/brand.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import type { Positions } from "./positions.js";
import type { SourceText } from "./sources.js";
import { calleeAt, callRange, templateHoles, type Range } from "./lexical.js";
import { elementOf, propertyOf, unwrapExpression, type SyntaxTrees } from "./syntax.js";

/** A path into an authoring call's argument: object literal properties by name, array elements by index, e.g. ["targets", "values", 0]. */
export type PropertyPath = readonly (string | number)[];

/** A `${...}` of a ps`...` template. */
export interface TemplateHole {
  readonly span: Span;
  /** The expression's text when it names a value (`getOsBuild`, `lib.getOsBuild`), for messages. */
  readonly name?: string;
}

/** Spans in the author's sources, for lowering. */
export interface SpanLocator {
  /**
   * The TypeScript span of a recorded authoring-call site: the callee of the call (or tag of the
   * tagged template) that made it, e.g. `ComputerName` in `ComputerName({ ... })`.
   */
  spanOf(site: Site | undefined): Span | undefined;
  /**
   * The span of a property's value (or, with `at: "name"`, of its key) in an argument of the
   * authoring call at `site`. It looks through `as`, `satisfies`, `!` and parentheses; undefined
   * when the source does not spell the property out (a spread, a variable).
   */
  propertySpan(site: Site | undefined, path: PropertyPath, options?: { readonly at?: "value" | "name"; readonly argument?: number }): Span | undefined;
  /** The span of a property of a defining call's options (`name`, `version`, ...), else of the call. */
  optionSpan(site: Site | undefined, path: PropertyPath, at?: "value" | "name"): Span | undefined;
  /** The ps`...` template at a fragment's site: its span and its `${...}` holes (none when it is not found). */
  templateAt(site: Site | undefined): { readonly span?: Span; readonly holes: readonly TemplateHole[] };
  /** The span of the innermost author frame of an error's stack. */
  spanOfError(error: unknown): Span | undefined;
  /** Whether the build read this file as one of the author's sources. */
  isSource(path: string): boolean;
  /** The text of one of the author's sources (undefined for any other file). */
  textOf(path: string): string | undefined;
}

/** Spans and syntax in the author's sources, for the check phase. */
export interface SourceLocator extends SpanLocator {
  /** The call expression (or tagged template) at a recorded site, with its source file. */
  callAt(site: Site | undefined): { node: ts.CallExpression | ts.TaggedTemplateExpression; file: ts.SourceFile; span: Span } | undefined;
  /**
   * A property (or array element) inside an argument of the authoring call at `site` (see
   * propertySpan): `value` is the property's value (a method's whole declaration), `name` its key.
   */
  propertyAt(site: Site | undefined, path: PropertyPath, argument?: number): { file: string; name?: ts.Node; value: ts.Node } | undefined;
  /** The offsets in its file of the whole call (or tagged template) at a recorded site, from its callee's start to its end. */
  callRange(site: Site | undefined): Range | undefined;
  /** A node's span in its file. */
  nodeSpan(path: string, node: ts.Node): Span;
  /** The parsed syntax tree of a source the build read. */
  syntax(path: string): ts.SourceFile | undefined;
  /**
   * A result computed from the source at `site` alone (JSON data: spans, strings, no syntax nodes),
   * kept with its file's text, in the persistent cache too; `key` names what `compute` finds there.
   */
  fromSource<T>(site: Site | undefined, key: string, compute: () => T): T;
}

export class Locator implements SourceLocator {
  constructor(
    private readonly sources: ReadonlyMap<string, SourceText>,
    private readonly positions: Positions,
    private readonly trees: SyntaxTrees,
  ) {}

  // The spans (spanOf, propertySpan, templateAt) depend on the text of the site's file alone: they
  // are kept with it (SyntaxTrees.derived), in the persistent cache too, so that a build in a new
  // process parses only the files that changed. What returns syntax nodes is computed each time.

  spanOf(site: Site | undefined): Span | undefined {
    if (!site) return undefined;
    return this.fromSource(site, "spanOf", () => {
      const quick = this.#callee(site);
      if (quick) return quick.span;
      return this.callAt(site)?.span ?? this.positions.spanAt(site.file, site.line, site.column);
    });
  }

  /**
   * The callee at a site read off the text (lexical.ts), without TypeScript's syntax tree:
   * undefined where the text is not plain enough to be sure, and the tree is asked.
   */
  #callee(site: Site): { source: SourceText; callee: Range & { tagged: boolean }; span: Span } | undefined {
    const source = this.sources.get(site.file);
    if (!source) return undefined;
    const pos = this.positions.original(source, site.line - 1, site.column);
    if (!pos) return undefined;
    const callee = calleeAt(source.text, source.lines.offset(pos.line, pos.column));
    return callee && { source, callee, span: { file: source.rel, start: source.lines.position(callee.start), end: source.lines.position(callee.end) } };
  }

  callAt(site: Site | undefined): { node: ts.CallExpression | ts.TaggedTemplateExpression; file: ts.SourceFile; span: Span } | undefined {
    const ts = typescript();
    if (!site) return undefined;
    const source = this.sources.get(site.file);
    if (!source) return undefined;
    const pos = this.positions.original(source, site.line - 1, site.column);
    if (!pos) return undefined;
    const offset = source.lines.offset(pos.line, pos.column);
    const file = this.trees.tree(site.file)!;
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

  callRange(site: Site | undefined): Range | undefined {
    if (!site) return undefined;
    const quick = this.#callee(site);
    const range = quick && callRange(quick.source.text, quick.callee);
    if (range) return range;
    const call = this.callAt(site);
    return call && { start: call.node.getStart(call.file), end: call.node.end };
  }

  propertyAt(site: Site | undefined, path: PropertyPath, argument = 0): { file: string; name?: ts.Node; value: ts.Node } | undefined {
    const ts = typescript();
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

  propertySpan(site: Site | undefined, path: PropertyPath, options: { readonly at?: "value" | "name"; readonly argument?: number } = {}): Span | undefined {
    if (!site) return undefined;
    return this.fromSource(site, `propertySpan ${options.argument ?? 0} ${options.at ?? "value"} ${JSON.stringify(path)}`, () => {
      const found = this.propertyAt(site, path, options.argument);
      if (!found) return undefined;
      const node = options.at === "name" ? found.name : found.value;
      return node ? this.nodeSpan(found.file, node) : undefined;
    });
  }

  optionSpan(site: Site | undefined, path: PropertyPath, at: "value" | "name" = "value"): Span | undefined {
    return this.propertySpan(site, path, { at }) ?? this.spanOf(site);
  }

  templateAt(site: Site | undefined): { readonly span?: Span; readonly holes: readonly TemplateHole[] } {
    if (!site) return { holes: [] };
    return this.fromSource(site, "templateAt", () => this.#templateAt(site));
  }

  #templateAt(site: Site): { readonly span?: Span; readonly holes: readonly TemplateHole[] } {
    const quick = this.#callee(site);
    if (quick && !quick.callee.tagged) return { span: quick.span, holes: [] };
    const holes = quick && templateHoles(quick.source.text, quick.callee.end);
    if (quick && holes) {
      const { rel, lines } = quick.source;
      return { span: quick.span, holes: holes.map((h) => ({ span: { file: rel, start: lines.position(h.start), end: lines.position(h.end) }, ...(h.name !== undefined ? { name: h.name } : {}) })) };
    }
    return this.#templateFromTree(site);
  }

  #templateFromTree(site: Site): { readonly span?: Span; readonly holes: readonly TemplateHole[] } {
    const ts = typescript();
    const call = this.callAt(site);
    const span = call?.span ?? this.positions.spanAt(site.file, site.line, site.column);
    const holes: TemplateHole[] = [];
    if (call && ts.isTaggedTemplateExpression(call.node) && ts.isTemplateExpression(call.node.template)) {
      for (const t of call.node.template.templateSpans) {
        const expression = unwrapExpression(t.expression);
        const text = ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression) ? expression.getText(call.file) : undefined;
        const name = text !== undefined && !/\s/.test(text) ? text : undefined;
        holes.push({ span: this.nodeSpan(call.file.fileName, t.expression), ...(name !== undefined ? { name } : {}) });
      }
    }
    return { ...(span ? { span } : {}), holes };
  }

  nodeSpan(path: string, node: ts.Node): Span {
    const source = this.sources.get(path)!;
    const file = this.trees.tree(path)!;
    return { file: source.rel, start: source.lines.position(node.getStart(file)), end: source.lines.position(node.end) };
  }

  syntax(path: string): ts.SourceFile | undefined {
    return this.trees.tree(path);
  }

  fromSource<T>(site: Site | undefined, key: string, compute: () => T): T {
    return site ? this.trees.derived(site.file, `${key} ${site.line}:${site.column}`, compute, true) : compute();
  }

  spanOfError(error: unknown): Span | undefined {
    return this.positions.spanOfError(error);
  }

  isSource(path: string): boolean {
    return this.sources.has(path);
  }

  textOf(path: string): string | undefined {
    return this.sources.get(path)?.text;
  }
}
