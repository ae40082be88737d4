// The Systems Manager stack: stack parameters, targets against the tags instances carry, strings
// that only look like substitutions, association settings and names.
import { kindOf, type Site } from "../../../stdlib/api/brand.js";
import { KMS_KEY_ARN_PATTERN, LOG_RETENTION_DAYS, type AssociationOptions, type AwsAssociation, type StackOptions, type TagTargets } from "../../../stdlib/api/define.js";
import { isStackValue, type StackValue } from "../../../stdlib/api/stack.js";
import { located, type Span, type Where } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import { closest } from "../../util/text.js";
import { runtimeNameProblem, shown } from "../../util/names.js";
import type { SourceLocator } from "../1-load/locator.js";
import type { Loaded } from "../1-load/index.js";
import { checkSchedule, CONFIGURATION_NAME, targetsProblems } from "./references.js";

/** Parameters the Systems Manager stack has of its own, which a stack value may name (cloudformation emitter). */
export const BUILTIN_STACK_PARAMETERS = ["OutputBucketName", "OutputKeyPrefix", "MofBucketName", "MofKeyPrefix", "AlertEmail"];

/**
 * Every parameter fleetform's templates (the Systems Manager, dependencies and pipeline stacks)
 * declare of their own: a stack parameter of the same name would be replaced by fleetform's, or
 * passed fleetform's value by the pipeline. The golden test checks that the templates declare no
 * other parameter of their own.
 */
export const FLEETFORM_PARAMETERS: readonly string[] = [
  ...BUILTIN_STACK_PARAMETERS,
  ...["RevisionBucketName", "RevisionKeyPrefix", "ParameterKeyArn", "SecretKeyArn"],
  ...["RepositoryId", "BranchName", "ConnectionArn", "ConnectionProvider", "RequireApproval"],
];

/** A CloudFormation logical id: the parts' letters and digits, joined. */
export function logicalId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "")).join("");
}

/** An association of the Systems Manager stack: its logical id, and its name after the stack prefix (also its S3 output folder). */
export interface StackAssociation {
  readonly id: string;
  readonly name: string;
}

/** The Systems Manager stack's associations: a configuration's (Run Command, DSC) and the fleet's (stack.associations). */
export const stackAssociation = {
  runCommand: (configuration: string): StackAssociation => ({ id: logicalId("Config", configuration, "Association"), name: configuration }),
  dsc: (configuration: string): StackAssociation => ({ id: logicalId("Config", configuration, "DscAssociation"), name: `${configuration}-dsc` }),
  fleet: (name: string): StackAssociation => ({ id: logicalId("Fleet", name, "Association"), name }),
};

/**
 * The fleet association documents that read a Parameter Store parameter, and which of their
 * parameters names it (the instance role is granted that parameter: its name is checked as one).
 */
export const ASSOCIATION_PARAMETER_READS: Readonly<Record<string, { readonly parameter: string; readonly when?: readonly [string, string] }>> = {
  "AmazonCloudWatch-ManageAgent": { parameter: "optionalConfigurationLocation", when: ["optionalConfigurationSource", "ssm"] },
};

/**
 * AWS-owned documents that run what their parameters give them (commands, scripts, playbooks, other
 * documents, MOFs): code no fragment check sees, run as SYSTEM on the fleet.
 */
const CODE_RUNNING_DOCUMENTS = new Set([
  "AWS-RunPowerShellScript",
  "AWS-RunShellScript",
  "AWS-RunRemoteScript",
  "AWS-RunDocument",
  "AWS-RunAnsiblePlaybook",
  "AWS-ApplyAnsiblePlaybooks",
  "AWS-RunSaltState",
  "AWS-ApplyChefRecipes",
  "AWS-ApplyDSCMofs",
  "AWS-InstallApplication",
].map((d) => d.toLowerCase()));

const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9]{0,254}$/;
const ASSOCIATION_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const ASSOCIATION_NAME_RULE = "3 to 128 letters, digits, '-', '_' or '.'";
const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.:/]{3,128}$/;
const MAX_CONCURRENCY = /^([1-9][0-9]{0,6}|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]{0,6}|[0]|[1-9][0-9]%|[0-9]%|100%)$/;
const RESERVED_PREFIX = /^(aws|amazon|amzn)/i;

export function checkStack(ctx: CompileContext, loaded: Loaded): void {
  const ev = loaded.locator;
  const stack: StackOptions = loaded.config.stack ?? {};
  const configSpan = loaded.config.span;
  const declared = new Set(Object.keys(stack.parameters ?? {}));
  for (const name of [...declared].sort()) {
    if (!PARAMETER_NAME.test(name) || FLEETFORM_PARAMETERS.includes(name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "stack parameter", name, message: FLEETFORM_PARAMETERS.includes(name) ? "fleetform's stacks already have a parameter of that name" : "use letters and digits, starting with a letter" }, ev.propertySpan(loaded.config.site, ["stack", "parameters", name]) ?? configSpan));
    }
  }
  if (stack.deployFromS3 !== undefined && typeof stack.deployFromS3 !== "boolean") {
    ctx.diagnostics.add(diag("ConfigSettingInvalid", { setting: "stack.deployFromS3", expected: "true or false" }, configSpan));
  }
  const prefix = stack.prefix ?? "fleetform";
  // (reported at the prefix, once: not again as each configuration's SSM document name)
  const prefixValid = typeof prefix === "string" && /^[a-zA-Z0-9_\-.]{1,60}$/.test(prefix) && !RESERVED_PREFIX.test(prefix);
  if (!prefixValid) {
    const message = typeof prefix === "string" && /^[a-zA-Z0-9_\-.]{1,60}$/.test(prefix) ? "SSM document names may not start with aws, amazon or amzn" : "use letters, digits, '-', '_' and '.', at most 60 (it starts every SSM document's and association's name)";
    ctx.diagnostics.add(diag("NameInvalid", { what: "stack prefix", name: String(prefix), message }, ev.propertySpan(loaded.config.site, ["stack", "prefix"]) ?? configSpan));
  }

  /** Every CloudFormation-bound string: a stack value's parameters must be declared; plain text must not look like ${...}. True when it reported one. */
  const checkValue = (value: unknown, where: Where, fix = "build it with sub`...` and stackParameter()"): boolean => {
    const before = ctx.diagnostics.count;
    if (isStackValue(value)) {
      const params = value.form === "ref" ? [value] : value.parameters;
      for (const p of params) {
        if (declared.has(p.name) || BUILTIN_STACK_PARAMETERS.includes(p.name)) continue;
        const suggestion = closest(p.name, declared);
        ctx.diagnostics.add(diag("StackParameterUnknown", { name: p.name, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, () => ev.spanOf(p.site) ?? located(where)));
      }
    } else if (typeof value === "string" && /\$\{[^}]*\}/.test(value)) {
      ctx.diagnostics.add(diag("SubstitutionInPlainText", { value, fix }, where));
    }
    return ctx.diagnostics.count > before;
  };

  // A parameter's description, default and allowed values are plain text in every template that
  // declares it (cfn-lint's E1029 refuses ${...} outside Fn::Sub there).
  for (const [name, options] of Object.entries(stack.parameters ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (typeof options !== "object" || options === null) continue;
    for (const field of ["description", "default", "allowedValues"] as const) {
      const value: unknown = options[field];
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") checkValue(item, () => ev.propertySpan(loaded.config.site, ["stack", "parameters", name, field]) ?? configSpan, `a parameter's ${field} is never substituted: write it without \${...}`);
    }
  }

  const knownTags = new Map<string, readonly (string | StackValue)[]>(Object.entries(stack.tags ?? {}));
  for (const values of knownTags.values()) for (const v of values) checkValue(v, configSpan);

  /** `at(i)`: the span of targets.values[i] where it was written. */
  const checkTargets = (targets: TagTargets | undefined, span: Span | undefined, at: (i: number) => Span | undefined): void => {
    if (!targets || !Array.isArray(targets.values)) return;
    const known = knownTags.get(targets.tag);
    // (tag keys are case-sensitive too: 'role' matches no instance that carries 'Role')
    const keyButCase = known ? undefined : [...knownTags.keys()].find((k) => k.toLowerCase() === String(targets.tag).toLowerCase());
    if (keyButCase !== undefined && targets.values.length > 0) {
      ctx.diagnostics.add(diag("TargetTagUnknown", { tag: targets.tag, value: typeof targets.values[0] === "string" ? targets.values[0] : "(a stack value)", message: `tag keys are case-sensitive, and stack.tags declares '${keyButCase}'` }, at(0) ?? span));
      return;
    }
    for (const [i, value] of targets.values.entries()) {
      // (a value that is wrong as written is not compared with the tags instances carry as well)
      if (checkValue(value, () => at(i) ?? span)) continue;
      if (!known || isStackValue(value) || typeof value !== "string") continue;
      const literal = known.filter((k): k is string => typeof k === "string");
      if (literal.includes(value)) continue;
      const sameButCase = literal.find((k) => k.toLowerCase() === value.toLowerCase());
      // A declared stack value may resolve to anything; only a case-only difference is then certain.
      if (!sameButCase && known.some((k) => isStackValue(k))) continue;
      const message = sameButCase
        ? `tag values are case-sensitive, and instances carry '${sameButCase}'`
        : `stack.tags declares ${targets.tag} = ${literal.map((k) => `'${k}'`).join(", ")}`;
      ctx.diagnostics.add(diag("TargetTagUnknown", { tag: targets.tag, value, message }, at(i) ?? span));
    }
  };

  const checkSettings = (options: AssociationOptions | undefined, schedule: string, owner: string, span: Span | undefined, at: (option: string) => Span | undefined): void => {
    if (!options) return;
    const bad = (option: string, message: string): void => ctx.diagnostics.add(diag("AssociationOptionInvalid", { option, owner, message }, at(option) ?? span));
    if (options.maxConcurrency !== undefined && !MAX_CONCURRENCY.test(options.maxConcurrency)) bad("maxConcurrency", "use a count (1 to 9999999) or a percentage (1% to 100%)");
    if (options.maxErrors !== undefined && !MAX_ERRORS.test(options.maxErrors)) bad("maxErrors", "use a count (0 to 9999999) or a percentage (0% to 100%)");
    // (the type check says these too; where it is off they would reach the template as they are)
    const choice = (option: "complianceSeverity" | "syncCompliance", allowed: readonly string[]): void => {
      const v: unknown = options[option];
      if (v !== undefined && !allowed.includes(v as string)) bad(option, `use one of ${allowed.join(", ")}`);
    };
    choice("complianceSeverity", ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]);
    choice("syncCompliance", ["AUTO", "MANUAL"]);
    const cron = typeof schedule === "string" && schedule.startsWith("cron(");
    if (options.applyOnlyAtCronInterval !== undefined && typeof options.applyOnlyAtCronInterval !== "boolean") bad("applyOnlyAtCronInterval", "use true or false");
    else if (options.applyOnlyAtCronInterval && !cron) bad("applyOnlyAtCronInterval", "only cron schedules can run only at their cron interval");
    if (options.scheduleOffset !== undefined) {
      if (!cron || !options.applyOnlyAtCronInterval) bad("scheduleOffset", "needs a cron schedule and applyOnlyAtCronInterval: true");
      else if (!Number.isInteger(options.scheduleOffset) || options.scheduleOffset < 1 || options.scheduleOffset > 6) bad("scheduleOffset", "must be a whole number of days from 1 to 6");
    }
  };

  // Each association's logical id and name, once in the stack: a configuration 'Web' delivered by
  // DSC and a configuration 'WebDsc' would both make ConfigWebDscAssociation, and a fleet
  // association 'Web-dsc' the name (and S3 folder) of Web's DSC association.
  const associations = new Map<string, string>();
  const claim = (association: StackAssociation, owner: string, where: Where): void => {
    const kinds = [
      ["logical id", association.id, "a template keeps one resource per logical id"],
      ["association name", association.name, "the two would share a name and an S3 output folder"],
    ] as const;
    for (const [what, value, why] of kinds) {
      const key = `${what}\0${value}`;
      const other = associations.get(key);
      if (other) ctx.diagnostics.add(diag("AssociationClash", { owner, what, value: what === "association name" ? `${prefix}-${value}` : value, other, why }, where));
      else associations.set(key, owner);
    }
  };

  for (const c of loaded.configurations) {
    const span = ev.spanOf(c.def.site);
    const configuration = c.def.name as unknown;
    if (typeof configuration === "string" && CONFIGURATION_NAME.test(configuration)) {
      // (spans are found only for a problem: finding one may parse the file)
      const at = (): Span | undefined => ev.optionSpan(c.def.site, ["name"]) ?? span;
      if ((c.def.delivery?.runCommand ?? true) !== false) claim(stackAssociation.runCommand(configuration), `configuration '${configuration}'`, at);
      if (c.def.delivery?.dsc) claim(stackAssociation.dsc(configuration), `configuration '${configuration}' (delivered by DSC)`, at);
    }
    checkTargets(c.def.targets, span, (i) => ev.propertySpan(c.def.site, ["targets", "values", i]));
    checkSettings(c.def.association, c.def.schedule, `configuration '${String(c.def.name)}'`, span, (o) => ev.propertySpan(c.def.site, ["association", o]));
    const name = `${prefix}-${String(c.def.name)}`;
    // (a configuration name that is not valid is reported as such: not again as the document's name)
    const own = c.def.name as unknown;
    if (prefixValid && typeof own === "string" && CONFIGURATION_NAME.test(own) && !ASSOCIATION_NAME.test(name)) ctx.diagnostics.add(diag("NameInvalid", { what: "SSM document", name, message: ASSOCIATION_NAME_RULE }, span));
  }

  const names = new Set<string>();
  for (const a of stack.associations ?? []) {
    if (kindOf(a) !== "association") continue;
    const association = a as AwsAssociation;
    const span = ev.spanOf(association.site as Site | undefined) ?? configSpan;
    if (!ASSOCIATION_NAME.test(association.name)) ctx.diagnostics.add(diag("NameInvalid", { what: "association", name: String(association.name), message: ASSOCIATION_NAME_RULE }, span));
    // Their CloudFormation logical ids keep only letters and digits: "a-b" and "ab" would collide.
    const id = String(association.name).replace(/[^A-Za-z0-9]/g, "").toLowerCase();
    if (names.has(id)) {
      // (a helper's name is its default, which the author never wrote)
      ctx.diagnostics.add(diag("DuplicateName", { what: "associations (ignoring case and punctuation)", name: String(association.name) }, span, [{ message: "give one of them a name of its own: awsAssociation() and the helpers (codeDeployAgent(), patchBaselineScan() ...) take { name }" }]));
    } else if (typeof association.name === "string") claim(stackAssociation.fleet(association.name), `association '${association.name}'`, span);
    names.add(id);
    const document: unknown = association.document;
    const documentAt = (): Span | undefined => ev.propertySpan(association.site, ["document"]) ?? span;
    if (typeof document !== "string" || !DOCUMENT_NAME.test(document)) ctx.diagnostics.add(diag("NameInvalid", { what: "document", name: shown(document), message: "3 to 128 letters, digits, '-', '_', '.', ':' or '/'" }, documentAt));
    // Only AWS can name a document AWS-..., Amazon... or AMZN...: a plain name of that form is AWS's
    // own, where an ARN or another name may be anyone's (another account's shared document).
    else if (!RESERVED_PREFIX.test(document) || /[:/]/.test(document)) {
      ctx.diagnostics.add(diag("AssociationOptionInvalid", { option: "document", owner: `association '${String(association.name)}'`, message: `'${document}' is not an AWS-owned document (a name starting AWS, Amazon or AMZN, which only AWS can give, not an ARN): fleet associations run AWS's documents; code of your own goes in a module's resources and a configuration, where its fragments are checked` }, documentAt));
    } else if (CODE_RUNNING_DOCUMENTS.has(document.toLowerCase())) {
      ctx.diagnostics.add(diag("AssociationOptionInvalid", { option: "document", owner: `association '${String(association.name)}'`, message: `${document} runs the code its parameters give it, which no fragment check sees (a disruptive change without safe, Restart-Computer): write it as a resource of a module and a configuration instead` }, documentAt));
    }
    checkSchedule(ctx, ev, association.schedule, `association '${String(association.name)}'`, association.site, span);
    const shape = targetsProblems(association.targets);
    for (const p of shape) ctx.diagnostics.add(diag("TargetsInvalid", { owner: `association '${String(association.name)}'`, message: p.message }, ev.propertySpan(association.site, ["targets", ...p.path]) ?? span));
    if (shape.length === 0) checkTargets(association.targets, span, (i) => ev.propertySpan(association.site, ["targets", "values", i]));
    checkSettings(association, association.schedule, `association '${String(association.name)}'`, span, (o) => ev.propertySpan(association.site, [o]));
    const reads = ASSOCIATION_PARAMETER_READS[association.document];
    for (const [name, v] of Object.entries(association.parameters ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) {
        const at = (): Span | undefined => ev.propertySpan(association.site, ["parameters", name]) ?? span;
        if (checkValue(item, at)) continue;
        // (a name the instance role is granted: a wildcard or a stray character would widen the grant)
        const wrong = reads?.parameter === name && typeof item === "string" ? runtimeNameProblem("ssmParameter", item) : undefined;
        if (wrong) ctx.diagnostics.add(diag("NameInvalid", { what: `the Parameter Store name of association '${String(association.name)}' (${name})`, name: shown(item), message: `use ${wrong}` }, at()));
      }
    }
  }
  if (typeof stack.alerts === "object" && stack.alerts.email !== undefined) {
    const email: unknown = stack.alerts.email;
    const span = ev.propertySpan(loaded.config.site, ["stack", "alerts", "email"]) ?? configSpan;
    checkValue(email, span);
    // (SNS refuses the subscription at deploy time otherwise)
    if (!isStackValue(email) && (typeof email !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) {
      ctx.diagnostics.add(diag("ConfigSettingInvalid", { setting: "stack.alerts.email", expected: "an email address for SNS to send the alerts to (or a stackParameter() holding one)" }, span));
    }
  }
  checkLogs(ctx, ev, stack, loaded.config.site, configSpan, checkValue);
}

const KMS_KEY_ARN = new RegExp(KMS_KEY_ARN_PATTERN);

/** stack.logs: a retention CloudWatch Logs accepts, and a KMS key ARN or a declared stack parameter. */
function checkLogs(ctx: CompileContext, ev: SourceLocator, stack: StackOptions, site: Site | undefined, configSpan: Span | undefined, checkValue: (value: unknown, where: Where) => void): void {
  const logs: unknown = stack.logs;
  if (logs === undefined) return;
  const at = (...path: string[]): Span | undefined => ev.propertySpan(site, ["stack", "logs", ...path]) ?? ev.propertySpan(site, ["stack", "logs"]) ?? configSpan;
  if (typeof logs !== "object" || logs === null || Array.isArray(logs)) {
    ctx.diagnostics.add(diag("ConfigSettingInvalid", { setting: "stack.logs", expected: "an object: { retentionDays?, kmsKey? }" }, at()));
    return;
  }
  const { retentionDays, kmsKey } = logs as { retentionDays?: unknown; kmsKey?: unknown };
  if (retentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly unknown[]).includes(retentionDays)) {
    const n = typeof retentionDays === "number" && Number.isFinite(retentionDays) ? retentionDays : undefined;
    const below = n === undefined ? undefined : [...LOG_RETENTION_DAYS].reverse().find((d) => d < n);
    const above = n === undefined ? undefined : LOG_RETENTION_DAYS.find((d) => d > n);
    const near = [below, above].filter((d): d is (typeof LOG_RETENTION_DAYS)[number] => d !== undefined);
    const hint = near.length > 0 ? `; the nearest are ${near.join(" and ")}` : "";
    ctx.diagnostics.add(diag("LogRetentionInvalid", { value: shownValue(retentionDays), allowed: LOG_RETENTION_DAYS.join(", "), hint }, at("retentionDays")));
  }
  if (kmsKey !== undefined) {
    if (isStackValue(kmsKey)) checkValue(kmsKey, () => at("kmsKey"));
    else if (typeof kmsKey !== "string" || !KMS_KEY_ARN.test(kmsKey)) ctx.diagnostics.add(diag("LogKmsKeyInvalid", { value: shownValue(kmsKey) }, at("kmsKey")));
  }
}

/** A value as the message shows it: JSON, cut, so hostile text stays on one line. */
function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
