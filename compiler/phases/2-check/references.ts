// Configurations: names, targets, schedule, resource properties and dependsOn references.
import { inboxCommand } from "../../powershell/link.js";
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import type { Site } from "../../../stdlib/api/brand.js";
import { kindOf } from "../../../stdlib/api/brand.js";
import { isStackValue } from "../../../stdlib/api/stack.js";
import type { ResourceDef, ResourceInstance } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import type { Note, Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import { Digraph } from "../../util/graph.js";
import { findScheduleProblems } from "../../util/schedule.js";
import { closest } from "../../util/text.js";
import { canonicalCase } from "../../util/dotnet-regex.js";
import type { SourceLocator } from "../1-load/locator.js";
import { mayRepeatKey } from "../1-load/lexical.js";
import { propertyName, unwrapExpression } from "../1-load/syntax.js";
import type { Loaded, LoadedConfiguration } from "../1-load/index.js";
import { isModuleVersion, type CheckedModule } from "./definitions.js";
import { valueProblem } from "./values.js";
import { misspeltOptionality, OPTIONS, optionLeftOut, reportUnknownKeys } from "../unknown-keys.js";
import { mofProblem, shown, reservedDeviceName, runtimeCall, runtimeNameProblem, tokenInLiteral } from "../../util/names.js";

export interface CheckedConfiguration {
  readonly loaded: LoadedConfiguration;
  readonly name: string;
  /** Resource ids, dependencies first, ties by id. */
  readonly order: readonly string[];
}

/** A configuration's name (it names a PowerShell module, Invoke-<Name> and the SSM document). */
export const CONFIGURATION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** A configuration's options it does not have (see reportUnknownKeys). */
function unknownOptions(ctx: CompileContext, ev: SourceLocator, c: LoadedConfiguration): Set<string> {
  const { site, ...options } = c.def as unknown as Record<string, unknown> & { site: LoadedConfiguration["def"]["site"] };
  const owner = typeof options.name === "string" ? `configuration '${options.name}'` : "this configuration";
  return reportUnknownKeys(ctx, options, OPTIONS.configuration, owner, (key) => ev.propertySpan(site, [key], { at: "name" }) ?? c.span);
}
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

export function checkConfigurations(ctx: CompileContext, loaded: Loaded, modules: readonly CheckedModule[]): CheckedConfiguration[] {
  const ev = loaded.locator;
  // A configuration is a PowerShell module too: its name may not be taken by an author module or the runtime.
  // (Spans are found only for a clash: finding one walks the file's syntax tree.)
  const taken = new Map<string, () => Span | undefined>(modules.map((m) => [m.name.toLowerCase(), () => ev.optionSpan(m.loaded.def.site, ["name"])]));
  taken.set("fleetform.runtime", () => undefined);
  const out: CheckedConfiguration[] = [];
  for (const c of loaded.configurations) {
    const def = c.def;
    const at = (...path: (string | number)[]): Span | undefined => ev.optionSpan(def.site, path) ?? c.span;
    const name = String(def.name);
    const meant = unknownOptions(ctx, ev, c);
    if (optionLeftOut(ctx, def as unknown as Record<string, unknown>, "name", meant, "this configuration", "a name of letters and digits (e.g. AppServer): it names a PowerShell module, Invoke-<Name> and the SSM document", c.span)) {
      // (left out, or reported as the misspelt option)
    } else if (typeof def.name !== "string" || !CONFIGURATION_NAME.test(def.name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "configuration name", name, message: "use letters and digits (it names a PowerShell module, Invoke-<Name> and the SSM document), at most 64" }, at("name")));
    } else if (reservedDeviceName(name)) {
      ctx.diagnostics.add(diag("ReservedDeviceName", { what: "configuration name", name, device: reservedDeviceName(name)! }, at("name")));
    } else if (inboxCommand(`Invoke-${name}`)) {
      ctx.diagnostics.add(diag("ShadowsInbox", { what: `the function generated for configuration '${name}',`, name: `Invoke-${name}`, inbox: inboxCommand(`Invoke-${name}`)! }, at("name")));
    } else if (taken.has(name.toLowerCase())) {
      const other = taken.get(name.toLowerCase())!();
      ctx.diagnostics.add(diag("DuplicateName", { what: "modules or configurations", name }, at("name"), other ? [{ message: "the other one is declared here", span: other }] : []));
    }
    taken.set(name.toLowerCase(), () => at("name"));
    // The rest looks at this configuration alone: a watch rebuild reuses it while the file (and
    // what it imports) is unchanged.
    const order = ctx.memo("check: configuration", def, [def, name], () => checkConfiguration(ctx, ev, name, c, meant));
    out.push({ loaded: c, name, order });
  }
  checkConflicts(ctx, ev, loaded.configurations);
  checkComplianceTypes(ctx, ev, out);
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * A compliance type of one's own: the custom form of SSM's ComplianceTypeName, matched whole
 * (botocore's pattern for PutComplianceItems, whose other form names SSM's own types: Association,
 * Patch), at most 100 characters. AWS-ApplyDSCMofs reports under ComplianceType with it.
 */
const CUSTOM_COMPLIANCE_TYPE = /^Custom:[a-zA-Z0-9_-]\w+$/;

/** The compliance type a DSC configuration reports under when it gives none (lowering's default too). */
export function defaultComplianceType(configuration: string): string {
  return `Custom:${configuration}`;
}

/** The compliance type the runtime reports a Run Command configuration's resources under (stdlib/runtime/src/compliance.ps1). */
export function runtimeComplianceType(configuration: string): string {
  return `Custom:Fleetform_${configuration}`;
}

/**
 * Each association reports under a compliance type of its own: two reporting under one overwrite
 * each other's compliance data (each upload is COMPLETE), so every instance would show whichever
 * ran last. A DSC configuration's complianceType, given or its default Custom:<Name>, is checked
 * against the others' and the runtime's Custom:Fleetform_<Name> of the Run Command ones.
 */
function checkComplianceTypes(ctx: CompileContext, ev: SourceLocator, configurations: readonly CheckedConfiguration[]): void {
  const owners = new Map<string, string>();
  for (const { loaded: c, name } of configurations) if ((c.def.delivery?.runCommand ?? true) !== false) owners.set(runtimeComplianceType(name), `the runtime reports configuration '${name}''s resources under '${runtimeComplianceType(name)}' too`);
  // (the configurations that leave it to its default, Custom:<Name>, first: a clash is the one that chose a type's)
  const dscDelivered = configurations.filter(({ loaded: c }) => !!c.def.delivery?.dsc);
  const given = ({ loaded: c }: CheckedConfiguration): unknown => {
    const dsc: unknown = c.def.delivery?.dsc;
    return typeof dsc === "object" && dsc !== null ? (dsc as { complianceType?: unknown }).complianceType : undefined;
  };
  for (const checked of [...dscDelivered.filter((x) => given(x) === undefined), ...dscDelivered.filter((x) => given(x) !== undefined)]) {
    const { loaded: c, name } = checked;
    const chosen = given(checked);
    if (chosen !== undefined && (typeof chosen !== "string" || !CUSTOM_COMPLIANCE_TYPE.test(chosen) || chosen.length > 100)) continue;
    const type = typeof chosen === "string" ? chosen : defaultComplianceType(name);
    if (!CUSTOM_COMPLIANCE_TYPE.test(type)) {
      // (the default of a one-letter configuration name: SSM wants two characters after Custom:)
      ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${name}'`, option: "delivery.dsc.complianceType", expected: `given: its default, '${type}', is shorter than SSM takes (two characters at least after Custom:)` }, ev.optionSpan(c.def.site, ["delivery", "dsc"]) ?? c.span));
      continue;
    }
    const other = owners.get(type);
    if (other !== undefined) {
      const at = (chosen !== undefined ? ev.optionSpan(c.def.site, ["delivery", "dsc", "complianceType"]) : ev.optionSpan(c.def.site, ["delivery", "dsc"])) ?? c.span;
      ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${name}'`, option: "delivery.dsc.complianceType", expected: `a compliance type of its own: ${other}, and reports under one type overwrite each other's compliance data` }, at));
      continue;
    }
    owners.set(type, `configuration '${name}' reports under '${type}' too`);
  }
}

/** A tag value as a target's key: a string as it is, a stack parameter by its name (one value when the stack deploys). */
function targetValue(value: unknown): string | undefined {
  if (typeof value === "string") return `=${value}`;
  if (isStackValue(value) && value.form === "ref" && typeof value.name === "string") return `!Ref ${value.name}`;
  return undefined;
}

/** A value plain enough to compare (text, numbers, booleans, and lists and tables of them): not a stack, run-time or secret value. */
function plainValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(plainValue);
  if (typeof value === "object" && kindOf(value) === undefined) return Object.values(value).every(plainValue);
  return false;
}

/** A plain value as text, strings without case (what differs only in case is not counted as a conflict: Windows may read both alike). */
const comparable = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === "string" ? canonicalCase(v) : v));

/**
 * Two configurations whose targets share a tag value (the same tag key, and a value both list, or
 * the same stack parameter) both run on the instances carrying it. When both declare a resource of
 * one type with the same key values but set another property differently, each run undoes what the
 * other did, every 30 minutes, and neither reports a failure. Reported once per pair of resources,
 * at the one in the configuration whose name sorts later. Targets with different tag keys may
 * overlap too, but nothing in the repo says so.
 */
function checkConflicts(ctx: CompileContext, ev: SourceLocator, configurations: readonly LoadedConfiguration[]): void {
  const targeted = configurations
    .map((c) => {
      const t = c.def.targets as { tag?: unknown; values?: unknown } | undefined;
      const values = typeof t?.tag === "string" && Array.isArray(t.values) ? t.values.map(targetValue).filter((v): v is string => v !== undefined) : [];
      return { c, name: String(c.def.name), tag: typeof t?.tag === "string" ? t.tag : "", values: new Set(values) };
    })
    .filter((x) => x.values.size > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // (each configuration's keyed resources, made once it shares a target with another)
  const keyed = new Map<LoadedConfiguration, Map<string, { id: string; inst: ResourceInstance; keys: readonly string[] }>>();
  const resourcesOf = (c: LoadedConfiguration): Map<string, { id: string; inst: ResourceInstance; keys: readonly string[] }> => {
    let found = keyed.get(c);
    if (found) return found;
    found = new Map();
    for (const [id, instance] of Object.entries((c.def.resources ?? {}) as Record<string, unknown>)) {
      if (kindOf(instance) !== "instance") continue;
      const inst = instance as ResourceInstance;
      const key = keyIdentity(inst);
      if (key && !found.has(key.identity)) found.set(key.identity, { id, inst, keys: key.keys });
    }
    keyed.set(c, found);
    return found;
  };
  for (let i = 0; i < targeted.length; i++) {
    for (let j = i + 1; j < targeted.length; j++) {
      const a = targeted[i]!;
      const b = targeted[j]!;
      if (a.tag !== b.tag) continue;
      const shared = [...a.values].find((v) => b.values.has(v));
      if (shared === undefined) continue;
      const first = resourcesOf(a.c);
      for (const [identity, later] of resourcesOf(b.c)) {
        const earlier = first.get(identity);
        if (!earlier) continue;
        const def = later.inst.resource as ResourceDef;
        const types = typesOf(def);
        const before = propertiesOf(earlier.inst);
        const after = propertiesOf(later.inst);
        // (a property left out takes its default; one with none is not managed by that resource)
        const valueOf = (values: Record<string, unknown>, name: string): unknown => (values[name] !== undefined ? values[name] : (types[name] as { default?: unknown } | undefined)?.default);
        const differs = Object.keys(types).find((name) => {
          if (later.keys.includes(name)) return false;
          const x = valueOf(before, name);
          const y = valueOf(after, name);
          return x !== undefined && y !== undefined && plainValue(x) && plainValue(y) && comparable(x) !== comparable(y);
        });
        if (differs === undefined) continue;
        const span = (c: LoadedConfiguration, id: string, inst: ResourceInstance): Span | undefined =>
          ev.propertySpan(inst.site, [differs], { argument: 0 }) ?? ev.spanOf(inst.site) ?? ev.propertySpan(c.def.site, ["resources", id], { at: "name" }) ?? c.span;
        const other = span(a.c, earlier.id, earlier.inst);
        ctx.diagnostics.add(
          diag(
            "ConflictingResources",
            {
              first: a.name,
              second: b.name,
              target: shared.startsWith("=") ? `${a.tag}=${shared.slice(1)}` : `${a.tag} = ${shared}`,
              type: String(def.name),
              keys: later.keys.map((k) => `${k} ${shownValue(after[k])}`).join(", "),
              property: differs,
              was: `${shownValue(valueOf(before, differs))}${before[differs] === undefined ? " (its default)" : ""}`,
              is: `${shownValue(valueOf(after, differs))}${after[differs] === undefined ? " (its default)" : ""}`,
              firstId: earlier.id,
              secondId: later.id,
            },
            span(b.c, later.id, later.inst),
            other ? [{ message: before[differs] === undefined ? `'${earlier.id}' of '${a.name}' leaves it at its default` : `'${earlier.id}' of '${a.name}' sets it here`, span: other }] : [],
          ),
        );
      }
    }
  }
}

/** A plain value as written in TypeScript: a string in single quotes, others as JSON (short). */
function shownValue(value: unknown): string {
  // (control and line-breaking characters escaped: a value may be any text, and the message is one line)
  const text = shown(typeof value === "string" ? `'${value}'` : isStackValue(value) && value.form === "ref" ? `stackParameter('${value.name}')` : (JSON.stringify(value) ?? String(value)));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A configuration's or fleet-wide association's schedule, reported at the field that is wrong when
 * the schedule is a plain string literal in the source (else at the whole value, or at `fallback`).
 */
export function checkSchedule(ctx: CompileContext, ev: SourceLocator, schedule: unknown, owner: string, site: Site | undefined, fallback: Span | undefined): void {
  const problems = typeof schedule === "string" ? findScheduleProblems(schedule) : [{ message: "the schedule must be a string", start: 0, end: 0 }];
  if (problems.length === 0) return;
  const ts = typescript();
  const found = ev.propertyAt(site, ["schedule"]);
  const whole = found ? ev.nodeSpan(found.file, found.value) : (ev.spanOf(site) ?? fallback);
  // A part of the value only when the source spells it character for character (no escapes) on one line.
  const literal = found && whole && typeof schedule === "string" && (ts.isStringLiteral(found.value) || ts.isNoSubstitutionTemplateLiteral(found.value)) && found.value.getText(ev.syntax(found.file)).slice(1, -1) === schedule && /^[\x20-\x7e]*$/.test(schedule) && whole.start.line === whole.end.line;
  for (const problem of problems) {
    const part = literal && whole && (problem.start > 0 || problem.end < schedule.length);
    const span = part ? { file: whole.file, start: { line: whole.start.line, column: whole.start.column + 1 + problem.start }, end: { line: whole.start.line, column: whole.start.column + 1 + problem.end } } : whole;
    ctx.diagnostics.add(diag("ScheduleInvalid", { schedule: String(schedule), owner, message: problem.message }, span));
  }
}

/** One configuration's own checks; returns its resource ids, dependencies first. */
/** `meant`: required options not given that a misspelt one means (reported already: see unknownOptions). */
function checkConfiguration(ctx: CompileContext, ev: SourceLocator, name: string, c: LoadedConfiguration, meant: ReadonlySet<string>): readonly string[] {
  const def = c.def;
  const at = (...path: (string | number)[]): Span | undefined => ev.optionSpan(def.site, path) ?? c.span;
  if (def.description !== undefined && typeof def.description !== "string") {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${name}'`, option: "description", expected: "a string" }, at("description")));
  }
  if (def.version !== undefined && !isModuleVersion(def.version)) {
    ctx.diagnostics.add(diag("VersionInvalid", { what: "configuration", name, version: String(def.version) }, at("version")));
  }
  const given = def as unknown as Record<string, unknown>;
  const owner = `configuration '${name}'`;
  if (!optionLeftOut(ctx, given, "targets", meant, owner, 'the instances it applies to, as { tag, values } (e.g. { tag: "SSM_Association", values: ["windows-prod"] })', c.span)) checkTargets(ctx, ev, name, c);
  if (!optionLeftOut(ctx, given, "schedule", meant, owner, 'a schedule for State Manager: "rate(30 minutes)" or a cron(...) expression', c.span)) checkSchedule(ctx, ev, def.schedule, owner, def.site, c.span);
  if (def.timeoutSeconds !== undefined && !(Number.isInteger(def.timeoutSeconds) && def.timeoutSeconds >= 5 && def.timeoutSeconds <= 172800)) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${name}'`, option: "timeoutSeconds", expected: "a whole number from 5 to 172800" }, at("timeoutSeconds")));
  }
  const resources: unknown = def.resources;
  if (optionLeftOut(ctx, given, "resources", meant, owner, "its resources by id (e.g. { hostname: ComputerName({ ... }) })", c.span)) return [];
  if (typeof resources !== "object" || resources === null || Array.isArray(resources)) {
    if (!meant.has("resources")) ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${name}'`, option: "resources", expected: "an object of resources by id, e.g. { hostname: ComputerName({ ... }) }" }, at("resources")));
    return [];
  }
  checkDuplicateIds(ctx, ev, name, c);
  checkDelivery(ctx, ev, name, c);
  return checkResources(ctx, ev, name, c);
}

const LCM_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  configurationModeFrequencyMins: [15, 44640],
  refreshFrequencyMins: [30, 44640],
};

/**
 * Delivery and LCM options whose value is one of a few words, a boolean or a string: what the type
 * check says too, said again where it is off (--no-typecheck) or cast away (`as never`), since the
 * value goes into the MOF meta-configuration and AWS-ApplyDSCMofs' parameters as it is.
 */
const CHOICES: readonly (readonly [path: readonly string[], allowed: readonly string[] | "boolean" | "string"])[] = [
  [["delivery", "runCommand"], "boolean"],
  [["delivery", "dsc", "rebootBehavior"], ["AfterMof", "Immediately", "Never"]],
  [["delivery", "dsc", "mode"], ["Apply", "ReportOnly"]],
  [["delivery", "dsc", "complianceType"], "string"],
  [["lcm", "configurationMode"], ["ApplyOnly", "ApplyAndMonitor", "ApplyAndAutoCorrect", "MonitorOnly"]],
  [["lcm", "rebootNodeIfNeeded"], "boolean"],
  [["lcm", "actionAfterReboot"], ["ContinueConfiguration", "StopConfiguration"]],
];

/** The value at `path` in `root` (undefined where a step is not an object). */
function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const key of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** LCM settings in range; in-box DSC resources (other than Script) only through DSC; MOF-representable values when delivered by DSC. */
function checkDelivery(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration): void {
  const dscOption: unknown = c.def.delivery?.dsc;
  if (dscOption !== undefined && typeof dscOption !== "boolean" && (typeof dscOption !== "object" || dscOption === null || Array.isArray(dscOption))) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${configuration}'`, option: "delivery.dsc", expected: "true, false or { rebootBehavior, mode, complianceType }" }, ev.optionSpan(c.def.site, ["delivery", "dsc"]) ?? c.span));
  }
  // (a wrong lcm value is its one diagnostic: FF2144 only for settings that are right but go nowhere)
  let lcmInvalid = false;
  for (const [path, allowed] of CHOICES) {
    const v = valueAt(c.def, path);
    if (v === undefined) continue;
    const ok = allowed === "boolean" ? typeof v === "boolean" : allowed === "string" ? typeof v === "string" : allowed.includes(v as string);
    if (ok) continue;
    const expected = allowed === "boolean" ? "true or false" : allowed === "string" ? "a string" : `one of ${allowed.map((a) => `"${a}"`).join(", ")}`;
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${configuration}'`, option: path.join("."), expected }, ev.optionSpan(c.def.site, [...path]) ?? c.span));
    if (path[0] === "lcm") lcmInvalid = true;
  }
  const complianceType = valueAt(c.def, ["delivery", "dsc", "complianceType"]);
  if (typeof complianceType === "string" && (!CUSTOM_COMPLIANCE_TYPE.test(complianceType) || complianceType.length > 100)) {
    ctx.diagnostics.add(
      diag(
        "OptionInvalid",
        { owner: `configuration '${configuration}'`, option: "delivery.dsc.complianceType", expected: "a custom compliance type, as SSM takes one: Custom: and then a letter, digit, _ or - followed by letters, digits or _ (at least two in all), at most 100 characters (e.g. Custom:WebBaseline)" },
        ev.optionSpan(c.def.site, ["delivery", "dsc", "complianceType"]) ?? c.span,
      ),
    );
  }
  const lcm = (c.def.lcm ?? {}) as Record<string, unknown>;
  for (const [setting, [min, max]] of Object.entries(LCM_RANGES)) {
    const v = lcm[setting];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) {
      ctx.diagnostics.add(diag("LcmSettingInvalid", { setting, configuration, range: `a whole number of minutes from ${min} to ${max}` }, ev.optionSpan(c.def.site, ["lcm", setting]) ?? c.span));
      lcmInvalid = true;
    }
  }
  const runCommand = c.def.delivery?.runCommand ?? true;
  const dsc = !!c.def.delivery?.dsc;
  const lcmGiven = typeof c.def.lcm === "object" && c.def.lcm !== null && Object.values(c.def.lcm).some((v) => v !== undefined);
  if (lcmGiven && !lcmInvalid) lcmNotApplied(ctx, ev, configuration, c, dsc);
  if (!runCommand && !dsc && c.def.delivery?.runCommand === false) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `configuration '${configuration}'`, option: "delivery", expected: "runCommand (the default), dsc, or both: with runCommand: false and no dsc nothing delivers the configuration, and the build would write no document or association for it" }, ev.optionSpan(c.def.site, ["delivery"]) ?? c.span));
  }
  // Resources that take effect after a reboot, which rebootBehavior "Never" refuses (FF2145, once, below).
  const rebooting: string[] = [];
  for (const [id, instance] of Object.entries((c.def.resources ?? {}) as Record<string, ResourceInstance>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (kindOf(instance) !== "instance") continue;
    const def = instance.resource as ResourceDef;
    const span = ev.spanOf(instance.site) ?? c.span;
    if (dsc && def.reboot === "after-set") rebooting.push(`'${id}' (${def.name})`);
    if (runCommand && def.dsc && def.name !== "Script") {
      ctx.diagnostics.add(diag("BuiltinNeedsDsc", { id, type: def.name, configuration }, span));
    }
    // Only a configuration delivered by DSC gets a DSC document: the others' values need not fit in one.
    if (!dsc) continue;
    for (const [property, value] of Object.entries(propertiesOf(instance)).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const problem = mofProblem(typesOf(def)[property], value);
      if (!problem) continue;
      const at = ev.propertySpan(instance.site, [property]) ?? span;
      const literal = tokenInLiteral(value);
      if (literal) {
        ctx.diagnostics.add(diag("MofTokenInLiteral", { property, id, value: shown(literal.text.length > 60 ? `${literal.text.slice(0, 60)}...` : literal.text), token: literal.token }, at));
        continue;
      }
      ctx.diagnostics.add(diag("MofCannotHold", { property, id, message: problem }, at));
    }
  }
  // (ReportOnly sets nothing, so nothing waits for a reboot)
  if (rebooting.length > 0 && valueAt(c.def, ["delivery", "dsc", "rebootBehavior"]) === "Never" && valueAt(c.def, ["delivery", "dsc", "mode"]) !== "ReportOnly") {
    ctx.diagnostics.add(diag("RebootRefused", { configuration, resources: rebooting.join(", "), take: rebooting.length === 1 ? "takes" : "take" }, ev.optionSpan(c.def.site, ["delivery", "dsc", "rebootBehavior"]) ?? c.span));
  }
}

/**
 * What each LCM setting does on an instance, said where the delivery does it: nothing the build
 * delivers applies localhost.meta.mof (AWS-ApplyDSCMofs applies configuration MOFs, on the
 * association's schedule, and leaves the LCM's own settings as they are), so a setting given there
 * changes nothing on the instances (the trials' finding: `rebootNodeIfNeeded: true` never rebooted).
 */
const LCM_EQUIVALENTS: Readonly<Record<string, string>> = {
  configurationMode: "for configurationMode, set delivery.dsc.mode (\"Apply\" applies the MOF at each run, \"ReportOnly\" only reports drift)",
  configurationModeFrequencyMins: "for how often the MOF is applied, set schedule",
  refreshFrequencyMins: "for how often the MOF is applied, set schedule",
  rebootNodeIfNeeded: "for reboots, set delivery.dsc.rebootBehavior (\"AfterMof\", \"Immediately\" or \"Never\")",
  actionAfterReboot: "actionAfterReboot has no equivalent: after a reboot the association's next run applies the MOF again",
};

/** FF2144 at `lcm`: its settings reach no instance (see LCM_EQUIVALENTS). */
function lcmNotApplied(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration, dsc: boolean): void {
  const at = ev.optionSpan(c.def.site, ["lcm"]) ?? c.span;
  if (!dsc) {
    ctx.diagnostics.add(diag("LcmNotApplied", { configuration, effect: "has no effect: the configuration is not delivered by DSC (delivery.dsc), so no DSC document is written", advice: "; remove it" }, at));
    return;
  }
  const lcm: unknown = c.def.lcm;
  const given = typeof lcm === "object" && lcm !== null ? Object.keys(lcm).filter((k) => (lcm as Record<string, unknown>)[k] !== undefined) : [];
  const advice = [...new Set(given.sort().map((k) => LCM_EQUIVALENTS[k]).filter((a): a is string => a !== undefined))];
  ctx.diagnostics.add(
    diag(
      "LcmNotApplied",
      {
        configuration,
        effect: `reaches only dsc/${configuration}/localhost.meta.mof, which nothing the build delivers applies: AWS-ApplyDSCMofs applies the configuration's MOF on the association's schedule and leaves the LCM's settings as they are`,
        advice: `${advice.length > 0 ? `; ${advice.join("; ")}` : ""}; the meta MOF takes effect only where you apply it yourself (Set-DscLocalConfigurationManager)`,
      },
      at,
    ),
  );
}

/** Values resolved on the instance anywhere in a property value, with the name each was given. */
function runtimeValues(value: unknown, out: { source: string; name: unknown; site?: Site }[] = []): { source: string; name: unknown; site?: Site }[] {
  if (kindOf(value) === "runtime") out.push(value as { source: string; name: unknown; site?: Site });
  else if (Array.isArray(value)) for (const v of value) runtimeValues(v, out);
  else if (typeof value === "object" && value !== null && !kindOf(value)) for (const v of Object.values(value)) runtimeValues(v, out);
  return out;
}

/** A resource type's property types (those made with t.*: definitions.ts reports anything else). */
function typesOf(def: ResourceDef): Record<string, PropType> {
  const props: unknown = def.properties;
  if (typeof props !== "object" || props === null) return {};
  return Object.fromEntries(Object.entries(props).filter(([, t]) => kindOf(t) === "type")) as Record<string, PropType>;
}

/** An instance's property values (an object, even when a cast let something else through). */
function propertiesOf(instance: ResourceInstance): Record<string, unknown> {
  const values: unknown = instance.properties;
  return typeof values === "object" && values !== null ? (values as Record<string, unknown>) : {};
}

/** JavaScript keeps the last of two equal keys; the object literal still shows both. */
function checkDuplicateIds(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration): void {
  // (from the source alone: kept with its text; its syntax tree read only where the text may repeat an id)
  const resources: unknown = c.def.resources;
  const ids = typeof resources === "object" && resources !== null ? Object.keys(resources) : [];
  const text = c.def.site ? ev.textOf(c.def.site.file) : undefined;
  if (text !== undefined && !mayRepeatKey(text, ids)) return;
  const duplicates = ev.fromSource(c.def.site, "duplicate resource ids", () => {
    const ts = typescript();
    const resources = ev.propertyAt(c.def.site, ["resources"]);
    if (!resources || !ts.isObjectLiteralExpression(resources.value)) return [];
    const found: { id: string; span: Span; first: Span }[] = [];
    const first = new Map<string, ts.Node>();
    for (const p of resources.value.properties) {
      const name = propertyName(p.name);
      if (name === undefined) continue;
      const before = first.get(name);
      if (before) found.push({ id: name, span: ev.nodeSpan(resources.file, p.name!), first: ev.nodeSpan(resources.file, before) });
      else first.set(name, p.name!);
    }
    return found;
  });
  for (const d of duplicates) {
    ctx.diagnostics.add(diag("DuplicateResourceId", { configuration, id: d.id }, d.span, [{ message: `the first '${d.id}' is declared here`, span: d.first }]));
  }
}

function checkTargets(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration): void {
  const at = (path: readonly (string | number)[]): Span | undefined => ev.propertySpan(c.def.site, ["targets", ...path]) ?? ev.optionSpan(c.def.site, ["targets"]) ?? c.span;
  for (const p of targetsProblems(c.def.targets)) ctx.diagnostics.add(diag("TargetsInvalid", { owner: `configuration '${configuration}'`, message: p.message }, at(p.path)));
}

/**
 * A tag key SSM takes in a target (tag:<key>, TargetKey's pattern in the SSM API model: letters,
 * digits, spaces and _ . : / = - @), at most 128 characters as EC2 allows (aws: keys such as
 * aws:autoscaling:groupName included: instances carry them and associations target them).
 * (Line and paragraph separators, which the pattern's \p{Z} lets through, are left out.)
 */
const TARGET_TAG_KEY = /^[\p{L}\p{Zs}\p{N}_.:/=\-@]{1,128}$/u;

/** What is wrong with `{ tag, values }` targets (a configuration's or an association's), with the path under `targets`. */
export function targetsProblems(t: unknown): { message: string; path: (string | number)[] }[] {
  if (typeof t !== "object" || t === null) return [{ message: "`targets` must be { tag, values }, e.g. { tag: \"SSM_Association\", values: [\"windows-prod\"] }", path: [] }];
  const problems: { message: string; path: (string | number)[] }[] = [];
  const { tag, values } = t as { tag?: unknown; values?: unknown };
  if (typeof tag !== "string" || !TARGET_TAG_KEY.test(tag)) {
    problems.push({ message: "`tag` must be a tag key of 1 to 128 letters, digits, spaces and _ . : / = - @ (what SSM takes in a target)", path: ["tag"] });
  }
  if (!Array.isArray(values) || values.length === 0 || values.length > 50) {
    problems.push({ message: "`values` must list 1 to 50 tag values", path: ["values"] });
    return problems;
  }
  const bad = values.findIndex((v) => !isStackValue(v) && (typeof v !== "string" || v.length === 0 || v.length > 256));
  if (bad >= 0) problems.push({ message: "each tag value must be a string of 1 to 256 characters (or a stack value)", path: ["values", bad] });
  return problems;
}

function checkResources(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration): string[] {
  const resources = (c.def.resources ?? {}) as Record<string, unknown>;
  const graph = new Digraph();
  const ids = Object.keys(resources).sort();
  // Ids that differ only in case, each with the one written before it (in the object's order, as
  // written): the later one is the mistake.
  const byCase = new Map<string, string>();
  const earlier = new Map<string, string>();
  for (const id of Object.keys(resources)) {
    const before = byCase.get(id.toLowerCase());
    if (before === undefined) byCase.set(id.toLowerCase(), id);
    else earlier.set(id, before);
  }
  /** The id's key in the configuration's resources object. */
  const keySpan = (id: string): Span | undefined => ev.propertySpan(c.def.site, ["resources", id], { at: "name" });
  for (const id of ids) {
    const instance = resources[id];
    const span = ev.spanOf((instance as { site?: Site } | undefined)?.site) ?? keySpan(id) ?? c.span;
    if (!RESOURCE_ID.test(id)) ctx.diagnostics.add(diag("NameInvalid", { what: "resource id", name: id, message: "start with a letter; letters, digits, '_', '.', '-'" }, keySpan(id) ?? span));
    const sameCase = earlier.get(id);
    if (sameCase !== undefined) {
      const first = keySpan(sameCase);
      ctx.diagnostics.add(diag("ResourceIdCaseCollision", { first: sameCase, second: id, configuration }, keySpan(id) ?? span, first ? [{ message: `'${sameCase}' is declared here`, span: first }] : []));
    }
    if (kindOf(instance) !== "instance") {
      ctx.diagnostics.add(diag("PropertyValueInvalid", { property: id, resource: `configuration '${configuration}'`, message: "each resource must be created by calling a resource type, e.g. ComputerName({ ... })" }, ev.propertySpan(c.def.site, ["resources", id]) ?? span));
      continue;
    }
    graph.addNode(id);
    const inst = instance as ResourceInstance;
    checkProperties(ctx, ev, inst, span);
    for (const dep of dependencies(ctx, ev, configuration, id, inst, span)) {
      // (found only for a problem)
      const depSpan = (): Span | undefined => dependsOnSpan(ev, inst, dep) ?? span;
      if (dep === id) {
        ctx.diagnostics.add(diag("SelfDependsOn", { id }, depSpan()));
      } else if (!Object.hasOwn(resources, dep)) {
        const suggestion = closest(dep, ids);
        const notes: Note[] = suggestion
          ? [{ message: `did you mean '${suggestion}'?`, ...spanProp(keySpan(suggestion)) }]
          : [{ message: `resources of '${configuration}': ${ids.join(", ")}` }];
        ctx.diagnostics.add(diag("UnknownDependsOn", { id: dep, configuration }, depSpan(), notes));
      } else {
        graph.addEdge(id, dep);
      }
    }
  }
  checkDuplicateKeys(ctx, ev, configuration, c, keySpan);
  for (const cycle of graph.findCycles()) {
    const first = resources[cycle[0]!] as ResourceInstance;
    const notes = cycle.slice(0, -1).map((id, i) => ({
      message: `'${id}' depends on '${cycle[i + 1]}'`,
      ...spanProp(dependsOnSpan(ev, resources[id] as ResourceInstance, cycle[i + 1]!)),
    }));
    ctx.diagnostics.add(diag("ResourceCycle", { configuration, cycle: cycle.join(" -> ") }, dependsOnSpan(ev, first, cycle[1]!), notes));
  }
  return graph.topoSort();
}

/**
 * Like DSC, one configuration may not hold two resources of a type with the same keys (they would
 * manage one thing, each its own way). Keys are compared as DSC compares them: strings without
 * case, as .NET's StringComparer.OrdinalIgnoreCase does (Windows PowerShell's
 * PSDesiredStateConfiguration keeps the key combinations of a node in such a HashSet), so
 * 'C:\Fleet' and 'c:\fleet' are one. In the order written: the later one is the mistake. A resource
 * missing a key value has that reported already.
 */
function checkDuplicateKeys(ctx: CompileContext, ev: SourceLocator, configuration: string, c: LoadedConfiguration, keySpan: (id: string) => Span | undefined): void {
  const resources = (c.def.resources ?? {}) as Record<string, unknown>;
  const keyed = new Map<string, { readonly id: string; readonly shown: string }>();
  for (const id of Object.keys(resources)) {
    const instance = resources[id];
    if (kindOf(instance) !== "instance") continue;
    const inst = instance as ResourceInstance;
    const def = inst.resource as ResourceDef;
    const key = keyIdentity(inst);
    if (!key) continue;
    const { identity, keys: keyNames } = key;
    const values = propertiesOf(inst);
    const written = keyNames.map((k) => shownValue(values[k])).join(", ");
    const before = keyed.get(identity);
    if (before === undefined) {
      keyed.set(identity, { id, shown: written });
      continue;
    }
    const first = keySpan(before.id);
    const notes: Note[] = first ? [{ message: `'${before.id}' is declared here`, span: first }] : [];
    if (before.shown !== written) notes.push({ message: `key values are compared without case, as DSC and Windows compare names: ${before.shown} and ${written} are the same` });
    const span = ev.spanOf((instance as { site?: Site } | undefined)?.site) ?? keySpan(id) ?? c.span;
    ctx.diagnostics.add(diag("DuplicateResourceKey", { first: before.id, second: id, configuration, type: String(def.name), keys: keyNames.join(", ") }, span, notes));
  }
}

/**
 * What makes a resource one thing to DSC: its type and its key values, strings compared without
 * case as DSC compares them (see checkDuplicateKeys); with its key properties. Undefined for a type
 * without keys, or a key value missing or of the wrong kind (FF2105, FF2104 say so already).
 */
function keyIdentity(inst: ResourceInstance): { readonly identity: string; readonly keys: readonly string[] } | undefined {
  const def = inst.resource as ResourceDef;
  const types = typesOf(def);
  const keys = Object.keys(types).filter((k) => types[k]!.key);
  const values = propertiesOf(inst);
  if (keys.length === 0 || keys.some((k) => !comparableKey(values[k], types[k]!.type))) return undefined;
  return { identity: `${String(def.name)}\0${comparable(keys.map((k) => values[k]))}`, keys };
}

/** A key value of its property's kind: a string, a whole number for an int, a boolean; or a stack or run-time value (stackParameter(), ec2Tag()). */
function comparableKey(value: unknown, type: string): boolean {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return type === "int" ? Number.isSafeInteger(value) : Number.isFinite(value);
  // (any other object is refused by the value checks: FF2104)
  return isStackValue(value) || kindOf(value) === "runtime";
}

/**
 * The ids a resource depends on. resource() copies `dependsOn` into an array, so a string (cast
 * past the type check) arrives as its characters: the source tells, and it is reported once.
 */
function dependencies(ctx: CompileContext, ev: SourceLocator, configuration: string, id: string, inst: ResourceInstance, span: Span | undefined): string[] {
  const where = `resource '${id}' of configuration '${configuration}'`;
  // (from the source alone: kept with its text; asked only when the list could be a string's
  // characters: "" is an empty list, which depends on nothing, as the author's empty string would)
  const list: unknown = inst.dependsOn;
  const characters = Array.isArray(list) && list.length > 0 && list.every((d) => typeof d === "string" && d.length === 1);
  const written = characters && ev.fromSource(inst.site, "dependsOn as a string", () => {
    const ts = typescript();
    const found = ev.propertyAt(inst.site, ["dependsOn"], 1);
    if (!found || !(ts.isStringLiteralLike(found.value) || ts.isTemplateExpression(found.value))) return undefined;
    return { example: ts.isStringLiteralLike(found.value) ? JSON.stringify(found.value.text) : "...", span: ev.nodeSpan(found.file, found.value) };
  });
  if (written) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: where, option: "dependsOn", expected: `an array of resource ids, e.g. dependsOn: [${written.example}]` }, written.span));
    return [];
  }
  const out: string[] = [];
  (Array.isArray(list) ? list : []).forEach((dep: unknown, i) => {
    if (typeof dep === "string") {
      out.push(dep);
    } else {
      ctx.diagnostics.add(diag("OptionInvalid", { owner: where, option: "dependsOn", expected: "a list of resource ids (strings)" }, ev.propertySpan(inst.site, ["dependsOn", i], { argument: 1 }) ?? span));
    }
  });
  return out;
}

function checkProperties(ctx: CompileContext, ev: SourceLocator, inst: ResourceInstance, span: Span | undefined): void {
  const def = inst.resource as ResourceDef;
  // Its options (the second argument): a misspelt one (dependOn) would otherwise be dropped unseen
  // where tsc does not run (--no-typecheck) or does not see it (a spread).
  const options: unknown = inst.options;
  if (Array.isArray(options)) {
    reportUnknownKeys(ctx, Object.fromEntries(options.map((k) => [String(k), true])), OPTIONS.instance, `an instance of resource '${String(def.name)}'`, (key) => ev.propertySpan(inst.site, [key], { at: "name", argument: 1 }) ?? span);
  }
  // A resource type whose properties are not an object (misspelt, missing: reported at its
  // definition) has no properties to check its instances against.
  if (typeof def.properties !== "object" || def.properties === null) return;
  const props = typesOf(def);
  const values = propertiesOf(inst);
  const label = `resource '${String(def.name)}'`;
  // (a misspelt property is reported at the misspelling, not again as the property it means missing)
  const meant = reportUnknownKeys(ctx, values, Object.keys(props), label, (key) => ev.propertySpan(inst.site, [key], { at: "name" }) ?? span, "property");
  for (const [key, type] of Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = values[key];
    if (value === undefined) {
      // (nor when its type's `default` or `optional` is misspelt, FF2106 at the definition: `defualt` meant a default)
      const unsure = misspeltOptionality(type as unknown as Record<string, unknown>);
      if (!type.optional && (type as { default?: unknown }).default === undefined && !meant.has(key) && !unsure) ctx.diagnostics.add(diag("PropertyMissing", { resource: label, property: key }, span));
      continue;
    }
    for (const r of runtimeValues(value)) {
      const rule = runtimeNameProblem(r.source, r.name);
      if (rule) ctx.diagnostics.add(diag("RuntimeNameInvalid", { call: runtimeCall(r.source), name: shown(r.name), rule }, ev.spanOf(r.site) ?? ev.propertySpan(inst.site, [key]) ?? span));
    }
    const problem = valueProblem(type, value);
    if (problem) ctx.diagnostics.add(diag("PropertyValueInvalid", { property: key, resource: label, message: problem }, ev.propertySpan(inst.site, [key]) ?? span));
  }
}

function spanProp(span: Span | undefined): { span?: Span } {
  return span ? { span } : {};
}

/** The `dependsOn` entry naming `id` (else the whole `dependsOn`) in the options of a resource instance. */
function dependsOnSpan(ev: SourceLocator, inst: ResourceInstance, id: string): Span | undefined {
  // (from the source alone: kept with its text)
  return ev.fromSource(inst.site, `dependsOn span ${JSON.stringify(id)}`, () => {
    const ts = typescript();
    const found = ev.propertyAt(inst.site, ["dependsOn"], 1);
    if (!found) return undefined;
    const list = found.value;
    const element = ts.isArrayLiteralExpression(list) ? list.elements.map(unwrapExpression).find((e) => ts.isStringLiteralLike(e) && e.text === id) : undefined;
    return ev.nodeSpan(found.file, element ?? list);
  });
}
