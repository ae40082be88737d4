// Checking CloudFormation templates the way CloudFormation takes them: registry resource schemas and
// cfn-lint's IAM policy schemas (ajv), intrinsic functions resolved as at deploy time (each
// condition true and false), and the targets of every Ref, GetAtt and Sub.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { deliveryDir, resourcesOf } from "./helpers.js";

/**
 * The registry's patterns are written for Java regexes: some need JavaScript's `u` flag (`\p{L}`),
 * others are invalid with it (`\:` in Document.TargetType is an identity escape, which unicode mode
 * rejects). Use `u` where the pattern compiles with it, and the plain flags otherwise.
 */
export const registryRegExp = Object.assign(
  (source: string, flags: string): RegExp => {
    // Java's \Z (end of input, before a final line terminator) ends several patterns (log group
    // names, KMS key ids); JavaScript's $ without the m flag is the nearest (and stricter).
    const pattern = source.replace(/(?<!\\)\\Z$/, "$");
    try {
      return new RegExp(pattern, flags);
    } catch {
      return new RegExp(pattern, flags.replace("u", ""));
    }
  },
  { code: "new RegExp" },
);

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(deliveryDir, "schemas", file), "utf8")) as Record<string, unknown>;
}

/** An ajv for the registry's and cfn-lint's schemas: cfn-lint's `requiredXor` (exactly one of the keys) and its ARN formats. */
export function cfnAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: registryRegExp } });
  ajv.addKeyword({
    keyword: "requiredXor",
    type: "object",
    schemaType: "array",
    validate: (keys: string[], data: Record<string, unknown>) => keys.filter((k) => k in data).length === 1,
  });
  ajv.addFormat("AWS::IAM::Role.Arn", /^arn:aws[A-Za-z-]*:iam::\d{12}:role\/.+$/);
  return ajv;
}

/**
 * A registry resource schema as plain JSON Schema: only the validation keys are kept
 * (`properties`, `definitions`, `required`, `additionalProperties`); readOnlyProperties,
 * createOnlyProperties, primaryIdentifier, handlers, tagging, typeName ... are dropped. `$ref`s are
 * `#/definitions/...`, which resolve inside the fresh schema because `definitions` is kept.
 * Dialect keywords inside property schemas (insertionOrder, relationshipRef) are ignored by ajv
 * with `strict: false`; `\p{L}` patterns need ajv's unicode regexps (its default).
 */
export function registryValidator(ajv: Ajv, file: string): ValidateFunction {
  const registry = readSchema(file);
  const schema: Record<string, unknown> = { type: "object" };
  for (const key of ["properties", "definitions", "required", "additionalProperties"]) {
    if (key in registry) schema[key] = registry[key];
  }
  return ajv.compile(schema);
}

/** cfn-lint's IAM policy document schemas: `identity` (a role's inline policy) and `trust` (AssumeRolePolicyDocument). */
export function policyValidators(ajv: Ajv): { identity: ValidateFunction; trust: ValidateFunction } {
  ajv.addSchema(readSchema("cfnlint-other-iam-policy.json"));
  return { identity: ajv.compile(readSchema("cfnlint-other-iam-policy_identity.json")), trust: ajv.compile(readSchema("cfnlint-other-iam-policy_trust.json")) };
}

export const NO_VALUE = Symbol("AWS::NoValue");

/** What the pseudo parameters resolve to at deploy time (any account would do). */
const PSEUDO_VALUES: Record<string, string> = { "AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "stack" };

/**
 * Replaces every intrinsic function by a plausible literal of what CloudFormation would pass to
 * the resource, so the registry schema can check the rest:
 * - `{ Ref: X }` → `ref-x` (X lower-cased, letters and digits only): a string that satisfies the
 *   name patterns (documents, buckets) the schemas put on referenced values; `Ref AWS::NoValue`
 *   removes the key (or the list item), as CloudFormation does;
 * - `{ "Fn::Sub": t }` → t with `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` as
 *   an account's values, every other `${X}` as `x`, and `${!X}` as the literal `${X}`;
 * - `{ "Fn::GetAtt": [A, "Arn"] }` → a role ARN; other attributes → `getatt-x`;
 * - `{ "Fn::If": [cond, then, else] }` → the branch `conditions[cond]` picks (then when not given);
 * - `{ Ref: X }` with X in `values` → that value (a parameter value a deployer would give).
 */
export function concretize(value: unknown, conditions: Readonly<Record<string, boolean>> = {}, values: Readonly<Record<string, string | number>> = {}): unknown {
  if (Array.isArray(value)) return value.map((v) => concretize(v, conditions, values)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const v = o[k];
    if (k === "Ref" && typeof v === "string" && v in values) return values[v];
    if (k === "Ref") return v === "AWS::NoValue" ? NO_VALUE : `ref-${String(v).toLowerCase().replace(/[^a-z0-9]/g, "")}`;
    if (k === "Fn::Sub") return String(v).replace(/\$\{([^}]*)\}/g, (_m, name: string) => (name.startsWith("!") ? `\${${name.slice(1)}}` : (PSEUDO_VALUES[name] ?? "x")));
    if (k === "Fn::GetAtt") return (v as string[])[1] === "Arn" ? "arn:aws:iam::123456789012:role/getatt-x" : "getatt-x";
    if (k === "Fn::If") {
      const [condition, then, otherwise] = v as [string, unknown, unknown];
      return concretize(conditions[condition] === false ? otherwise : then, conditions, values);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = concretize(o[k], conditions, values);
    if (v !== NO_VALUE) out[k] = v;
  }
  return out;
}

/** Every assignment of true/false to the template's conditions (both branches of each). */
export function conditionCases(template: Record<string, unknown>): Record<string, boolean>[] {
  const names = Object.keys((template.Conditions as object | undefined) ?? {});
  const cases: Record<string, boolean>[] = [];
  for (let bits = 0; bits < 1 << names.length; bits++) cases.push(Object.fromEntries(names.map((n, i) => [n, (bits & (1 << i)) !== 0])));
  return cases;
}

export interface Intrinsics {
  readonly refs: string[];
  readonly subVariables: string[];
  readonly getAtts: [string, string][];
  readonly conditions: string[];
}

/** Every Ref name, Sub variable, GetAtt and Fn::If condition in a parsed template fragment. */
export function intrinsics(value: unknown, into: Intrinsics = { refs: [], subVariables: [], getAtts: [], conditions: [] }): Intrinsics {
  if (Array.isArray(value)) {
    for (const v of value) intrinsics(v, into);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "Ref") into.refs.push(String(v));
      else if (k === "Fn::Sub") {
        // ${!Literal} is an escaped literal, not a variable.
        for (const m of String(v).matchAll(/\$\{([^}]*)\}/g)) if (!m[1]!.startsWith("!")) into.subVariables.push(m[1]!);
      } else if (k === "Fn::GetAtt") into.getAtts.push(v as [string, string]);
      else if (k === "Fn::If") into.conditions.push(String((v as unknown[])[0]));
      intrinsics(v, into);
    }
  }
  return into;
}

export const PSEUDO_PARAMETERS = ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

/** What !Ref / ${} may name in a template: its parameters, the pseudo parameters, its resources. */
export function referenceable(template: Record<string, unknown>): Set<string> {
  return new Set([...Object.keys((template.Parameters as object | undefined) ?? {}), ...PSEUDO_PARAMETERS, ...Object.keys(resourcesOf(template))]);
}

/** The attributes Fn::GetAtt may read, per resource type the templates use (from the registry schemas' readOnlyProperties). */
export function readOnlyAttributes(file: string): string[] {
  const schema = readSchema(file);
  return ((schema.readOnlyProperties as string[] | undefined) ?? []).map((p) => p.replace(/^\/properties\//, "").replace(/\//g, "."));
}

/** Every Ref, Sub variable, GetAtt and Fn::If condition that names nothing the template declares. */
export function unresolved(template: Record<string, unknown>, attributes: Readonly<Record<string, readonly string[]>> = {}): string[] {
  const known = referenceable(template);
  const resources = resourcesOf(template);
  const conditions = Object.keys((template.Conditions as object | undefined) ?? {});
  const found = intrinsics({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions });
  const problems = [
    ...found.refs.filter((r) => !known.has(r)).map((r) => `!Ref ${r}`),
    ...found.subVariables.filter((v) => !known.has(v.split(".")[0]!) || (v.includes(".") && !(v.split(".")[0]! in resources))).map((v) => `\${${v}}`),
    ...found.conditions.filter((c) => !conditions.includes(c)).map((c) => `Fn::If ${c}`),
  ];
  for (const [id, attribute] of found.getAtts) {
    const r = resources[id];
    if (!r) problems.push(`!GetAtt ${id}.${attribute}: no such resource`);
    else if (attributes[r.Type] && !attributes[r.Type]!.includes(attribute)) problems.push(`!GetAtt ${id}.${attribute}: ${r.Type} has no attribute ${attribute}`);
  }
  return problems;
}

/** Parameters a template declares and never uses (cfn-lint's W2001): no Ref to it and no ${} of a Sub, in its conditions, resources or outputs. */
export function unusedParameters(template: Record<string, unknown>): string[] {
  const used = intrinsics([template.Conditions, template.Resources, template.Outputs]);
  const names = new Set([...used.refs, ...used.subVariables.map((v) => v.split(".")[0]!)]);
  return Object.keys((template.Parameters as object | undefined) ?? {}).filter((p) => !names.has(p));
}
