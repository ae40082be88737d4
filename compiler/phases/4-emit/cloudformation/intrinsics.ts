// CloudFormation's short-form intrinsic functions and the template's string values, as YAML
// scalars of the one serialiser (../yaml.ts): what every template of the build writes with.
import type { Scalar } from "yaml";
import type * as ir from "../../3-lower/ir.js";
import { quotedScalar, taggedScalar } from "../yaml.js";

export const ref = (name: string): Scalar => taggedScalar("!Ref", name);
export const sub = (template: string): Scalar => taggedScalar("!Sub", template);
export const getAtt = (path: string): Scalar => taggedScalar("!GetAtt", path);
/** A double-quoted string: dates such as 2010-09-09 would be timestamps to a YAML 1.1 reader. */
export const quoted = (value: string): Scalar => quotedScalar(value);

/** A value that is text, a stack parameter (!Ref) or a !Sub template. */
export function cfnString(v: ir.CfnString): string | Scalar {
  return v.kind === "literal" ? v.value : v.kind === "ref" ? ref(v.name) : sub(v.template);
}

/**
 * The names a template's value refers to: every !Ref and every `${Name}` of a !Sub (not `${!Name}`,
 * which is text, nor `${Res.Attr}`), in the short forms above and in the long ones (Ref, Fn::Sub).
 */
export function referencedNames(value: unknown, into = new Set<string>()): Set<string> {
  const subNames = (template: unknown): void => {
    if (typeof template !== "string") return;
    for (const m of template.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) into.add(m[1]!);
  };
  if (value === null || typeof value !== "object") return into;
  const tag = (value as { tag?: unknown }).tag;
  if (typeof tag === "string" && "value" in value) {
    const v = (value as { value: unknown }).value;
    if (tag === "!Ref" && typeof v === "string") into.add(v);
    else if (tag === "!Sub") subNames(v);
    return into;
  }
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, into);
    return into;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === "Ref" && typeof item === "string") into.add(item);
    else if (key === "Fn::Sub") subNames(Array.isArray(item) ? item[0] : item);
    referencedNames(item, into);
  }
  return into;
}

/**
 * Takes out of `parameters` the ones nothing in `used` refers to (see referencedNames): a parameter
 * a template declares and never reads is one the deployer is asked for in vain (cfn-lint W2001),
 * and the pipeline passes a stack exactly what its template declares.
 */
export function dropUnusedParameters(parameters: Record<string, unknown>, used: unknown): void {
  const names = referencedNames(used);
  for (const name of Object.keys(parameters)) if (!names.has(name)) delete parameters[name];
}
