// The author callbacks of a definition as the build runs them: a fn's body and a resource's get,
// test, set and safe, each called with a handle per parameter or property. Lowering runs them to
// make fragments; a watch rebuild runs them to tell whether a definition evaluated again is the one
// it replaces (reuse.ts).
import type { FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { handle } from "../../../stdlib/api/values.js";

/** The PowerShell name of a property or parameter: `name` → `Name`. */
export function paramName(property: string): string {
  return property.charAt(0).toUpperCase() + property.slice(1);
}

/** Handles for a callback's parameters: `name` renders as `$Name`. */
export function handlesFor(props: Readonly<Record<string, PropType>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(props).map((p) => [p, handle(paramName(p))]));
}

export const RESOURCE_PARTS = ["get", "test", "set", "safe"] as const;

/** The author callback that makes a function's body. */
export function fnBody(fn: FnDef): () => unknown {
  const params = (fn.params ?? {}) as Record<string, PropType>;
  return () => fn.body(handlesFor(params) as never);
}

/** The author callback that makes a resource's get, test, set or safe (undefined when there is none). */
export function resourcePart(r: ResourceDef, name: (typeof RESOURCE_PARTS)[number]): (() => unknown) | undefined {
  const props = (r.properties ?? {}) as Record<string, PropType>;
  const callback = r[name];
  return typeof callback === "function" ? () => callback(handlesFor(props) as never) : undefined;
}
