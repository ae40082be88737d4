// PowerShell literals of plain values: strings, numbers, booleans, null, arrays and hashtables.
// Every value fleetform writes into PowerShell goes through here (the emitter's printExpr for code,
// lowering for code inside an expandable string's `$(...)`), so that no value can end its literal
// early, expand a variable or run code.
//
// PowerShell (5.1 and 7) treats any of ' ‘ ’ ‚ ‛ as a single quote and " “ ” „ as a double quote
// (CharTraits.cs in the PowerShell sources), so all of them are escaped.
import type * as ir from "../phases/3-lower/ir.js";
import { expandableText, SINGLE_QUOTES, UNSAFE } from "./string-context.js";

/**
 * A string literal: single-quoted with quote characters doubled when that is enough; otherwise a
 * double-quoted string with backtick escapes (`` `n ``, `` `$ ``, `` `" `` ...) and `$([char]0xNNNN)`
 * for other unsafe code units. Uses only escapes Windows PowerShell 5.1 knows (no `` `e `` or `` `u{} ``).
 */
export function quoteString(value: string): string {
  if (!UNSAFE.test(value)) return `'${value.replace(SINGLE_QUOTES, "$&$&")}'`;
  return `"${expandableText(value)}"`;
}

export function quoteNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`no PowerShell literal for ${value}`);
  if (Object.is(value, -0)) return "0";
  let text: string;
  if (Number.isSafeInteger(value)) text = value >= -2147483648 && value <= 2147483647 ? String(value) : `${value}L`;
  else text = String(value);
  return value < 0 ? `(${text})` : text;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A hashtable key: bare when it is an identifier, else a string literal made by `quote`. */
export function quoteKey(key: string, quote: (value: string) => string = quoteString): string {
  return BARE_KEY.test(key) ? key : quote(key);
}

/**
 * A plain value's literal, its strings made by `quote`; undefined for any other kind of expression.
 * The items of an array and the values of a map are printed by `item` (by default: as literals too,
 * undefined when one is not).
 */
export function printLiteral(expr: ir.Expr, quote: (value: string) => string = quoteString, item: (e: ir.Expr) => string | undefined = (e) => printLiteral(e, quote)): string | undefined {
  switch (expr.kind) {
    case "string":
      return quote(expr.value);
    case "number":
      return quoteNumber(expr.value);
    case "boolean":
      return expr.value ? "$true" : "$false";
    case "null":
      return "$null";
    case "array": {
      const items = expr.items.map(item);
      return items.every((t) => t !== undefined) ? `@(${items.join(", ")})` : undefined;
    }
    case "map": {
      const entries = expr.entries.map((e) => [quoteKey(e.key, quote), item(e.value)] as const);
      if (!entries.every(([, v]) => v !== undefined)) return undefined;
      return entries.length === 0 ? "@{}" : `@{ ${entries.map(([k, v]) => `${k} = ${v}`).join("; ")} }`;
    }
    default:
      return undefined;
  }
}
