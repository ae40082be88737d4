// The syntax trees of the author's sources (parsed once per text, on demand) and the results that
// depend on a file's text alone, both kept while the text is the same (across the builds of a
// watch session). Also the small AST helpers the locator and the check phase share.
import { ts } from "ts-morph";
import type { SourceText } from "./sources.js";

export class SyntaxTrees {
  /** Parsed files, with the text they were parsed from. */
  readonly #trees = new Map<string, { text: string; file: ts.SourceFile }>();
  /** Per file results of later steps that depend on its text only. */
  readonly #derived = new Map<string, { text: string; values: Map<string, unknown> }>();

  constructor(private readonly sources: ReadonlyMap<string, SourceText>) {}

  /** The parsed syntax tree of a source that was read (undefined for any other file). */
  tree(path: string): ts.SourceFile | undefined {
    const source = this.sources.get(path);
    if (!source) return undefined;
    const parsed = this.#trees.get(path);
    if (parsed && parsed.text === source.text) return parsed.file;
    // No parent pointers (a third of the parse): every lookup walks down from the file, and
    // positions and texts are taken with the file given. Doc comments are not parsed: nothing reads them.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const file = ts.createSourceFile(path, source.text, options, false, ts.ScriptKind.TS);
    this.#trees.set(path, { text: source.text, file });
    return file;
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
export function propertyOf(node: ts.Node, key: string): { name: ts.Node; value: ts.Node } | undefined {
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

/** The element at `index` of an array literal (none after a spread: indexes no longer match the value's). */
export function elementOf(node: ts.Node, index: number): { value: ts.Node } | undefined {
  if (!ts.isArrayLiteralExpression(node)) return undefined;
  const elements = node.elements;
  if (elements.slice(0, index + 1).some((e) => ts.isSpreadElement(e))) return undefined;
  const element = elements[index];
  return element && !ts.isOmittedExpression(element) ? { value: unwrapExpression(element) } : undefined;
}
