// The author callbacks of a definition as the build runs them: a fn's body and a resource's get,
// test, set and safe, each called with a handle per parameter or property. Lowering runs them to
// make fragments; a watch rebuild runs a definition made again, to tell whether it returns what its
// last version returned when lowering ran it (reuse.ts): what each call returned (or that it threw)
// is kept with the definition.
import type { FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { handle } from "../../../stdlib/api/values.js";

/** The PowerShell name of a property or parameter: `name` → `Name`. */
export function paramName(property: string): string {
  return property.charAt(0).toUpperCase() + property.slice(1);
}

/** The handles of secret and credential properties and parameters (they may only go where a secret goes). */
const secretHandles = new WeakSet<object>();

/** Whether a value is the handle of a t.secret() or t.credential() property or parameter. */
export function isSecretHandle(value: unknown): boolean {
  return typeof value === "object" && value !== null && secretHandles.has(value);
}

/** Handles for a callback's parameters: `name` renders as `$Name`. */
export function handlesFor(props: Readonly<Record<string, PropType>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(props).map(([p, type]) => {
      const h = handle(paramName(p));
      if (type?.type === "secret" || type?.type === "credential") secretHandles.add(h as object);
      return [p, h];
    }),
  );
}

export const RESOURCE_PARTS = ["get", "test", "set", "safe"] as const;

/** What a callback's last call returned, or that it threw (not kept: it ran out of time). */
export type Returned = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Per definition, per callback, what its last call (by a thunk below) returned. */
const returned = new WeakMap<object, Map<string, Returned>>();

/** What the callback `part` of `def` returned when last called (undefined: never called, or it ran out of time). */
export function lastReturned(def: object, part: string): Returned | undefined {
  return returned.get(def)?.get(part);
}

/** Calls `callback` for `def`'s `part`, keeping what it returned. */
function kept(def: object, part: string, callback: () => unknown): () => unknown {
  return () => {
    let parts = returned.get(def);
    if (!parts) returned.set(def, (parts = new Map()));
    // (a call the time limit stops leaves nothing: no catch runs)
    parts.delete(part);
    try {
      const value = callback();
      parts.set(part, { ok: true, value });
      return value;
    } catch (e) {
      parts.set(part, { ok: false });
      throw e;
    }
  };
}

/** The author callback that makes a function's body. */
export function fnBody(fn: FnDef): () => unknown {
  const params = (fn.params ?? {}) as Record<string, PropType>;
  return kept(fn, "body", () => fn.body(handlesFor(params) as never));
}

/** The author callback that makes a resource's get, test, set or safe (undefined when there is none). */
export function resourcePart(r: ResourceDef, name: (typeof RESOURCE_PARTS)[number]): (() => unknown) | undefined {
  const props = (r.properties ?? {}) as Record<string, PropType>;
  const callback = r[name];
  return typeof callback === "function" ? kept(r, name, () => callback(handlesFor(props) as never)) : undefined;
}
