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
import { kindOf } from "../../../stdlib/api/brand.js";
import type { FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import { fnBody, RESOURCE_PARTS, resourcePart } from "./callbacks.js";
import type { SourceLocator } from "./locator.js";
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

const DEFINITIONS = new Set(["fn", "extern", "resource"]);

export class Reuse {
  readonly #edits = new Map<string, Edit | null>();

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
    if (kind === undefined || !DEFINITIONS.has(kind) || kindOf(now) !== kind) return false;
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
      } else if (key === "site" ? !this.#sameSite(x, y) : !this.#same(x, y, seen)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether each kept definition's callbacks return what the new definition's do, all run under one
   * time-limit window. A callback that throws or runs out of time is not the same (the new one then
   * runs again in lowering, which reports it).
   */
  sameCallbacks(kept: readonly KeptDefinition[], timeout: number): boolean[] {
    const tasks: (() => unknown)[] = [];
    const ranges = kept.map(({ before, now }) => {
      const from = tasks.length;
      const kind = kindOf(before.def)!;
      for (const [key, value] of Object.entries(before.def)) {
        if (typeof value !== "function") continue;
        const call = callbackOf(kind, key)!;
        tasks.push(call(before.def), call(now));
      }
      return [from, tasks.length] as const;
    });
    const outcomes = runEachWithTimeout(tasks, timeout);
    return ranges.map(([from, to]) => {
      for (let i = from; i < to; i += 2) {
        const a = outcomes[i]!;
        const b = outcomes[i + 1]!;
        if (!a.ok || !b.ok || !this.#same(a.value, b.value, new Map())) return false;
      }
      return true;
    });
  }

  /** The names whose values differ between a file's exports before and now (the union of both). */
  changedNames(before: Record<string, unknown>, now: Record<string, unknown>): Set<string> {
    const changed = new Set<string>();
    for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
      try {
        if (!Object.hasOwn(before, name) || !Object.hasOwn(now, name) || !this.#same(before[name], now[name], new Map())) changed.add(name);
      } catch {
        changed.add(name);
      }
    }
    return changed;
  }

  /** Deep equality of author values (see the header): definitions and functions by identity. */
  #same(a: unknown, b: unknown, seen: Map<object, object>): boolean {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (seen.get(a) === b) return true;
    const kind = kindOf(a);
    if (kind !== kindOf(b) || (kind !== undefined && DEFINITIONS.has(kind))) return false;
    if (a instanceof RegExp || b instanceof RegExp) {
      return a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex;
    }
    const proto: unknown = Object.getPrototypeOf(a);
    if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== Array.prototype && proto !== null)) return false;
    seen.set(a, b);
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x);
    if (!sameList(keys, Object.keys(y))) return false;
    for (const key of keys) {
      if (key === "site" && kind !== undefined ? !this.#sameSite(x[key], y[key]) : !this.#same(x[key], y[key], seen)) return false;
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
    const a = this.positions.original(before, site.line - 1, site.column);
    const b = this.positions.original(now, site.line - 1, site.column);
    if (!a || !b || a.line !== b.line || a.column !== b.column) return false;
    const call = this.locator.callAt(site);
    if (!call) return false;
    const edit = this.#editOf(site.file, before.text, now);
    if (!edit) return true;
    if (call.node.end < edit.start) return true;
    return edit.lineShift === 0 && now.lines.position(call.node.getStart(call.file)).line > edit.lastLine;
  }

  #editOf(file: string, before: string, now: SourceText): Edit | null {
    let edit = this.#edits.get(file);
    if (edit === undefined) this.#edits.set(file, (edit = editBetween(before, now)));
    return edit;
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
