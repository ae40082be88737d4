// Configurations: names, targets, schedule, resource properties and dependsOn references.
import { ts } from "ts-morph";
import { kindOf } from "../../../stdlib/api/brand.js";
import { isStackValue } from "../../../stdlib/api/stack.js";
import type { ResourceDef, ResourceInstance } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import type { Note, Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import { Digraph } from "../../util/graph.js";
import { scheduleProblem } from "../../util/schedule.js";
import { closest } from "../../util/text.js";
import type { Evaluator } from "../1-load/evaluate.js";
import type { Loaded, LoadedConfiguration } from "../1-load/index.js";
import type { CheckedModule } from "./definitions.js";
import { valueProblem } from "./values.js";

export interface CheckedConfiguration {
  readonly loaded: LoadedConfiguration;
  readonly name: string;
  /** Resource ids, dependencies first, ties by id. */
  readonly order: readonly string[];
}

const CONFIGURATION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

export function checkConfigurations(ctx: CompileContext, loaded: Loaded, modules: readonly CheckedModule[]): CheckedConfiguration[] {
  const ev = loaded.evaluator;
  const taken = new Map<string, Span | undefined>(modules.map((m) => [m.name.toLowerCase(), m.loaded.span]));
  taken.set("fleetform.runtime", undefined);
  const out: CheckedConfiguration[] = [];
  for (const c of loaded.configurations) {
    const def = c.def;
    const name = String(def.name);
    if (!CONFIGURATION_NAME.test(name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "configuration", name, message: "use letters and digits (it names a PowerShell module, Invoke-<Name> and the SSM document), at most 64" }, c.span));
    } else if (taken.has(name.toLowerCase())) {
      const other = taken.get(name.toLowerCase());
      ctx.diagnostics.add(diag("DuplicateName", { what: "modules or configurations", name }, c.span, other ? [{ message: "the other one is declared here", span: other }] : []));
    }
    taken.set(name.toLowerCase(), c.span);
    checkTargets(ctx, name, def.targets, c.span);
    const problem = typeof def.schedule === "string" ? scheduleProblem(def.schedule) : "the schedule must be a string";
    if (problem) ctx.diagnostics.add(diag("ScheduleInvalid", { schedule: String(def.schedule), configuration: name, message: problem }, propertySpan(ev, c, "schedule") ?? c.span));
    if (def.timeoutSeconds !== undefined && !(Number.isInteger(def.timeoutSeconds) && def.timeoutSeconds >= 5 && def.timeoutSeconds <= 172800)) {
      ctx.diagnostics.add(diag("OptionInvalid", { message: `configuration '${name}': timeoutSeconds must be a whole number from 5 to 172800` }, propertySpan(ev, c, "timeoutSeconds") ?? c.span));
    }
    checkDuplicateIds(ctx, ev, name, c);
    checkDelivery(ctx, ev, name, c);
    out.push({ loaded: c, name, order: checkResources(ctx, ev, name, c) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const LCM_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  configurationModeFrequencyMins: [15, 44640],
  refreshFrequencyMins: [30, 44640],
};

/** LCM settings in range; in-box DSC resources (other than Script) only through DSC; MOF-representable values. */
function checkDelivery(ctx: CompileContext, ev: Evaluator, configuration: string, c: LoadedConfiguration): void {
  const lcm = (c.def.lcm ?? {}) as Record<string, unknown>;
  for (const [setting, [min, max]] of Object.entries(LCM_RANGES)) {
    const v = lcm[setting];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) {
      ctx.diagnostics.add(diag("LcmSettingInvalid", { setting, configuration, range: `a whole number of minutes from ${min} to ${max}` }, propertySpan(ev, c, "lcm", setting) ?? c.span));
    }
  }
  const runCommand = c.def.delivery?.runCommand ?? true;
  const dsc = !!c.def.delivery?.dsc;
  for (const [id, instance] of Object.entries((c.def.resources ?? {}) as Record<string, ResourceInstance>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (kindOf(instance) !== "instance") continue;
    const def = instance.resource as ResourceDef;
    const span = ev.spanOf(instance.site) ?? c.span;
    if (runCommand && def.dsc && def.name !== "Script") {
      ctx.diagnostics.add(diag("BuiltinNeedsDsc", { id, type: def.name, configuration }, span));
    }
    for (const [property, value] of Object.entries(instance.properties as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const problem = mofProblem(((def.properties ?? {}) as Record<string, PropType>)[property], value);
      if (!problem) continue;
      if (dsc) ctx.diagnostics.add(diag("MofCannotHold", { property, id, message: problem }, instancePropertySpan(ev, instance, property) ?? span));
      else ctx.diagnostics.add(diag("NoDscDocument", { configuration, property, id, message: problem }, instancePropertySpan(ev, instance, property) ?? span));
    }
  }
}

/** Runtime values reach a MOF as AWS-ApplyDSCMofs tokens, which exist only for some sources and only in strings. */
export function mofProblem(type: PropType | undefined, value: unknown): string | undefined {
  if (kindOf(value) !== "runtime") return undefined;
  const source = (value as { source: string }).source;
  if (source === "instanceId") return "instanceId() has no AWS-ApplyDSCMofs token (tokens: {tag:...}, {ssm:...}, {env:...})";
  if (type && type.type !== "string" && type.type !== "enum") return `AWS-ApplyDSCMofs resolves tokens only in string properties, and this one is ${type.type}`;
  return undefined;
}

/** JavaScript keeps the last of two equal keys; the object literal still shows both. */
function checkDuplicateIds(ctx: CompileContext, ev: Evaluator, configuration: string, c: LoadedConfiguration): void {
  const call = ev.callAt(c.def.site);
  if (!call || !ts.isCallExpression(call.node)) return;
  const resources = objectProperty(call.node.arguments[0], "resources");
  if (!resources || !ts.isPropertyAssignment(resources) || !ts.isObjectLiteralExpression(resources.initializer)) return;
  const seen = new Set<string>();
  for (const p of resources.initializer.properties) {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
    if (name === undefined) continue;
    if (seen.has(name)) ctx.diagnostics.add(diag("DuplicateResourceId", { configuration, id: name }, ev.nodeSpan(c.file, p.name!)));
    seen.add(name);
  }
}

function checkTargets(ctx: CompileContext, configuration: string, targets: unknown, span: Span | undefined): void {
  const t = targets as { tag?: unknown; values?: unknown } | undefined;
  const problems: string[] = [];
  if (!t || typeof t.tag !== "string" || t.tag.length === 0 || t.tag.length > 128) problems.push("`tag` must be a tag key of 1 to 128 characters");
  if (!t || !Array.isArray(t.values) || t.values.length === 0 || t.values.length > 50) problems.push("`values` must list 1 to 50 tag values");
  else if (t.values.some((v) => !isStackValue(v) && (typeof v !== "string" || v.length === 0 || v.length > 256))) problems.push("each tag value must be a string of 1 to 256 characters (or a stack value)");
  for (const message of problems) ctx.diagnostics.add(diag("TargetsInvalid", { configuration, message }, span));
}

function checkResources(ctx: CompileContext, ev: Evaluator, configuration: string, c: LoadedConfiguration): string[] {
  const resources = (c.def.resources ?? {}) as Record<string, unknown>;
  const graph = new Digraph();
  const ids = Object.keys(resources).sort();
  const keyed = new Map<string, string>();
  for (const id of ids) {
    const instance = resources[id];
    const span = ev.spanOf((instance as { site?: never })?.site) ?? c.span;
    if (!RESOURCE_ID.test(id)) ctx.diagnostics.add(diag("NameInvalid", { what: "resource id", name: id, message: "start with a letter; letters, digits, '_', '.', '-'" }, span));
    if (kindOf(instance) !== "instance") {
      ctx.diagnostics.add(diag("PropertyValueInvalid", { property: id, resource: `configuration '${configuration}'`, message: "each resource must be created by calling a resource type, e.g. ComputerName({ ... })" }, span));
      continue;
    }
    graph.addNode(id);
    const inst = instance as ResourceInstance;
    checkProperties(ctx, ev, inst, span);
    // Like DSC, one configuration may not hold two resources of a type with the same keys.
    const def = inst.resource as ResourceDef;
    const keyNames = Object.entries((def.properties ?? {}) as Record<string, PropType>).filter(([, t]) => t.key).map(([k]) => k).sort();
    if (keyNames.length > 0) {
      const values = inst.properties as Record<string, unknown>;
      const identity = JSON.stringify([keyNames.map((k) => values[k])]);
      const byType = keyed.get(`${def.name}\0${identity}`);
      if (byType !== undefined) {
        ctx.diagnostics.add(diag("DuplicateResourceKey", { first: byType, second: id, configuration, type: def.name, keys: keyNames.join(", ") }, span));
      } else {
        keyed.set(`${def.name}\0${identity}`, id);
      }
    }
    for (const dep of inst.dependsOn) {
      const depSpan = dependsOnSpan(ev, inst, dep) ?? span;
      if (dep === id) {
        ctx.diagnostics.add(diag("SelfDependsOn", { id }, depSpan));
      } else if (!(dep in resources)) {
        const suggestion = closest(dep, ids);
        const notes: Note[] = suggestion
          ? [{ message: `did you mean '${suggestion}'?`, ...spanProp(ev.spanOf((resources[suggestion] as { site?: never }).site)) }]
          : [{ message: `resources of '${configuration}': ${ids.join(", ")}` }];
        ctx.diagnostics.add(diag("UnknownDependsOn", { id: dep, configuration }, depSpan, notes));
      } else {
        graph.addEdge(id, dep);
      }
    }
  }
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

function checkProperties(ctx: CompileContext, ev: Evaluator, inst: ResourceInstance, span: Span | undefined): void {
  const def = inst.resource as ResourceDef;
  const props = (def.properties ?? {}) as Record<string, PropType>;
  const values = (inst.properties ?? {}) as Record<string, unknown>;
  const label = `resource '${def.name}'`;
  for (const key of Object.keys(values).sort()) {
    if (!(key in props)) {
      const suggestion = closest(key, Object.keys(props));
      ctx.diagnostics.add(diag("PropertyUnknown", { resource: label, property: key }, instancePropertySpan(ev, inst, key) ?? span, suggestion ? [{ message: `did you mean '${suggestion}'?` }] : []));
    }
  }
  for (const [key, type] of Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const value = values[key];
    if (value === undefined) {
      if (!type.optional && (type as { default?: unknown }).default === undefined) ctx.diagnostics.add(diag("PropertyMissing", { resource: label, property: key }, span));
      continue;
    }
    const problem = valueProblem(type, value);
    if (problem) ctx.diagnostics.add(diag("PropertyValueInvalid", { property: key, resource: label, message: problem }, instancePropertySpan(ev, inst, key) ?? span));
  }
}

function spanProp(span: Span | undefined): { span?: Span } {
  return span ? { span } : {};
}

function objectProperty(node: ts.Node | undefined, name: string): ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p;
  }
  return undefined;
}

/** The span of the value at `path` (e.g. "lcm", "configurationModeFrequencyMins") in the options object of a configuration(...) call. */
function propertySpan(ev: Evaluator, c: LoadedConfiguration, ...path: string[]): Span | undefined {
  const call = ev.callAt(c.def.site);
  if (!call || !ts.isCallExpression(call.node)) return undefined;
  let node: ts.Node | undefined = call.node.arguments[0];
  let p: ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined;
  for (const name of path) {
    p = objectProperty(node, name);
    if (!p) return undefined;
    node = ts.isPropertyAssignment(p) ? p.initializer : p;
  }
  return node ? ev.nodeSpan(c.file, node) : undefined;
}

function instancePropertySpan(ev: Evaluator, inst: ResourceInstance, name: string): Span | undefined {
  const call = ev.callAt(inst.site);
  if (!call || !ts.isCallExpression(call.node)) return undefined;
  const p = objectProperty(call.node.arguments[0], name);
  return p ? ev.nodeSpan(call.file.fileName, p) : undefined;
}

function dependsOnSpan(ev: Evaluator, inst: ResourceInstance, id: string): Span | undefined {
  const call = ev.callAt(inst.site);
  if (!call || !ts.isCallExpression(call.node)) return undefined;
  const p = objectProperty(call.node.arguments[1], "dependsOn");
  if (!p || !ts.isPropertyAssignment(p) || !ts.isArrayLiteralExpression(p.initializer)) return undefined;
  const element = p.initializer.elements.find((e) => ts.isStringLiteralLike(e) && e.text === id);
  return element ? ev.nodeSpan(call.file.fileName, element) : ev.nodeSpan(call.file.fileName, p);
}
