// The syntax trees of the author's sources (parsed once per text, on demand) and the results that
// depend on a file's text alone, both kept while the text is the same (across the builds of a
// watch session). Results asked for with `keep` (JSON data: spans, not syntax nodes) are also kept
// in the persistent cache, by the file's path and text, so that a build in a new process parses
// no unchanged file. Also the small AST helpers the locator and the check phase share.
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import type { DiskStore } from "../context.js";
import { keyOf } from "../../util/hash.js";
import type { SourceText } from "./sources.js";

/** A file's results kept in the persistent cache: [key] for undefined, else [key, value]. */
type KeptResults = ([string] | [string, unknown])[];

export class SyntaxTrees {
  /** Parsed files, with the text they were parsed from. */
  readonly #trees = new Map<string, { text: string; file: ts.SourceFile }>();
  /** Per file results of later steps that depend on its text only. */
  readonly #derived = new Map<string, Derived>();
  /** The persistent cache (none in a watch session or with --no-cache). */
  #disk: DiskStore | undefined;

  constructor(private readonly sources: ReadonlyMap<string, SourceText>) {}

  /** The persistent cache this build reads kept results from and keeps new ones in. */
  bind(disk: DiskStore | undefined): void {
    this.#disk = disk;
  }

  /** The parsed syntax tree of a source that was read (undefined for any other file). */
  tree(path: string): ts.SourceFile | undefined {
    const ts = typescript();
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

  /**
   * A result computed from a file's text (and path) alone, kept until the file changes; with
   * `keep`, a JSON value (no syntax nodes; undefined allowed) also kept in the persistent cache:
   * with the file's other kept results, or (`"apart"`: one every build asks of every file, such as
   * its imports) in an entry of its own, so that reading it does not read the others (spans, asked
   * for only where something is lowered or reported).
   */
  derived<T>(path: string, key: string, compute: () => T, keep: boolean | "apart" = false): T {
    const source = this.sources.get(path);
    if (!source) return compute();
    let entry = this.#derived.get(path);
    if (!entry || entry.text !== source.text) this.#derived.set(path, (entry = { text: source.text, rel: source.rel, values: new Map(), shelves: new Map(), keys: new Map() }));
    if (entry.values.has(key)) return entry.values.get(key) as T;
    const disk = keep ? this.#disk : undefined;
    const name = keep === "apart" ? key : "";
    let shelf = disk ? entry.shelves.get(name) : undefined;
    if (disk && !shelf) entry.shelves.set(name, (shelf = { kept: readKept(disk, entry, name), dirty: false }));
    if (shelf?.kept.has(key)) {
      const value = shelf.kept.get(key) as T;
      entry.values.set(key, value);
      return value;
    }
    const value = compute();
    entry.values.set(key, value);
    if (shelf) {
      shelf.kept.set(key, value);
      shelf.dirty = true;
    }
    return value;
  }

  /** Keeps the results computed in this build (with `keep`) in the persistent cache: an entry per file (and per result kept apart). */
  keep(): void {
    const disk = this.#disk;
    if (!disk) return;
    for (const entry of this.#derived.values()) {
      for (const [name, shelf] of entry.shelves) {
        if (!shelf.dirty) continue;
        const value: KeptResults = [...shelf.kept].map(([k, v]) => (v === undefined ? [k] : [k, v]));
        disk.put("derived", derivedKey(entry, name), value);
        shelf.dirty = false;
      }
    }
  }
}

interface Derived {
  readonly text: string;
  readonly rel: string;
  readonly values: Map<string, unknown>;
  /**
   * The results kept in the persistent cache, by entry ("": the file's; else the name of a result
   * kept apart), each read on first use, and whether this build added any.
   */
  readonly shelves: Map<string, { readonly kept: Map<string, unknown>; dirty: boolean }>;
  /** derivedKey's keys, by the name of the result kept apart ("": the file's). */
  readonly keys: Map<string, string>;
}

/**
 * Spans name the file by its repo-relative path: an entry is a file's by its path and text (and the
 * name of a result kept apart). Made once per entry and name (read, then kept: the text hashed once).
 */
function derivedKey(entry: Derived, name: string): string {
  let key = entry.keys.get(name);
  if (key === undefined) entry.keys.set(name, (key = name === "" ? keyOf("derived", entry.rel, entry.text) : keyOf("derived", entry.rel, entry.text, name)));
  return key;
}

/** A file's kept results; anything but a list of [key] and [key, value] is a miss. */
function readKept(disk: DiskStore, entry: Derived, name: string): Map<string, unknown> {
  const kept = new Map<string, unknown>();
  const value = disk.get<unknown>("derived", derivedKey(entry, name));
  if (!Array.isArray(value)) return kept;
  for (const item of value) {
    if (!Array.isArray(item) || typeof item[0] !== "string" || item.length > 2) return new Map();
    kept.set(item[0], item[1]);
  }
  return kept;
}

/** Looks through what changes a value's type but not the value: `as`, `satisfies`, `<T>x`, `!` and parentheses. */
export function unwrapExpression(node: ts.Node): ts.Node {
  const ts = typescript();
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) {
    node = node.expression;
  }
  return node;
}

/** The text of a property name that is spelled out (`name`, `"name"`, `1`, `["name"]`). */
export function propertyName(name: ts.PropertyName | undefined): string | undefined {
  const ts = typescript();
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
  const ts = typescript();
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
  const ts = typescript();
  if (!ts.isArrayLiteralExpression(node)) return undefined;
  const elements = node.elements;
  if (elements.slice(0, index + 1).some((e) => ts.isSpreadElement(e))) return undefined;
  const element = elements[index];
  return element && !ts.isOmittedExpression(element) ? { value: unwrapExpression(element) } : undefined;
}
