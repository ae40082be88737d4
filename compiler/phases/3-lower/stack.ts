// The Systems Manager stack's settings → IR: stack parameters, CloudFormation strings, association settings.
import type { AssociationOptions, AwsAssociation, StackOptions, TagTargets } from "../../../stdlib/api/define.js";
import { isStackValue, type StackValue } from "../../../stdlib/api/stack.js";
import type { Site } from "../../../stdlib/api/brand.js";
import type { SpanLocator } from "../1-load/locator.js";
import type * as ir from "./ir.js";

export function lowerCfnString(value: string | StackValue): ir.CfnString {
  if (!isStackValue(value)) return { kind: "literal", value: String(value) };
  if (value.form === "ref") return { kind: "ref", name: value.name };
  // A literal ${ in the template is written ${! so CloudFormation keeps it as text.
  return { kind: "sub", template: value.strings.map((s, i) => s.replace(/\$\{/g, "${!") + (i < value.parameters.length ? `\${${value.parameters[i]!.name}}` : "")).join("") };
}

export function lowerTargets(targets: TagTargets): ir.Targets {
  return { tag: targets.tag, values: targets.values.map(lowerCfnString) };
}

export function lowerAssociationSettings(options: AssociationOptions | undefined): ir.AssociationSettings {
  return {
    maxConcurrency: options?.maxConcurrency ?? "10%",
    maxErrors: options?.maxErrors ?? "10%",
    complianceSeverity: options?.complianceSeverity ?? "MEDIUM",
    applyOnlyAtCronInterval: options?.applyOnlyAtCronInterval ?? false,
    syncCompliance: options?.syncCompliance ?? "AUTO",
    ...(options?.scheduleOffset !== undefined ? { scheduleOffset: options.scheduleOffset } : {}),
  };
}

function lowerAwsAssociation(a: AwsAssociation, ev: SpanLocator): ir.AwsAssociation {
  const origin = ev.spanOf(a.site);
  return {
    kind: "awsAssociation",
    name: a.name,
    document: a.document,
    parameters: Object.keys(a.parameters ?? {})
      .sort()
      .map((name) => {
        const v = a.parameters![name]!;
        const list = Array.isArray(v) ? (v as readonly string[]) : [v as string | StackValue];
        return { name, values: list.map(lowerCfnString) };
      }),
    targets: lowerTargets(a.targets),
    schedule: a.schedule,
    settings: lowerAssociationSettings(a),
    ...(origin ? { origin } : {}),
  };
}

/** How long the runtime's log lines are kept when stack.logs.retentionDays is not set. */
export const DEFAULT_LOG_RETENTION_DAYS = 90;

export function lowerStack(stack: StackOptions | undefined, ev: SpanLocator, site?: Site): ir.Stack {
  const alerts = stack?.alerts;
  return {
    prefix: stack?.prefix ?? "fleetform",
    parameters: Object.keys(stack?.parameters ?? {})
      .sort()
      .map((name) => {
        const p = stack!.parameters![name]!;
        const origin = ev.propertySpan(site, ["stack", "parameters", name], { at: "name" });
        return {
          name,
          ...(origin ? { origin } : {}),
          ...(p.description !== undefined ? { description: p.description } : {}),
          ...(p.allowedValues ? { allowedValues: [...p.allowedValues] } : {}),
          ...(p.default !== undefined ? { default: p.default } : {}),
        };
      }),
    associations: [...(stack?.associations ?? [])].map((a) => lowerAwsAssociation(a, ev)).sort((a, b) => (a.name < b.name ? -1 : 1)),
    ...(alerts ? { alerts: typeof alerts === "object" && alerts.email !== undefined ? { email: lowerCfnString(alerts.email) } : {} } : {}),
    logs: { retentionDays: stack?.logs?.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS, ...(stack?.logs?.kmsKey !== undefined ? { kmsKey: lowerCfnString(stack.logs.kmsKey) } : {}) },
    deployFromS3: stack?.deployFromS3 === true,
  };
}
