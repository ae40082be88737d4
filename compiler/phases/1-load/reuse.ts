// What a watch rebuild may keep of the last evaluation ("early cut-off"). A file evaluated again
// makes its definitions again; where one is the same as the one the same call made last time, the
// old object is kept (the authoring call returns it), so everything made from it (checks, lowering)
// is reused, and the files that import only names whose values were kept are not evaluated again.
//
// The same means, for a definition:
//   - the same kind, made by the same call: the same site, whose text is unchanged (the whole call
//     lies outside the edit, at the same line and column; spans found from it stay right);
//   - the same data (names, descriptions, property types ...), compared deeply;
//   - callbacks (a fn's body, a resource's get/test/set/safe) that return the same fragments when
//     called as lowering calls them (under the time limit; the build already assumes they are pure):
//     the same text pieces, the same values, calls of the same definitions, made at the same sites.
// A definition itself is compared by identity: one made again is another, unless it was kept.
import type { Site } from "../../../stdlib/api/brand.js";
import { isDefinitionKind, kindOf } from "../../../stdlib/api/brand.js";
import type { FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import { fnBody, lastReturned, RESOURCE_PARTS, resourcePart } from "./callbacks.js";
import type { SourceLocator } from "./locator.js";
import { MAX_NESTING } from "./nesting.js";
import type { Positions } from "./positions.js";
import type { SourceText } from "./sources.js";
import { runEachWithTimeout } from "./time-limit.js";

/** A definition and what the authoring call that made it returned (the command, the resource type). */
export interface Made {
  readonly def: object;
  readonly made: unknown;
}

/** A file as it was before this build evaluated it again. */
export interface Earlier {
  readonly exports: Record<string, unknown>;
  /** The definitions its evaluation made, in the order it made them. */
  readonly made: readonly Made[];
  /** Its text as last evaluated, with the source map of that evaluation. */
  readonly source: SourceText | undefined;
}

/** Where two texts of a file differ: one region, [start, end) in the new text, and the lines it spans. */
interface Edit {
  readonly start: number;
  /** The line (1-based) the last changed character of the new text is on. */
  readonly lastLine: number;
  /** Lines added (or, negative, removed) by the edit. */
  readonly lineShift: number;
}

/** A definition kept from the last evaluation in place of the one made again, until its callbacks are compared. */
export interface KeptDefinition {
  readonly before: Made;
  readonly now: object;
  /** Its place in the order its file's evaluation made definitions. */
  readonly index: number;
}

/**
 * How deep the comparison follows values: a fragment nested deeper is not compared (lowering
 * refuses fragments nested deeper than MAX_NESTING, and each level of a fragment is a few levels here).
 */
const MAX_DEPTH = 4 * MAX_NESTING;

export class Reuse {
  /**
   * Per file, the edit between its last evaluation's text and the text now (found again if the text
   * is read again during the build), and each site's answer (#unchanged) against it.
   */
  readonly #edits = new Map<string, { readonly text: string; readonly edit: Edit | null; readonly sites: Map<string, boolean> }>();

  constructor(
    private readonly sources: ReadonlyMap<string, SourceText>,
    private readonly positions: Positions,
    private readonly locator: SourceLocator,
    private readonly earlier: ReadonlyMap<string, Earlier>,
  ) {}

  /**
   * Whether `now`, made again, is `before` (see the header) as far as can be told while its file is
   * evaluated: all but its callbacks, which sameCallbacks compares once the file is done.
   */
  sameDefinition(before: object, now: object): boolean {
    const kind = kindOf(before);
    if (!isDefinitionKind(kind) || kindOf(now) !== kind) return false;
    const a = before as Record<string, unknown>;
    const b = now as Record<string, unknown>;
    const keys = Object.keys(a);
    if (!sameList(keys, Object.keys(b))) return false;
    const seen = new Map<object, object>();
    for (const key of keys) {
      const x = a[key];
      const y = b[key];
      if (typeof x === "function" || typeof y === "function") {
        if (typeof x !== "function" || typeof y !== "function" || !callbackOf(kind, key)) return false;
      } else if (key === "site" ? !this.#sameSite(x, y) : !this.#same(x, y, seen, 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether each kept definition's callbacks, made again, return what the kept ones returned when
   * lowering last ran them (what lowering's kept results were made from: a callback may read something
   * that changed since, a `require()` of a changed file). The new ones run under one time-limit
   * window. A kept one that lowering never ran, or that threw or ran out of time, is not the same, nor
   * is a new one that throws or runs out of time (lowering then runs it, and reports it). A kept
   * definition whose callbacks call one that is not the same is not the same either (made again, it
   * calls the new one).
   */
  sameCallbacks(kept: readonly KeptDefinition[], timeout: number): boolean[] {
    const calls = kept.map(({ before, now }) => {
      const kind = kindOf(before.def)!;
      return Object.entries(before.def)
        .filter(([, value]) => typeof value === "function")
        .map(([key]) => ({ then: lastReturned(before.def, key), now: callbackOf(kind, key)!(now) }));
    });
    const flat = calls.flat();
    const ran = runEachWithTimeout(flat.flatMap((c) => (c.then?.ok ? [c.now] : [])), timeout);
    let next = 0;
    const later = flat.map((c) => (c.then?.ok ? ran[next++] : undefined));
    // Per kept definition: whether each callback returned the same, and the definitions they call.
    let at = 0;
    const same: boolean[] = [];
    const calledBy: Set<object>[] = [];
    for (const list of calls) {
      let ok = true;
      const targets = new Set<object>();
      for (let end = at + list.length; at < end; at++) {
        const then = flat[at]!.then;
        const now = later[at];
        if (!then?.ok || !now?.ok || !this.#same(then.value, now.value, new Map(), 0)) ok = false;
        if (then?.ok && !collectTargets(then.value, targets, new Set(), 0)) ok = false;
      }
      same.push(ok);
      calledBy.push(targets);
    }
    // (until no more: a definition calling one that is not the same)
    for (let changed = true; changed; ) {
      changed = false;
      const differ = new Set(kept.filter((_, k) => !same[k]).map((k) => k.before.def));
      kept.forEach((_, k) => {
        if (same[k] && [...calledBy[k]!].some((t) => differ.has(t))) {
          same[k] = false;
          changed = true;
        }
      });
    }
    return same;
  }

  /**
   * The names whose values differ between a file's exports before and now (the union of both); "all"
   * when they are not an ES module's exports (`export =`, `module.exports = ...`: an importer may read
   * the value itself, or a default made from it).
   */
  changedNames(before: Record<string, unknown>, now: Record<string, unknown>): Set<string> | "all" {
    if (!esModule(before) || !esModule(now)) return "all";
    const changed = new Set<string>();
    for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
      try {
        if (!Object.hasOwn(before, name) || !Object.hasOwn(now, name) || !this.#same(before[name], now[name], new Map(), 0)) changed.add(name);
      } catch {
        changed.add(name);
      }
    }
    return changed;
  }

  /**
   * Deep equality of author values (see the header): definitions and functions by identity. A value
   * nested deeper than MAX_DEPTH, or with a getter (which would run author code here, outside the
   * time limit), is not the same.
   */
  #same(a: unknown, b: unknown, seen: Map<object, object>, depth: number): boolean {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || depth > MAX_DEPTH) return false;
    if (seen.get(a) === b) return true;
    const kind = kindOf(a);
    if (kind !== kindOf(b) || isDefinitionKind(kind)) return false;
    if (a instanceof RegExp || b instanceof RegExp) {
      return a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
    }
    const proto: unknown = Object.getPrototypeOf(a);
    if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== Array.prototype && proto !== null)) return false;
    seen.set(a, b);
    const keys = Object.keys(a);
    if (!sameList(keys, Object.keys(b))) return false;
    for (const key of keys) {
      const x = Object.getOwnPropertyDescriptor(a, key)!;
      const y = Object.getOwnPropertyDescriptor(b, key)!;
      if (!("value" in x) || !("value" in y)) return false;
      if (key === "site" && kind !== undefined ? !this.#sameSite(x.value, y.value) : !this.#same(x.value, y.value, seen, depth + 1)) return false;
    }
    return true;
  }

  /** The same site, of a call whose text is unchanged at the same place (see #unchanged). */
  #sameSite(a: unknown, b: unknown): boolean {
    if (a === undefined || b === undefined) return a === b;
    const x = a as Site;
    const y = b as Site;
    return x.file === y.file && x.line === y.line && x.column === y.column && this.#unchanged(x);
  }

  /**
   * Whether the authoring call at `site` (in the JavaScript that ran) is where it was in the last
   * evaluation and its text is as it was: its file's text is unchanged, or the call lies wholly before
   * the edit, or wholly after it on a later line with no line added or removed (so that every span
   * found from it, a property's, a `${...}`'s, is the same).
   */
  #unchanged(site: Site): boolean {
    const earlier = this.earlier.get(site.file);
    if (!earlier) return true;
    const before = earlier.source;
    const now = this.sources.get(site.file);
    if (!before || !now) return false;
    if (before.text === now.text) return true;
    // (asked again for the same site when a kept definition's data is compared once more)
    const edited = this.#editOf(site.file, before.text, now);
    const key = `${site.line}:${site.column}`;
    let unmoved = edited.sites.get(key);
    if (unmoved === undefined) edited.sites.set(key, (unmoved = this.#unmoved(site, before, now, edited.edit)));
    return unmoved;
  }

  /** Whether the call at `site` maps to the same TypeScript position in both texts and lies outside the edit, unmoved. */
  #unmoved(site: Site, before: SourceText, now: SourceText, edit: Edit | null): boolean {
    const a = this.positions.original(before, site.line - 1, site.column);
    const b = this.positions.original(now, site.line - 1, site.column);
    if (!a || !b || a.line !== b.line || a.column !== b.column) return false;
    const call = this.locator.callRange(site);
    if (!call) return false;
    if (!edit) return true;
    if (call.end < edit.start) return true;
    return edit.lineShift === 0 && now.lines.position(call.start).line > edit.lastLine;
  }

  #editOf(file: string, before: string, now: SourceText): { readonly edit: Edit | null; readonly sites: Map<string, boolean> } {
    let kept = this.#edits.get(file);
    if (kept?.text !== now.text) this.#edits.set(file, (kept = { text: now.text, edit: editBetween(before, now), sites: new Map() }));
    return kept;
  }
}

/** The one region where two texts differ (null when they do not). */
function editBetween(before: string, now: SourceText): Edit | null {
  const after = now.text;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start === before.length && start === after.length) return null;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const lines = (text: string, from: number, to: number): number => {
    let n = 0;
    for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
    return n;
  };
  const end = after.length - tail;
  return {
    start,
    lastLine: now.lines.position(Math.max(start, end - 1)).line,
    lineShift: lines(after, start, end) - lines(before, start, before.length - tail),
  };
}

/** Whether exports are an ES module's as esbuild's CommonJS makes them (marked __esModule). */
function esModule(exports: unknown): boolean {
  return typeof exports === "object" && exports !== null && (exports as { __esModule?: unknown }).__esModule === true;
}

/**
 * The definitions a callback's fragment calls (the targets of its calls, nested fragments included);
 * false when it is nested deeper than MAX_DEPTH or has a getter (not walked: not the same).
 */
function collectTargets(value: unknown, into: Set<object>, seen: Set<object>, depth: number): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return true;
  if (depth > MAX_DEPTH) return false;
  seen.add(value);
  if (kindOf(value) === "call") into.add((value as { target: object }).target);
  for (const key of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if (!("value" in d) || !collectTargets(d.value, into, seen, depth + 1)) return false;
  }
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** How lowering calls the callback at `key` of a definition of `kind` (undefined: lowering calls no such callback). */
function callbackOf(kind: string, key: string): ((def: object) => () => unknown) | undefined {
  if (kind === "fn" && key === "body") return (def) => fnBody(def as FnDef);
  if (kind === "resource" && (RESOURCE_PARTS as readonly string[]).includes(key)) {
    return (def) => resourcePart(def as ResourceDef, key as (typeof RESOURCE_PARTS)[number])!;
  }
  return undefined;
}
