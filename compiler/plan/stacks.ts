// The account side of a plan, read from the CloudFormation templates the two builds write
// (cloudformation/*.yaml, parsed as CloudFormation parses them: YAML 1.1 with the short-form
// intrinsic tags), not from a model beside them:
//   - every statement of every IAM policy in every template (roles' inline policies, trust
//     policies, managed policy ARNs, key, topic and bucket policies), by resource, policy and Sid,
//     with the ones that let a principal do more marked widened;
//   - the dependency and pipeline stacks' parameters and other resources, by logical id, with the
//     property paths that changed;
//   - the Systems Manager stack's observability resources (log group, metric filters, alarms,
//     saved queries, dashboard, agent configuration) as a readable summary, by name.
// Pure: emitted files in, plain sorted data out.
import { parse, type ScalarTag } from "yaml";
import type { EmittedFile } from "../phases/4-emit/files.js";
import { DEPENDENCIES_TEMPLATE } from "../phases/4-emit/cloudformation/dependencies.js";
import { SYSTEMS_MANAGER_TEMPLATE } from "../phases/4-emit/cloudformation/index.js";
import { PIPELINE_TEMPLATE } from "../phases/4-emit/cloudformation/pipeline.js";
import { compare, diffValues, setDiff, sortedUnion, type ValueChange } from "./values.js";


export type Status = "added" | "removed" | "changed";

/** A statement of an IAM policy document that changed, by template, resource, policy and Sid. */
export interface PermissionChange {
  /** The template's path (cloudformation/dependencies.yaml ...). */
  readonly template: string;
  /** The logical id of the resource holding the policy (InstanceRole, DeployRole, AssociationFailureTopicKey ...). */
  readonly role: string;
  /** The policy: an inline policy's PolicyName, AssumeRolePolicyDocument (trust), ManagedPolicyArns, KeyPolicy, PolicyDocument. */
  readonly policy: string;
  /** The statement's Sid; `#n` (1-based) for a statement without one; `(attached)` for ManagedPolicyArns. */
  readonly statement: string;
  readonly status: Status;
  /** Allow or Deny (the head's; the base's for a removed statement). */
  readonly effect: string;
  /** Printed (see printValue); for an added (removed) statement all of them. For ManagedPolicyArns, resources are the policy ARNs. */
  readonly actions: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly resources: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly principals: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** The IAM condition block (and the template condition a statement exists under), printed, when it changed. */
  readonly condition?: { readonly before?: string; readonly after?: string };
  /** The policy allows more: an Allow gained an action, resource or principal, or lost or changed its condition (a Deny the reverse), or became an Allow. */
  readonly widened: boolean;
  /** A widening by a wildcard: an added action or resource pattern that covers one the statement lost, or `*`. */
  readonly wildcard: boolean;
}

/** A resource of a template other than its policies, by logical id. */
export interface TemplateResourceChange {
  readonly id: string;
  readonly status: Status;
  readonly type: string;
  /** Changed property paths (Properties.X.Y, Stages[Prepare].Actions[Dependencies]...; DependsOn, Condition ...); empty for an added or removed resource. */
  readonly paths: readonly ValueChange[];
}

export interface StackTemplateChange {
  readonly template: string;
  /** How the template file changed as a whole (absent: it is in both builds). */
  readonly status?: "added" | "removed";
  /** Parameters by name; the value is the parameter's definition, printed. */
  readonly parameters: readonly ValueChange[];
  readonly resources: readonly TemplateResourceChange[];
  readonly permissions: readonly PermissionChange[];
  readonly widened: boolean;
}

export type ObservabilityKind = "log group" | "metric filter" | "alarm" | "query" | "dashboard" | "agent configuration";

/** An observability resource of the Systems Manager stack, by kind and name. */
export interface ObservabilityChange {
  readonly kind: ObservabilityKind;
  /** Its name in the account (the log group, filter, alarm, query, dashboard or parameter name). */
  readonly name: string;
  readonly status: Status;
  /** What changed, by readable field (threshold, pattern, query, retention, widget 'failures ...', file C:\...\*.log: log_group_name ...). */
  readonly changes: readonly ValueChange[];
}

/** The templates of one build, parsed; absent when the build has none. */
type Templates = ReadonlyMap<string, Template>;
interface Template {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources?: Record<string, Resource>;
}
interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [attribute: string]: unknown;
}

/** The short-form tags fleetform writes, read into their long (JSON) form, as CloudFormation does. */
const CFN_TAGS: ScalarTag[] = [
  { tag: "!Ref", resolve: (v: string) => ({ Ref: v }) },
  { tag: "!Sub", resolve: (v: string) => ({ "Fn::Sub": v }) },
  { tag: "!GetAtt", resolve: (v: string) => ({ "Fn::GetAtt": [v.slice(0, v.indexOf(".")), v.slice(v.indexOf(".") + 1)] }) },
];

export function readTemplates(files: readonly EmittedFile[]): Templates {
  const out = new Map<string, Template>();
  for (const f of files) {
    if (!/^cloudformation\/[^/]+\.ya?ml$/.test(f.path)) continue;
    const text = typeof f.content === "string" ? f.content : new TextDecoder().decode(f.content);
    try {
      out.set(f.path, (parse(text, { version: "1.1", customTags: CFN_TAGS }) ?? {}) as Template);
    } catch {
      // A template fleetform cannot read back is compared as a file only (the plan lists it).
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Printing template values

/** A template value on one line: sub`...`, ref("X"), getAtt("X.Arn"), if(Cond, a, b), literals as JSON, lists and maps compactly. */
export function printValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(", ")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const x = o[k];
    if (k === "Ref" && typeof x === "string") return `ref(${JSON.stringify(x)})`;
    if (k === "Fn::Sub" && typeof x === "string") return "sub`" + x.replace(/`/g, "\\`") + "`";
    if (k === "Fn::GetAtt" && Array.isArray(x)) return `getAtt(${JSON.stringify(x.join("."))})`;
    if (k === "Fn::If" && Array.isArray(x) && x.length === 3) return `if(${x.map(printValue).join(", ")})`;
  }
  return keys.length === 0 ? "{}" : `{ ${keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${printValue(o[k])}`).join(", ")} }`;
}

const isIntrinsic = (v: unknown): boolean => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::") || keys[0] === "Condition");
};

/** Keys that name an element of a list, for readable paths: Stages[Prepare] rather than Stages[2]. */
const NAMING_KEYS = ["Name", "Sid", "PolicyName", "Key", "Id"];

/** Leaves of a value by path; a list of plain values and an intrinsic function are leaves. */
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !isIntrinsic(value)) {
    if (Array.isArray(value)) {
      if (value.every((x) => x === null || typeof x !== "object" || isIntrinsic(x))) {
        out.set(path, printValue(value));
        return;
      }
      const names = value.map((x) => elementName(x));
      // By name where the named elements' names are unique (an unnamed one, e.g. an Fn::If, by position).
      const named = names.filter((n) => n !== undefined);
      const unique = named.length > 0 && new Set(named).size === named.length;
      value.forEach((x, i) => {
        const at = `${path}[${unique ? (names[i] ?? i) : i}]`;
        // The element whole too: an added or removed one is shown as one value (collapse).
        if (x !== null && typeof x === "object" && !isIntrinsic(x)) out.set(at, printValue(x));
        flatten(x, at, out);
      });
      if (value.length === 0) out.set(path, "[]");
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(path, "{}");
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, printValue(value));
}

function elementName(x: unknown): string | undefined {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  for (const k of NAMING_KEYS) if (typeof o[k] === "string") return JSON.stringify(o[k]);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Policies

interface PolicyStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly principals: string[];
  readonly condition?: string;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A policy document property: an object with a Statement list (PolicyDocument, KeyPolicy, AssumeRolePolicyDocument ...). */
function isPolicyDocument(v: unknown): v is { Statement: unknown } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && "Statement" in v;
}

/** The properties of a resource that are policies (left out of its other property paths). */
function isPolicyProperty(name: string, value: unknown): boolean {
  return name === "Policies" || name === "ManagedPolicyArns" || isPolicyDocument(value);
}

function principalItems(p: unknown): string[] {
  if (p === undefined) return [];
  if (typeof p === "string") return [printValue(p)];
  if (p !== null && typeof p === "object" && !Array.isArray(p) && !isIntrinsic(p)) {
    return Object.entries(p as Record<string, unknown>).flatMap(([kind, v]) => asList(v).map((x) => `${kind} ${printValue(x)}`));
  }
  return [printValue(p)];
}

/** Every statement of every policy of a template: key `resource\0policy\0sid` → statement. */
function statementsOf(template: Template | undefined): Map<string, PolicyStatement> {
  const out = new Map<string, PolicyStatement>();
  for (const [id, r] of Object.entries(template?.Resources ?? {})) {
    const props = r.Properties ?? {};
    const documents: [string, unknown][] = [];
    for (const [name, value] of Object.entries(props)) {
      if (name === "Policies") for (const p of asList(value)) documents.push([String((p as { PolicyName?: unknown }).PolicyName ?? "Policies"), (p as { PolicyDocument?: unknown }).PolicyDocument]);
      else if (name === "ManagedPolicyArns") {
        out.set(key(id, name, "(attached)"), { effect: "Allow", actions: [], resources: asList(value).map(printValue), principals: [] });
      } else if (isPolicyDocument(value)) documents.push([name, value]);
    }
    for (const [policy, document] of documents) {
      if (!isPolicyDocument(document)) continue;
      asList(document.Statement).forEach((raw, i) => {
        let s = raw as Record<string, unknown>;
        let when: string | undefined;
        // A statement under a template condition: { Fn::If: [Cond, statement, !Ref AWS::NoValue] }.
        const iff = (s as { "Fn::If"?: unknown })["Fn::If"];
        if (Array.isArray(iff) && iff.length === 3 && iff[1] !== null && typeof iff[1] === "object") {
          when = String(iff[0]);
          s = iff[1] as Record<string, unknown>;
        }
        const sid = typeof s.Sid === "string" ? s.Sid : `#${i + 1}`;
        const negated = (k: string): string[] => asList(s[`Not${k}`]).map((x) => `not ${printValue(x)}`);
        const condition = [s.Condition !== undefined ? printValue(s.Condition) : "", when ? `when ${when}` : ""].filter(Boolean).join(" ");
        out.set(key(id, policy, sid), {
          effect: String(s.Effect ?? "Allow"),
          actions: [...asList(s.Action).map((x) => (typeof x === "string" ? x : printValue(x))), ...negated("Action")],
          resources: [...asList(s.Resource).map(printValue), ...negated("Resource")],
          principals: [...principalItems(s.Principal), ...principalItems(s.NotPrincipal).map((x) => `not ${x}`)],
          ...(condition ? { condition } : {}),
        });
      });
    }
  }
  return out;
}

const key = (...parts: string[]): string => parts.join("\0");

/** The text of a printed literal or sub`...` value (what IAM matches); undefined for anything else. */
function patternText(printed: string): string | undefined {
  if (printed.startsWith('"')) return JSON.parse(printed) as string;
  if (printed.startsWith("sub`") && printed.endsWith("`")) return printed.slice(4, -1).replace(/\\`/g, "`");
  if (!printed.includes(" ") && !printed.includes('"')) return printed; // an action
  return undefined;
}

/** IAM's wildcards: `*` any run of characters, `?` one; actions compare ignoring case. */
function covers(pattern: string, item: string, ignoreCase: boolean): boolean {
  if (pattern === item) return true;
  const p = patternText(pattern);
  const i = patternText(item);
  if (p === undefined || i === undefined || !/[*?]/.test(p)) return false;
  const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "is" : "s");
  return re.test(i);
}

/** How many of `items` none of `others` covers. */
function uncovered(items: readonly string[], others: readonly string[], ignoreCase = false): number {
  return items.filter((x) => !others.some((o) => covers(o, x, ignoreCase))).length;
}

/**
 * Principals (as principalItems prints them) are not patterns: IAM takes no wildcard in a principal
 * but "*" alone, which, as `Principal: "*"` or `{ AWS: "*" }` (the same to IAM), is everyone, so
 * it covers every principal. A NotPrincipal item ("not ...") is covered only by itself.
 */
const EVERYONE = new Set([printValue("*"), `AWS ${printValue("*")}`]);

function uncoveredPrincipals(items: readonly string[], others: readonly string[]): number {
  const everyone = others.some((o) => EVERYONE.has(o));
  return items.filter((x) => !others.includes(x) && !(everyone && !x.startsWith("not "))).length;
}

export function diffPermissions(template: string, base: Template | undefined, head: Template | undefined): PermissionChange[] {
  const before = statementsOf(base);
  const after = statementsOf(head);
  const out: PermissionChange[] = [];
  for (const k of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(k);
    const a = after.get(k);
    const [role, policy, statement] = k.split("\0") as [string, string, string];
    const actions = setDiff(b?.actions ?? [], a?.actions ?? []);
    const resources = setDiff(b?.resources ?? [], a?.resources ?? []);
    const principals = setDiff(b?.principals ?? [], a?.principals ?? []);
    const conditionChanged = b !== undefined && a !== undefined && b.condition !== a.condition;
    const effectChanged = b !== undefined && a !== undefined && b.effect !== a.effect;
    // What the other side does not already cover: "*" covers every ARN, s3:* every s3 action.
    const gained = uncovered(actions.added, b?.actions ?? [], true) + uncovered(resources.added, b?.resources ?? []) + uncoveredPrincipals(principals.added, b?.principals ?? []) > 0;
    const lost = uncovered(actions.removed, a?.actions ?? [], true) + uncovered(resources.removed, a?.resources ?? []) + uncoveredPrincipals(principals.removed, a?.principals ?? []) > 0;
    const changedItems = actions.added.length + resources.added.length + principals.added.length + actions.removed.length + resources.removed.length + principals.removed.length > 0;
    if (b && a && !changedItems && !conditionChanged && !effectChanged) continue;
    const effect = (a ?? b)!.effect;
    let widened: boolean;
    if (effectChanged) widened = a!.effect === "Allow";
    else if (effect === "Deny") widened = a === undefined || (b !== undefined && (lost || (conditionChanged && a.condition !== undefined)));
    // A condition that was there and is gone or different may let more requests through.
    else widened = a !== undefined && (gained || (conditionChanged && b!.condition !== undefined));
    // A wildcard replacing a specific ARN or action: an added pattern that covers one the statement lost (or "*" itself).
    const wildcard =
      widened &&
      [...actions.added.map((x) => [x, actions.removed, true] as const), ...resources.added.map((x) => [x, resources.removed, false] as const)].some(
        ([x, removed, ignoreCase]) => x === '"*"' || x === "*" || removed.some((r) => covers(x, r, ignoreCase)),
      );
    out.push({
      template,
      role,
      policy,
      statement,
      status: !b ? "added" : !a ? "removed" : "changed",
      effect,
      actions,
      resources,
      principals,
      ...(conditionChanged ? { condition: { ...(b!.condition !== undefined ? { before: b!.condition } : {}), ...(a!.condition !== undefined ? { after: a!.condition } : {}) } } : {}),
      widened,
      wildcard,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parameters and resources

function diffParameters(base: Template | undefined, head: Template | undefined): ValueChange[] {
  const print = (t: Template | undefined): Map<string, string> => new Map(Object.entries(t?.Parameters ?? {}).map(([n, p]) => [n, printValue(p)]));
  return diffValues(print(base), print(head));
}

function resourcePaths(r: Resource): Map<string, string> {
  const out = new Map<string, string>();
  for (const [attribute, value] of Object.entries(r)) {
    if (attribute === "Properties") {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) if (!isPolicyProperty(name, v)) flatten(v, `Properties.${name}`, out);
    } else flatten(value, attribute, out);
  }
  return out;
}

function diffResources(base: Template | undefined, head: Template | undefined): TemplateResourceChange[] {
  const before = base?.Resources ?? {};
  const after = head?.Resources ?? {};
  const out: TemplateResourceChange[] = [];
  for (const id of sortedUnion(Object.keys(before), Object.keys(after))) {
    const b = before[id];
    const a = after[id];
    const paths = b && a ? collapse(diffValues(resourcePaths(b), resourcePaths(a))) : [];
    if (b && a && paths.length === 0) continue;
    out.push({ id, status: !b ? "added" : !a ? "removed" : "changed", type: (a ?? b)!.Type, paths });
  }
  return out;
}

/** A template's parameters, resources (unless `resources` is false) and permissions; undefined when nothing changed. */
export function diffTemplate(path: string, base: Templates, head: Templates, options: { resources: boolean }): StackTemplateChange | undefined {
  const b = base.get(path);
  const a = head.get(path);
  if (!b && !a) return undefined;
  const permissions = diffPermissions(path, b, a);
  const parameters = options.resources ? diffParameters(b, a) : [];
  const resources = options.resources ? diffResources(b, a) : [];
  const status = !b ? "added" : !a ? "removed" : undefined;
  if (!status && permissions.length + parameters.length + resources.length === 0) return undefined;
  return { template: path, ...(status ? { status } : {}), parameters, resources, permissions, widened: permissions.some((p) => p.widened) };
}

// ---------------------------------------------------------------------------------------------
// Observability (systems-manager.yaml)

const OBSERVED: Readonly<Record<string, { kind: ObservabilityKind; name: string; labels: Readonly<Record<string, string>> }>> = {
  "AWS::Logs::LogGroup": { kind: "log group", name: "LogGroupName", labels: { RetentionInDays: "retention (days)", KmsKeyId: "KMS key" } },
  "AWS::Logs::MetricFilter": {
    kind: "metric filter",
    name: "FilterName",
    labels: { FilterPattern: "pattern", LogGroupName: "log group", MetricTransformations: "metric" },
  },
  "AWS::CloudWatch::Alarm": {
    kind: "alarm",
    name: "AlarmName",
    labels: {
      Threshold: "threshold",
      Period: "period (seconds)",
      EvaluationPeriods: "evaluation periods",
      DatapointsToAlarm: "datapoints to alarm",
      ComparisonOperator: "comparison",
      Statistic: "statistic",
      MetricName: "metric",
      Namespace: "namespace",
      Dimensions: "dimensions",
      TreatMissingData: "missing data",
      AlarmActions: "actions",
      AlarmDescription: "description",
    },
  },
  "AWS::Logs::QueryDefinition": { kind: "query", name: "Name", labels: { QueryString: "query", LogGroupNames: "log groups" } },
  "AWS::CloudWatch::Dashboard": { kind: "dashboard", name: "DashboardName", labels: {} },
};

/** The readable fields of an observability resource: property → label, JSON bodies opened up. */
function observedFields(r: Resource, labels: Readonly<Record<string, string>>): Map<string, string> {
  const props = r.Properties ?? {};
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(props)) {
    if (name === "DashboardBody") {
      const body = parseJson(subText(value));
      if (body === undefined) out.set("body", printValue(value));
      for (const w of asList((body as { widgets?: unknown } | undefined)?.widgets)) dashboardFields(w, out);
      continue;
    }
    if (name === "Value" && r.Type === "AWS::SSM::Parameter") {
      const config = parseJson(typeof value === "string" ? value : undefined);
      if (config === undefined) out.set("value", printValue(value));
      else agentFields(config, out);
      continue;
    }
    const label = labels[name] ?? name;
    if (name === "MetricTransformations") {
      const flat = new Map<string, string>();
      flatten(value, "", flat);
      for (const [path, v] of flat) out.set(`metric ${path.replace(/^\[\d+\]\.?/, "")}`.trim(), v);
      continue;
    }
    out.set(label, typeof value === "string" && name === "QueryString" ? JSON.stringify(value) : printValue(value));
  }
  return out;
}

/**
 * A dashboard widget by its type and title: each metric line by its dimensions (the metric's
 * namespace/name as the value), the rest of its properties by path.
 */
function dashboardFields(w: unknown, out: Map<string, string>): void {
  const p = { ...((w as { properties?: Record<string, unknown> }).properties ?? {}) };
  const label = `${String((w as { type?: unknown }).type ?? "widget")} widget ${JSON.stringify(String(p.title ?? "(untitled)"))}`;
  const metrics = asList(p.metrics);
  delete p.metrics;
  delete p.title;
  for (const m of metrics) {
    const parts = asList(m).map((x) => (typeof x === "string" ? x : printValue(x)));
    const dimensions = parts.slice(2).reduce<string[]>((acc, x, i, all) => (i % 2 === 0 ? [...acc, `${x}=${all[i + 1] ?? ""}`] : acc), []);
    out.set(`${label}: metric ${dimensions.join(", ") || "(no dimensions)"}`, JSON.stringify(`${parts[0] ?? ""}/${parts[1] ?? ""}`));
  }
  // The widget as a whole: what an added or removed widget is shown as (see collapse).
  out.set(label, printValue(w));
  const flat = new Map<string, string>();
  flatten({ ...(w as object), properties: p }, "", flat);
  for (const [path, v] of flat) out.set(`${label}: ${path}`, v);
}

/** The agent configuration: each collected file (by position) with its fields (file_path, log group, stream, timestamp format ...); other settings by path. */
function agentFields(config: unknown, out: Map<string, string>): void {
  const flat = new Map<string, string>();
  flatten(config, "", flat);
  for (const [path, v] of flat) {
    const m = /^logs\.logs_collected\.files\.collect_list\[(\d+)\](?:\.(.+))?$/.exec(path);
    out.set(m ? `collected file ${Number(m[1]) + 1}${m[2] ? `: ${m[2]}` : ""}` : path, v);
  }
}

function subText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object" && typeof (v as Record<string, unknown>)["Fn::Sub"] === "string") return (v as Record<string, string>)["Fn::Sub"];
  return undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The agent configuration is the AWS::SSM::Parameter whose value the CloudWatch agent reads (named AmazonCloudWatch-...). */
function observed(template: Template | undefined): Map<string, { kind: ObservabilityKind; name: string; fields: Map<string, string> }> {
  const out = new Map<string, { kind: ObservabilityKind; name: string; fields: Map<string, string> }>();
  for (const [id, r] of Object.entries(template?.Resources ?? {})) {
    const props = r.Properties ?? {};
    let entry: { kind: ObservabilityKind; name: string; labels: Readonly<Record<string, string>> } | undefined;
    if (r.Type === "AWS::SSM::Parameter" && typeof props.Name === "string" && props.Name.startsWith("AmazonCloudWatch-")) entry = { kind: "agent configuration", name: "Name", labels: {} };
    else entry = OBSERVED[r.Type];
    if (!entry) continue;
    const name = typeof props[entry.name] === "string" ? (props[entry.name] as string) : id;
    out.set(key(entry.kind, name), { kind: entry.kind, name, fields: observedFields(r, entry.labels) });
  }
  return out;
}

export function diffObservability(base: Templates, head: Templates): ObservabilityChange[] {
  const before = observed(base.get(SYSTEMS_MANAGER_TEMPLATE));
  const after = observed(head.get(SYSTEMS_MANAGER_TEMPLATE));
  const out: ObservabilityChange[] = [];
  for (const k of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(k);
    const a = after.get(k);
    const changes = b && a ? collapse(diffValues(b.fields, a.fields)) : [];
    if (b && a && changes.length === 0) continue;
    out.push({ kind: (a ?? b)!.kind, name: (a ?? b)!.name, status: !b ? "added" : !a ? "removed" : "changed", changes });
  }
  return out;
}

/**
 * Fields that have parts (a list element `X[1]` and `X[1].Key`, a dashboard widget and
 * `widget: ...`): one that was added or removed is shown whole, one that changed by its parts.
 */
export function collapse(changes: readonly ValueChange[]): ValueChange[] {
  const isPart = (whole: string, part: string): boolean => part.startsWith(`${whole}.`) || part.startsWith(`${whole}: `) || part.startsWith(`${whole}[`);
  const owners = changes.filter((c) => changes.some((d) => d !== c && isPart(c.field, d.field)));
  const changedWhole = (c: ValueChange): boolean => c.before !== undefined && c.after !== undefined;
  return changes.filter((c) => {
    if (!owners.filter((o) => o !== c && isPart(o.field, c.field)).every(changedWhole)) return false;
    return owners.includes(c) ? !changedWhole(c) : true;
  });
}

// ---------------------------------------------------------------------------------------------

export interface StacksDiff {
  readonly dependencies?: StackTemplateChange;
  readonly pipeline?: StackTemplateChange;
  /** Only its policies (its other resources are the configurations, associations and observability the plan shows). */
  readonly systemsManager?: StackTemplateChange;
  readonly observability: readonly ObservabilityChange[];
}

export function diffStacks(base: readonly EmittedFile[], head: readonly EmittedFile[]): StacksDiff {
  const b = readTemplates(base);
  const a = readTemplates(head);
  const dependencies = diffTemplate(DEPENDENCIES_TEMPLATE, b, a, { resources: true });
  const pipeline = diffTemplate(PIPELINE_TEMPLATE, b, a, { resources: true });
  const systemsManager = diffTemplate(SYSTEMS_MANAGER_TEMPLATE, b, a, { resources: false });
  return {
    ...(dependencies ? { dependencies } : {}),
    ...(pipeline ? { pipeline } : {}),
    ...(systemsManager && systemsManager.permissions.length > 0 ? { systemsManager } : {}),
    observability: diffObservability(b, a),
  };
}

// ---------------------------------------------------------------------------------------------
// helpers


