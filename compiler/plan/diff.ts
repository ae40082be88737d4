// The plan: what changes between two builds of a config repo, as plain data (JSON-serialisable,
// deterministic: every list sorted). Pure: two (IR, files) pairs in, a Plan out.
import type { EmittedFile } from "../phases/4-emit/files.js";
import type * as ir from "../phases/3-lower/ir.js";
import { sha256 } from "../util/hash.js";
import { diffGraphs, type GraphDiff } from "../graph/diff.js";
import { formatCfn, formatExpr, formatList, formatPlain } from "./format.js";
import { deploymentTargets } from "../phases/4-emit/cloudformation/dependencies.js";
import { diffStacks, type ObservabilityChange, type PermissionChange, type StackTemplateChange, type TemplateResourceChange } from "./stacks.js";
import { compare, diffValues, setDiff, sortedUnion, type ValueChange } from "./values.js";

/** One build: its IR and its emitted files. */
export interface Build {
  readonly program: ir.Program;
  readonly files: readonly EmittedFile[];
}

export type Status = "added" | "removed" | "changed";

export interface ResourceChange {
  readonly id: string;
  readonly status: Status;
  /** "Module/Name" (the head's; the base's for a removed resource). */
  readonly type: string;
  /** The base's type, when it differs. */
  readonly typeBefore?: string;
  /** By property name; for an added (removed) resource every property, with only `after` (`before`). */
  readonly properties: readonly ValueChange[];
  /** Sorted ids. */
  readonly dependsOn: { readonly before: readonly string[]; readonly after: readonly string[]; readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly reboot?: { readonly before?: ir.Reboot; readonly after?: ir.Reboot };
}

export interface FileChange {
  readonly path: string;
  readonly status: Status;
  /** sha256 of the bytes. */
  readonly before?: string;
  readonly after?: string;
}

/**
 * How the emitted files under a module's folder changed: "code" when any text other than source
 * positions (`index.ts:12:5` in generated comments) changed, "positions" when only those did.
 */
export type ContentChange = "none" | "code" | "positions";

export interface ConfigurationChange {
  readonly name: string;
  readonly status: Status;
  /** description, version, targets.tag, targets.values, schedule, association.*, timeoutSeconds, delivery.*, lcm.*, requires. */
  readonly settings: readonly ValueChange[];
  /** Only the resources that changed, by id. */
  readonly resources: readonly ResourceChange[];
  /** How configurations/<Name>/ (the configuration module) changed. */
  readonly content: ContentChange;
  /** Its artifacts that changed: configurations/<Name>/, ssm/<Name>.yaml, dsc/<Name>/, tests/<Name>.Tests.ps1 and other files generated from its source. */
  readonly files: readonly FileChange[];
}

export interface NamedChange {
  readonly name: string;
  readonly status: Status;
  /** A changed one's parts that differ (a resource type's get, test, set, safe, properties ...; a function's params, body ...). */
  readonly parts?: readonly string[];
}

export interface ModuleChange {
  readonly name: string;
  readonly status: Status;
  readonly versionBefore?: string;
  readonly versionAfter?: string;
  /** layer, version, description, author, requires. */
  readonly settings: readonly ValueChange[];
  readonly functions: readonly NamedChange[];
  readonly resourceTypes: readonly NamedChange[];
  readonly externs: readonly NamedChange[];
  /**
   * The configurations that load it (directly or through a module that requires it), sorted: what
   * a change to it reaches on the instances. The head's; the base's for a removed module.
   */
  readonly usedBy: readonly string[];
  /** How modules/<Name>/ changed. */
  readonly content: ContentChange;
  /** Files under modules/<Name>/ that changed. */
  readonly files: readonly FileChange[];
}

export interface AssociationChange {
  readonly name: string;
  readonly status: Status;
  /** document, parameters.*, targets.tag, targets.values, schedule, settings.*. */
  readonly settings: readonly ValueChange[];
}

export type { ObservabilityChange, PermissionChange, TemplateResourceChange } from "./stacks.js";

/** What changed in a CloudFormation template the build writes, read from the two builds' templates (./stacks.ts). */
export interface StackChange {
  /** The template file as a whole, when it is only in one build. */
  readonly status?: "added" | "removed";
  /** Its parameters, by name (the definition printed). */
  readonly parameters: readonly ValueChange[];
  /** Its resources other than their policies, by logical id, with the property paths that changed. */
  readonly resources: readonly TemplateResourceChange[];
  /** Changed statements of every policy in it, by resource, policy and Sid (widened ones marked). */
  readonly permissions: readonly PermissionChange[];
  /** Any permission widened. */
  readonly widened: boolean;
}

/** cloudformation/dependencies.yaml: the template's changes and its deployment group's targets. */
export interface DependencyStackChange extends StackChange {
  /** The deployment group's EC2 tag filters (printed `tag=value`) added and removed. */
  readonly deploymentTargets: { readonly added: readonly string[]; readonly removed: readonly string[] };
}

export interface Warning {
  readonly kind: "version-not-bumped";
  readonly subject: "module";
  readonly name: string;
  readonly version: string;
  /** The configurations delivered through DSC that use the module (whose instances' LCM may keep it). */
  readonly configurations: readonly string[];
  /** When only its manifest changed: the modules it requires now (a module it requires moved to a new version). */
  readonly requires?: string;
  readonly message: string;
}

export interface Counts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

export interface Plan {
  /** False when the two builds are the same (every list below is then empty). */
  readonly changed: boolean;
  readonly summary: {
    readonly configurations: Counts;
    readonly resources: Counts;
    readonly modules: Counts;
    readonly associations: Counts;
    readonly files: Counts;
    readonly warnings: number;
    /** Policy statements that changed in every template, and how many of them widen a permission. */
    readonly permissions: Counts & { readonly widened: number };
    /** Resources of the dependency and pipeline stacks (other than their policies) that changed. */
    readonly stackResources: Counts;
    /** Observability resources of the Systems Manager stack that changed. */
    readonly observability: Counts;
  };
  /** install.* and dsc.* of fleetform.config.ts. */
  readonly settings: readonly ValueChange[];
  /** stack.prefix, stack.parameters.*, stack.alerts, stack.logs.*. */
  readonly stack: readonly ValueChange[];
  /** Changed configurations, by name. */
  readonly configurations: readonly ConfigurationChange[];
  /** Changed modules, by name. */
  readonly modules: readonly ModuleChange[];
  /** Changed fleet-wide associations (stack.associations), by name. */
  readonly associations: readonly AssociationChange[];
  readonly warnings: readonly Warning[];
  /** The dependency stack: parameters, resources, permissions (widened ones marked) and deployment targets. */
  readonly dependencies: DependencyStackChange;
  /** The pipeline stack (cloudformation/pipeline.yaml): parameters, resources, permissions. */
  readonly pipeline: StackChange;
  /** The Systems Manager stack's policies (key and topic policies); its other resources are the sections above and `observability`. */
  readonly systemsManager: { readonly permissions: readonly PermissionChange[]; readonly widened: boolean };
  /** The Systems Manager stack's log group, metric filters, alarms, saved queries, dashboard and agent configuration, by kind and name. */
  readonly observability: readonly ObservabilityChange[];
  /** Every artifact that was added, removed or changed, by path. */
  readonly files: readonly FileChange[];
  /** The module graph, when imports, layers, modules, configurations, their modules or targets changed (compiler/graph/diff.ts). */
  readonly graph?: GraphDiff;
}

export function diffBuilds(base: Build, head: Build): Plan {
  const files = diffFiles(base.files, head.files);
  const fileIndex = { base: byPath(base.files), head: byPath(head.files) };
  const configurations = diffConfigurations(base.program, head.program, files, fileIndex);
  const modules = diffModules(base.program, head.program, files, fileIndex);
  const associations = diffAssociations(stackOf(base.program)?.associations ?? [], stackOf(head.program)?.associations ?? []);
  const settings = diffProgramSettings(base.program, head.program);
  const stack = diffStackSettings(stackOf(base.program), stackOf(head.program));
  const stacks = diffStacks(base.files, head.files);
  const dependencies = diffDependencies(base.program, head.program, stacks.dependencies);
  const pipeline = stackChange(stacks.pipeline);
  const systemsManager = { permissions: stacks.systemsManager?.permissions ?? [], widened: stacks.systemsManager?.widened ?? false };
  const observability = stacks.observability;
  const permissions = [...dependencies.permissions, ...pipeline.permissions, ...systemsManager.permissions];

  // A module changed under the same version stays loaded, old, in the DSC Local Configuration
  // Manager's process: DSC loads the DSC resource modules a MOF names (and what they require) and
  // keeps them until that process restarts, so only a new version makes it load the new code. Run
  // Command imports every module in a new PowerShell process per run, so a configuration module, or a
  // module no configuration delivers through DSC, needs no new version (CodeDeploy overwrites it).
  const warnings: Warning[] = [];
  const loadedByDsc = dscLoaded(head.program);
  for (const m of modules) {
    if (m.status !== "changed" || m.content !== "code" || m.versionBefore !== m.versionAfter) continue;
    const through = loadedByDsc.get(m.name);
    // (only its manifest, when a module it requires moved: the author changed nothing of it)
    const manifestOnly = m.files.every((f) => f.path === `modules/${m.name}/${m.name}.psd1`) ? m.settings.find((s) => s.field === "requires")?.after : undefined;
    if (through) warnings.push(notBumped(m.name, m.versionAfter!, through, manifestOnly));
  }

  const resources = configurations.flatMap((c) => c.resources);
  const summary = {
    configurations: count(configurations),
    resources: count(resources),
    modules: count(modules),
    associations: count(associations),
    files: count(files),
    warnings: warnings.length,
    permissions: { ...count(permissions), widened: permissions.filter((p) => p.widened).length },
    stackResources: count([...dependencies.resources, ...pipeline.resources]),
    observability: count(observability),
  };
  const changed =
    files.length + configurations.length + modules.length + associations.length + settings.length + stack.length + permissions.length + dependencies.resources.length + dependencies.parameters.length + pipeline.resources.length + pipeline.parameters.length + observability.length > 0;
  const graph = diffGraphs(base.program, head.program);
  return { changed, summary, settings, stack, configurations, modules, associations, warnings, dependencies, pipeline, systemsManager, observability, files, ...(graph ? { graph } : {}) };
}

/**
 * The modules DSC's Local Configuration Manager loads for the configurations delivered through
 * DSC, each with those configurations: the modules whose resources a configuration uses, and
 * everything they require (their RequiredModules, loaded with them), transitively.
 */
export function dscLoaded(program: ir.Program): Map<string, string[]> {
  return moduleUsers(program, (c) => !!c.delivery.dsc);
}

/**
 * The configurations (those `which` keeps) that load each module: the modules whose resources or
 * functions a configuration uses, and everything they require, transitively.
 */
function moduleUsers(program: ir.Program, which: (c: ir.Configuration) => boolean = () => true): Map<string, string[]> {
  const requires = new Map(program.modules.map((m) => [m.name, m.requires.map((r) => r.name)]));
  const out = new Map<string, string[]>();
  for (const c of program.configurations) {
    if (!which(c)) continue;
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const r of requires.get(name) ?? []) visit(r);
    };
    for (const r of c.requires) visit(r.name);
    for (const name of seen) out.set(name, [...(out.get(name) ?? []), c.name]);
  }
  return out;
}

function notBumped(name: string, version: string, configurations: readonly string[], requires?: string): Warning {
  return {
    kind: "version-not-bumped",
    subject: "module",
    name,
    version,
    configurations,
    ...(requires !== undefined ? { requires } : {}),
    message: `Module ${name}: ${notBumpedWhat(name, requires)} but its version is still ${version}; ${notBumpedWhy(configurations)}. Bump the version.`,
  };
}

/** What changed of a module left at its version: its built folder, or only its manifest's RequiredModules (`requires`: the new list). */
function notBumpedWhat(name: string, requires?: string): string {
  return requires !== undefined ? `only its manifest changed (modules/${name}/${name}.psd1 requires ${requires} now, a module it requires having moved)` : `the content of modules/${name}/ changed`;
}

/** Why a module changed under the same version may keep running as it was (the warning's reason, in the JSON and the Markdown). */
export function notBumpedWhy(configurations: readonly string[]): string {
  const which = configurations.length === 1 ? `configuration ${configurations[0]} applies it` : `configurations ${configurations.join(", ")} apply it`;
  return `${which} through DSC, whose Local Configuration Manager keeps the DSC resource modules it loaded until its process restarts, so instances may go on running the old code`;
}

function count(items: readonly { status: Status }[]): Counts {
  return {
    added: items.filter((i) => i.status === "added").length,
    removed: items.filter((i) => i.status === "removed").length,
    changed: items.filter((i) => i.status === "changed").length,
  };
}

// ---------------------------------------------------------------------------------------------
// files

type FileIndex = ReadonlyMap<string, EmittedFile>;

function byPath(files: readonly EmittedFile[]): FileIndex {
  return new Map(files.map((f) => [f.path, f]));
}

function diffFiles(base: readonly EmittedFile[], head: readonly EmittedFile[]): FileChange[] {
  const before = new Map(base.map((f) => [f.path, sha256(f.content)]));
  const after = new Map(head.map((f) => [f.path, sha256(f.content)]));
  const out: FileChange[] = [];
  for (const path of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(path);
    const a = after.get(path);
    if (b === a) continue;
    out.push({ path, status: b === undefined ? "added" : a === undefined ? "removed" : "changed", ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  }
  return out;
}

/** Changed files under a folder, and whether anything but source positions changed in them. */
function folderContent(folder: string, changes: readonly FileChange[], index: { base: FileIndex; head: FileIndex }): { content: ContentChange; files: FileChange[] } {
  const files = changes.filter((f) => f.path.startsWith(folder));
  if (files.length === 0) return { content: "none", files };
  const positionsOnly = files.every((f) => {
    const b = index.base.get(f.path);
    const a = index.head.get(f.path);
    return b !== undefined && a !== undefined && withoutPositions(b.content) === withoutPositions(a.content);
  });
  return { content: positionsOnly ? "positions" : "code", files };
}

/** The text with source positions (file.ts:12:5, MOF SourceInfo ::12::5::) blanked out. */
function withoutPositions(content: string | Uint8Array): string {
  const text = typeof content === "string" ? content : decode(content);
  return text.replace(/(\.[cm]?ts)(:\d+)+/g, "$1:#").replace(/::\d+::\d+::/g, "::#::#::");
}

function decode(bytes: Uint8Array): string {
  const utf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
  return new TextDecoder(utf16 ? "utf-16le" : "utf-8").decode(bytes);
}

// ---------------------------------------------------------------------------------------------
// configurations

function diffConfigurations(base: ir.Program, head: ir.Program, files: readonly FileChange[], index: { base: FileIndex; head: FileIndex }): ConfigurationChange[] {
  const before = new Map(base.configurations.map((c) => [c.name, c]));
  const after = new Map(head.configurations.map((c) => [c.name, c]));
  const out: ConfigurationChange[] = [];
  for (const name of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(name);
    const a = after.get(name);
    const settings = diffValues(b ? configurationSettings(b) : undefined, a ? configurationSettings(a) : undefined);
    const resources = diffResources(b?.resources ?? [], a?.resources ?? []);
    const content = folderContent(`configurations/${name}/`, files, index);
    const sources = new Set([b?.source, a?.source].filter((s): s is string => s !== undefined));
    const artifacts = files.filter((f) => {
      if (f.path.startsWith(`configurations/${name}/`) || f.path.startsWith(`dsc/${name}/`) || f.path === `ssm/${name}.yaml` || f.path === `tests/${name}.Tests.ps1`) return true;
      const source = index.head.get(f.path)?.source ?? index.base.get(f.path)?.source;
      return source !== undefined && sources.has(source);
    });
    if (b && a && settings.length === 0 && resources.length === 0 && artifacts.length === 0) continue;
    out.push({ name, status: !b ? "added" : !a ? "removed" : "changed", settings, resources, content: content.content, files: artifacts });
  }
  return out;
}

/** A configuration's settings as field → printed value (absent fields are left out). */
function configurationSettings(c: ir.Configuration): Map<string, string> {
  const m = new Map<string, string>();
  m.set("description", JSON.stringify(c.description));
  m.set("version", JSON.stringify(c.version));
  m.set("targets.tag", JSON.stringify(c.targets.tag));
  m.set("targets.values", formatList(c.targets.values.map(formatCfn)));
  m.set("schedule", JSON.stringify(c.schedule));
  for (const [k, v] of Object.entries(c.association)) if (v !== undefined) m.set(`association.${k}`, formatPlain(v));
  m.set("timeoutSeconds", String(c.timeoutSeconds));
  m.set("delivery.runCommand", String(c.delivery.runCommand));
  if (c.delivery.dsc) for (const [k, v] of Object.entries(c.delivery.dsc)) m.set(`delivery.dsc.${k}`, formatPlain(v));
  else m.set("delivery.dsc", "false");
  for (const s of c.lcm) m.set(`lcm.${s.name}`, formatExpr(s.value));
  m.set("requires", formatList(c.requires.map(moduleRef)));
  return m;
}

function moduleRef(r: ir.ModuleRef): string {
  return `${r.name} ${r.version}`;
}

function diffResources(base: readonly ir.Resource[], head: readonly ir.Resource[]): ResourceChange[] {
  const before = new Map(base.map((r) => [r.id, r]));
  const after = new Map(head.map((r) => [r.id, r]));
  const out: ResourceChange[] = [];
  for (const id of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(id);
    const a = after.get(id);
    const typeBefore = b ? typeName(b) : undefined;
    const typeAfter = a ? typeName(a) : undefined;
    const properties = diffValues(b ? resourceProperties(b) : undefined, a ? resourceProperties(a) : undefined);
    const dependsBefore = b?.dependsOn ?? [];
    const dependsAfter = a?.dependsOn ?? [];
    const added = dependsAfter.filter((d) => !dependsBefore.includes(d)).sort(compare);
    const removed = dependsBefore.filter((d) => !dependsAfter.includes(d)).sort(compare);
    const rebootChanged = b !== undefined && a !== undefined && b.reboot !== a.reboot;
    const typeChanged = b !== undefined && a !== undefined && typeBefore !== typeAfter;
    if (b && a && !typeChanged && properties.length === 0 && added.length === 0 && removed.length === 0 && !rebootChanged) continue;
    out.push({
      id,
      status: !b ? "added" : !a ? "removed" : "changed",
      type: (typeAfter ?? typeBefore)!,
      ...(typeChanged ? { typeBefore: typeBefore! } : {}),
      properties,
      dependsOn: { before: [...dependsBefore].sort(compare), after: [...dependsAfter].sort(compare), added, removed },
      ...(rebootChanged ? { reboot: { before: b.reboot, after: a.reboot } } : {}),
    });
  }
  return out;
}

function typeName(r: ir.Resource): string {
  return `${r.type.module}/${r.type.name}`;
}

function resourceProperties(r: ir.Resource): Map<string, string> {
  return new Map(r.properties.map((p) => [p.name, formatExpr(p.value)]));
}

// ---------------------------------------------------------------------------------------------
// modules

function diffModules(baseProgram: ir.Program, headProgram: ir.Program, files: readonly FileChange[], index: { base: FileIndex; head: FileIndex }): ModuleChange[] {
  const before = new Map(baseProgram.modules.map((m) => [m.name, m]));
  const after = new Map(headProgram.modules.map((m) => [m.name, m]));
  const users = { base: moduleUsers(baseProgram), head: moduleUsers(headProgram) };
  const out: ModuleChange[] = [];
  for (const name of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(name);
    const a = after.get(name);
    const settings = diffValues(b ? moduleSettings(b) : undefined, a ? moduleSettings(a) : undefined);
    const functions = diffNamed(b?.functions ?? [], a?.functions ?? []);
    const resourceTypes = diffNamed(b?.resources ?? [], a?.resources ?? []);
    const externs = diffNamed(b?.externs ?? [], a?.externs ?? []);
    const content = folderContent(`modules/${name}/`, files, index);
    if (b && a && settings.length === 0 && functions.length === 0 && resourceTypes.length === 0 && externs.length === 0 && content.files.length === 0) continue;
    out.push({
      name,
      status: !b ? "added" : !a ? "removed" : "changed",
      ...(b ? { versionBefore: b.version } : {}),
      ...(a ? { versionAfter: a.version } : {}),
      settings,
      functions,
      resourceTypes,
      externs,
      usedBy: [...((a ? users.head : users.base).get(name) ?? [])].sort(compare),
      content: content.content,
      files: content.files,
    });
  }
  return out;
}

function moduleSettings(m: ir.Module): Map<string, string> {
  return new Map([
    ["version", JSON.stringify(m.version)],
    ["layer", JSON.stringify(m.layer)],
    ["description", JSON.stringify(m.description)],
    ["author", JSON.stringify(m.author)],
    ["requires", formatList(m.requires.map(moduleRef))],
  ]);
}

/** Named IR nodes compared without their source spans (moving code is not a change). */
function diffNamed(base: readonly { readonly name: string }[], head: readonly { readonly name: string }[]): NamedChange[] {
  const before = new Map(base.map((x) => [x.name, x]));
  const after = new Map(head.map((x) => [x.name, x]));
  const out: NamedChange[] = [];
  for (const name of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(name);
    const a = after.get(name);
    if (b === undefined || a === undefined) {
      out.push({ name, status: b === undefined ? "added" : "removed" });
      continue;
    }
    if (canonical(b) === canonical(a)) continue;
    // (what a reviewer asks first: did the set change, or only its description?)
    const fields = sortedUnion(Object.keys(b), Object.keys(a)).filter((k) => !NOT_PARTS.has(k));
    const parts = fields.filter((k) => canonical((b as Record<string, unknown>)[k]) !== canonical((a as Record<string, unknown>)[k]));
    out.push({ name, status: "changed", ...(parts.length > 0 ? { parts } : {}) });
  }
  return out;
}

/** Fields of a named IR node that are not parts of its own to report: what names it, and what follows from its name. */
const NOT_PARTS: ReadonlySet<string> = new Set(["kind", "name", "module", "origin", "commands", "dsc"]);

/**
 * A node's text for comparison, without its source position (`origin`) and its DSC class version
 * (`classVersion`: the module's version, which the module's row shows; a resource type is not
 * changed by the module's version alone).
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === "origin" || key === "classVersion" ? undefined : v));
}

// ---------------------------------------------------------------------------------------------
// the stack and fleet-wide associations

function stackOf(p: ir.Program): ir.Stack | undefined {
  return (p as { readonly stack?: ir.Stack }).stack;
}

function diffAssociations(base: readonly ir.AwsAssociation[], head: readonly ir.AwsAssociation[]): AssociationChange[] {
  const before = new Map(base.map((x) => [x.name, x]));
  const after = new Map(head.map((x) => [x.name, x]));
  const out: AssociationChange[] = [];
  for (const name of sortedUnion(before.keys(), after.keys())) {
    const b = before.get(name);
    const a = after.get(name);
    const settings = diffValues(b ? associationSettings(b) : undefined, a ? associationSettings(a) : undefined);
    if (b && a && settings.length === 0) continue;
    out.push({ name, status: !b ? "added" : !a ? "removed" : "changed", settings });
  }
  return out;
}

function associationSettings(x: ir.AwsAssociation): Map<string, string> {
  const m = new Map<string, string>();
  m.set("document", JSON.stringify(x.document));
  for (const p of x.parameters) m.set(`parameters.${p.name}`, formatList(p.values.map(formatCfn)));
  m.set("targets.tag", JSON.stringify(x.targets.tag));
  m.set("targets.values", formatList(x.targets.values.map(formatCfn)));
  m.set("schedule", JSON.stringify(x.schedule));
  for (const [k, v] of Object.entries(x.settings)) if (v !== undefined) m.set(`settings.${k}`, formatPlain(v));
  return m;
}

function diffProgramSettings(base: ir.Program, head: ir.Program): ValueChange[] {
  const settings = (p: ir.Program): Map<string, string> => {
    const m = new Map<string, string>();
    for (const [k, v] of Object.entries(p.install)) m.set(`install.${k}`, formatPlain(v));
    for (const [k, v] of Object.entries(p.dsc ?? {})) m.set(`dsc.${k}`, formatPlain(v));
    return m;
  };
  return diffValues(settings(base), settings(head));
}

function diffStackSettings(base: ir.Stack | undefined, head: ir.Stack | undefined): ValueChange[] {
  const settings = (s: ir.Stack | undefined): Map<string, string> => {
    const m = new Map<string, string>();
    if (!s) return m;
    m.set("stack.prefix", JSON.stringify(s.prefix));
    for (const p of s.parameters) {
      // (where it is declared is no setting: moving the line changes nothing deployed)
      const { name, origin: _origin, ...rest } = p;
      m.set(`stack.parameters.${name}`, formatPlain(rest));
    }
    if (s.alerts) m.set("stack.alerts", s.alerts.email ? `{ email: ${formatCfn(s.alerts.email)} }` : "true");
    if (s.logs) {
      m.set("stack.logs.retentionDays", String(s.logs.retentionDays));
      if (s.logs.kmsKey) m.set("stack.logs.kmsKey", formatCfn(s.logs.kmsKey));
    }
    return m;
  };
  return diffValues(settings(base), settings(head));
}

// ---------------------------------------------------------------------------------------------
// the dependency stack

function stackChange(t: StackTemplateChange | undefined): StackChange {
  return { ...(t?.status ? { status: t.status } : {}), parameters: t?.parameters ?? [], resources: t?.resources ?? [], permissions: t?.permissions ?? [], widened: t?.widened ?? false };
}

function diffDependencies(base: ir.Program, head: ir.Program, template: StackTemplateChange | undefined): DependencyStackChange {
  const targets = (p: ir.Program): string[] => (stackOf(p) ? deploymentTargets(p) : []).map((t) => `${t.tag}=${formatCfn(t.value)}`);
  return { ...stackChange(template), deploymentTargets: setDiff(targets(base), targets(head)) };
}

