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
