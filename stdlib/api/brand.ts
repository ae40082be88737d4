/**
 * Every object the authoring API creates carries this brand, so the compiler can recognise it
 * whichever copy of the package created it (a Symbol.for is shared across module instances).
 */
export const KIND: unique symbol = Symbol.for("fleetform.kind") as never;

export type Kind =
  | "config"
  | "module"
  | "type"
  | "fragment"
  | "raw"
  | "handle"
  | "fn"
  | "extern"
  | "call"
  | "runtime"
  | "resource"
  | "instance"
  | "configuration"
  | "stack"
  | "association";

/** Where an authoring call was made: the evaluated file and the position in its emitted JavaScript. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The kinds of what an author defines (fn, extern, resource): what the compiler records and emits. */
export function isDefinitionKind(kind: Kind | undefined): kind is "fn" | "extern" | "resource" {
  return kind === "fn" || kind === "extern" || kind === "resource";
}

export function kindOf(value: unknown): Kind | undefined {
  if ((typeof value === "object" || typeof value === "function") && value !== null && KIND in value) {
    return (value as { [KIND]: Kind })[KIND];
  }
  return undefined;
}

/**
 * The caller's position, skipping every frame up to and including `above`. The compiler maps it
 * back to the TypeScript source through the source map it made when it transpiled the file.
 */
export function captureSite(above: Function): Site | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, frames) => frames;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, above);
    const frame = holder.stack?.[0];
    const file = frame?.getFileName();
    if (!frame || !file) return undefined;
    return { file, line: frame.getLineNumber() ?? 0, column: frame.getColumnNumber() ?? 0 };
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

export function brand<K extends Kind, T extends object>(kind: K, value: T): T & { readonly [KIND]: K } {
  Object.defineProperty(value, KIND, { value: kind, enumerable: false });
  return value as T & { readonly [KIND]: K };
}

/**
 * An author's options as plain data, read once, now: a copy of every plain object and array in
 * them (own enumerable properties; holes stay holes), so every getter runs while the author's file
 * is evaluated (one that throws is reported there, at its line, not later as a compiler error) and
 * every later read sees the same value. What the API made (branded values), functions, RegExps and
 * other objects that are not plain are kept as they are. Shared and cyclic parts stay shared.
 */
export function settled<T>(value: T, seen: Map<object, unknown> = new Map()): T {
  if (typeof value !== "object" || value === null || kindOf(value) !== undefined) return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = settled(value[i], seen);
    return copy as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = settled((value as Record<string, unknown>)[key], seen);
  return copy as T;
}
