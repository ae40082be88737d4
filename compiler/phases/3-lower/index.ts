import type { Delivery, DscOptions, ExternDef, FnDef, LcmSettings, ResourceDef, ResourceInstance } from "../../../stdlib/api/define.js";
import type { Fragment } from "../../../stdlib/api/values.js";
import { kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { RUNTIME_VERSION } from "../../../stdlib/runtime/version.js";
import type { CompileContext } from "../context.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { moduleGuid } from "../../util/hash.js";
import { fleetformPackage } from "../../util/package.js";
import type { Checked } from "../2-check/index.js";
import type { CheckedModule } from "../2-check/definitions.js";
import type { ModuleEdge } from "../2-check/module-graph.js";
import { defaultComplianceType } from "../2-check/references.js";
import { mofProblem } from "../../util/names.js";
import { lowerAssociationSettings, lowerStack, lowerTargets } from "./stack.js";
import { checkSafety, reachableText } from "./safety.js";
import { FragmentLowerer, newUses, type Uses } from "./fragments.js";
import { fnBody, paramName, RESOURCE_PARTS, resourcePart } from "../1-load/callbacks.js";
import type * as ir from "./ir.js";
import { commandsIn } from "../../powershell/commands.js";
import { KeptLowering, usedOf, type KeptModule, type Used } from "./kept.js";
import { lowerParams, lowerType } from "./types.js";
import { lowerLiteral } from "./values.js";

export const RUNTIME_NAME = "Fleetform.Runtime";
/** DSC's in-box Script resource: its scripts run through the runtime (Invoke-FfScript) and take `safe`. */
export const SCRIPT_CLASS = "MSFT_ScriptResource";

export function resourceCommands(name: string, hasSafe: boolean): ir.ResourceCommands {
  return {
    get: `Get-${name}Resource`,
    test: `Test-${name}Resource`,
    set: `Set-${name}Resource`,
    ...(hasSafe ? { safe: `Test-${name}ResourceSafety` } : {}),
  };
}

/** Checked input → IR. Author callbacks run here; from here on nothing touches ts-morph. */
export function lower(ctx: CompileContext, checked: Checked): ir.Program {
  const ev = checked.loaded.locator;
  const fragments = new FragmentLowerer(ctx, ev, checked.loaded.definitions);
  const runtime = lowerRuntime(checked);
  const runtimeRef: ir.ModuleRef = { name: runtime.name, version: runtime.version, guid: runtime.guid };
  const rank = new Map(checked.graph.order.map((name, i) => [name, i]));
  const byRank = (a: string, b: string): number => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : 1);
  const refOf = (m: CheckedModule): ir.ModuleRef => ({ name: m.name, version: m.loaded.def.version, guid: moduleGuid(m.name) });
  const byName = new Map(checked.modules.map((m) => [m.name, m]));

  const ordered = [...checked.modules].sort((a, b) => byRank(a.name, b.name)).map((m) => {
    const deps = [...new Set(checked.graph.graph.successors(m.name))].sort(byRank).map((d) => refOf(byName.get(d)!));
    // Reused while its definitions are the same objects (none of the files they were made from, or
    // that those import, changed) and the modules it requires are the same.
    const key = [m.loaded.def, m.loaded.entry, m.layer, JSON.stringify(deps), ...m.fns, "|", ...m.resources];
    return { m, deps, key, reused: ctx.reuses("module", m.loaded.def, key) };
  });
  // With the persistent cache, a module's lowering is kept by the texts it comes from (./kept.ts):
  // what a build in a new process finds there is neither run nor lowered again.
  const keeping = new KeptLowering(ctx, checked);
  const kept = new Map<CheckedModule, { key: string | undefined; found: KeptModule | undefined }>();
  if (keeping.on) {
    for (const { m, deps, reused } of ordered) {
      if (reused) continue;
      const diskKey = keeping.key(m, deps);
      kept.set(m, { key: diskKey, found: diskKey === undefined ? undefined : keeping.find(diskKey) });
    }
  }
  // The author callbacks of every module lowered (not reused from the last build, nor kept in the
  // persistent cache) first, under one time-limit window (a window costs a watchdog thread), then
  // their lowering.
  fragments.runAhead(ordered.filter(({ m, reused }) => !reused && !kept.get(m)?.found).flatMap(({ m }) => [
    ...m.fns.map((fn) => ({ def: fn, part: "body", callback: fnBody(fn) })),
    ...m.resources.flatMap((r) => RESOURCE_PARTS.flatMap((part) => {
      const callback = resourcePart(r, part);
      return callback ? [{ def: r, part, callback }] : [];
    })),
  ]));
  const modules: ir.Module[] = [];
  // (each module's imports looked up once, not by walking every edge for every module)
  const edgesFrom = new Map<string, ModuleEdge[]>();
  for (const edge of checked.graph.edges) {
    const from = edgesFrom.get(edge.from);
    if (from) from.push(edge);
    else edgesFrom.set(edge.from, [edge]);
  }
  for (const { m, deps, key } of ordered) {
    const { value: lowered, diagnostics: found } = ctx.diagnostics.record(() =>
      ctx.memo("module", m.loaded.def, key, (): { module: ir.Module; used: Used } => {
        const disk = kept.get(m);
        if (disk?.found) return keeping.reuse(disk.key!, disk.found);
        const { value, diagnostics } = ctx.diagnostics.record(() => lowerModule(m, deps));
        if (disk?.key !== undefined) keeping.put(disk.key, value.module, value.uses, diagnostics);
        return { module: value.module, used: usedOf(value.uses) };
      }),
    );
    // (a module whose lowering failed somewhere, e.g. a callback that threw, has calls nobody saw:
    // no import of it is reported unused then)
    const complete = !found.some((d) => d.severity === "error");
    checkUses(ctx, checked, m, lowered.used, complete ? (edgesFrom.get(m.name) ?? []) : [], lowered.module);
    modules.push(lowered.module);
  }

  function lowerModule(m: CheckedModule, deps: readonly ir.ModuleRef[]): { module: ir.Module; uses: Uses } {
    const uses = newUses();
    const functions = m.fns.map((fn) => lowerFunction(ctx, fragments, fn, uses));
    const resources = m.resources.map((r) => lowerResourceType(ctx, checked, fragments, m.name, r, uses));
    const module: ir.Module = {
      kind: "module",
      name: m.name,
      layer: m.layer,
      version: m.loaded.def.version,
      guid: moduleGuid(m.name),
      description: m.loaded.def.description ?? "",
      author: m.loaded.def.author ?? "fleetform",
      source: ctx.rel(m.loaded.entry),
      requires: [runtimeRef, ...deps],
      externModules: externModules(uses),
      functions,
      resources,
      externs: externCommands(ctx, uses),
      ...(m.loaded.span ? { origin: m.loaded.span } : {}),
    };
    return { module, uses };
  }

  const configurations = checked.configurations.map((c): ir.Configuration => {
    const def = c.loaded.def;
    const instances = def.resources as Record<string, ResourceInstance>;
    // The modules (and their versions) its resource types come from, in the order they are required.
    const owners = c.order.map((id) => {
      const type = instances[id]!.resource as ResourceDef;
      const owner = type.dsc ? undefined : checked.moduleOf.get(type);
      return owner ? `${owner.name}@${String(owner.loaded.def.version)}` : "";
    });
    const key = [def, c.name, c.loaded.file, ...c.order, "|", ...owners, "|", checked.graph.order.join(",")];
    return ctx.memo("configuration", def, key, () => lowerConfiguration(c));
  });

  /** Where a script value was written: a fragment's own template, else the property's value in the call. */
  function scriptOrigin(value: unknown, site: Site | undefined, key: string, argument: number): Span | undefined {
    if (kindOf(value) === "fragment") return ev.spanOf((value as Fragment).site);
    return ev.propertySpan(site, [key], { argument });
  }

  /** A dsc.Script's `safe` option (only Script offers it: elsewhere it is reported). */
  function scriptOption(inst: ResourceInstance, def: ResourceDef, span: Span | undefined, fragments: FragmentLowerer, uses: Uses): ir.Resource["safe"] {
    const at = (key: string): Span | undefined => ev.propertySpan(inst.site, [key], { argument: 1, at: "name" }) ?? span;
    if (def.dsc?.className !== SCRIPT_CLASS) {
      for (const key of ["safe", "disruptive"] as const) {
        if (inst[key] !== undefined) ctx.diagnostics.add(diag("ScriptOptionNotScript", { option: key, resource: def.name }, at(key)));
      }
      return undefined;
    }
    if (inst.disruptive !== undefined && typeof inst.disruptive !== "boolean") {
      ctx.diagnostics.add(diag("ScriptDisruptiveInvalid", {}, at("disruptive")));
    }
    if (inst.safe === undefined) return undefined;
    if (typeof inst.safe !== "string" && kindOf(inst.safe) !== "fragment") {
      ctx.diagnostics.add(diag("ScriptSafeInvalid", {}, at("safe")));
      return undefined;
    }
    const origin = scriptOrigin(inst.safe, inst.site, "safe", 1);
    return { value: lowerScript(fragments, inst.safe, uses), ...(origin ? { origin } : {}) };
  }

  function lowerConfiguration(c: Checked["configurations"][number]): ir.Configuration {
    const resources = c.order.map((id): ir.Resource => {
      const inst = (c.loaded.def.resources as Record<string, ResourceInstance>)[id]!;
      const def = inst.resource as ResourceDef;
      const props = (def.properties ?? {}) as Record<string, PropType>;
      const values = inst.properties as Record<string, unknown>;
      const span = ev.spanOf(inst.site);
      const builtin = def.dsc;
      const owner = builtin ? undefined : checked.moduleOf.get(def)!;
      const dsc: ir.DscClassRef = builtin
        ? { className: builtin.className, friendlyName: def.name, moduleName: builtin.moduleName, moduleVersion: builtin.moduleVersion, builtin: true, ...(builtin.propertyOrder ? { propertyOrder: [...builtin.propertyOrder] } : {}) }
        : { className: def.name, friendlyName: def.name, moduleName: owner!.name, moduleVersion: owner!.loaded.def.version, builtin: false };
      const uses = newUses();
      // PowerShell code given as property values (a dsc.Script's scripts), and Script's guard options.
      const scripts = Object.keys(props)
        .filter((p) => props[p]!.type === "script" && values[p] !== undefined)
        .map((p) => ({ name: paramName(p), origin: scriptOrigin(values[p], inst.site, p, 0) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const safe = scriptOption(inst, def, span, fragments, uses);
      return {
        kind: "resource",
        id,
        type: {
          module: dsc.moduleName,
          name: def.name,
          commands: builtin ? { get: "Invoke-FfScript", test: "Invoke-FfScript", set: "Invoke-FfScript" } : resourceCommands(def.name, !!def.safe),
          dsc,
        },
        reboot: def.reboot ?? "never",
        properties: Object.keys(props)
          .filter((p) => values[p] !== undefined)
          .map((p) => ({ name: paramName(p), value: lowerPropertyValue(props[p]!, values[p], fragments, uses) }))
          .sort((a, b) => (a.name < b.name ? -1 : 1)),
        dependsOn: [...inst.dependsOn].sort(),
        ...(scripts.length > 0 ? { scripts: scripts.map((s) => (s.origin ? s : { name: s.name })) } : {}),
        ...(safe ? { safe } : {}),
        ...(typeof inst.disruptive === "boolean" && builtin?.className === SCRIPT_CLASS ? { disruptive: inst.disruptive } : {}),
        source: span?.file ?? ctx.rel(c.loaded.file),
        ...(span ? { origin: span } : {}),
      };
    });
    const used = [...new Set(resources.filter((r) => !r.type.dsc.builtin).map((r) => r.type.module))].sort(byRank);
    const def = c.loaded.def;
    return {
      kind: "configuration",
      name: c.name,
      description: def.description ?? defaultDescription(c.name),
      version: def.version ?? "1.0.0",
      guid: moduleGuid(c.name),
      source: ctx.rel(c.loaded.file),
      targets: lowerTargets(def.targets),
      schedule: def.schedule,
      association: lowerAssociationSettings(def.association),
      timeoutSeconds: def.timeoutSeconds ?? 3600,
      requires: [runtimeRef, ...used.map((u) => refOf(byName.get(u)!))],
      resources,
      delivery: lowerDelivery(c.name, def.delivery),
      // Only configurations delivered by DSC get one (2-check made sure their values fit in a MOF).
      dscDocument: !!def.delivery?.dsc && Object.values(def.resources as Record<string, ResourceInstance>).every((inst) =>
        Object.entries(inst.properties as Record<string, unknown>).every(([p, v]) => mofProblem(((inst.resource as ResourceDef).properties as Record<string, PropType>)[p], v) === undefined),
      ),
      lcm: lowerLcm(def.lcm),
      ...(c.loaded.span ? { origin: c.loaded.span } : {}),
    };
  }

  checkSafety(ctx, modules, configurations);
  const install = checked.loaded.config.install;
  return {
    kind: "program",
    generator: { name: "fleetform", version: fleetformPackage().version },
    install: { root: install.root, logDir: install.logDir, stateDir: install.stateDir, deployDir: install.deployDir, ...(install.logReaders ? { logReaders: install.logReaders } : {}) },
    runtime,
    ssmSchema: checked.loaded.ssmSchema,
    dsc: lowerDscSettings(checked.loaded.config.dsc, ctx.options.sourceDateEpoch),
    stack: lowerStack(checked.loaded.config.stack, ev, checked.loaded.config.site),
    layers: { order: checked.loaded.config.layers, sameLayerImports: checked.loaded.config.sameLayerImports },
    modules,
    configurations,
  };
}

/**
 * A fragment may only call into modules its module imports (else PowerShell fails at run time
 * with "command not found"); an import of a module that no fragment calls is a warning.
 */
/** `edges`: the module graph's edges from `m`. */
function checkUses(ctx: CompileContext, checked: Checked, m: CheckedModule, uses: Used, edges: readonly ModuleEdge[], lowered: ir.Module): void {
  const imported = new Set(checked.graph.graph.successors(m.name));
  const used = new Set<string>();
  for (const [fn, name, span] of uses.fns) {
    const owner = fn ? checked.moduleOf.get(fn) : undefined;
    if (!owner || owner === m) continue;
    used.add(owner.name);
    if (!imported.has(owner.name)) {
      // A function re-exported by a module it imports: the import of the re-export is not one of the defining module.
      const through = [...imported].sort().find((x) => checked.graph.graph.successors(x).includes(owner.name));
      // (its import is then not reported unused: the note says what to import instead)
      if (through) used.add(through);
      const notes = through ? [{ message: `it reaches ${name} through module '${through}', which imports '${owner.name}' (a re-export, or an import of an import, does not count): import it from module '${owner.name}'s files, so that '${owner.name}' is one of '${m.name}'s RequiredModules` }] : [];
      ctx.diagnostics.add(diag("CallWithoutImport", { module: m.name, command: name, owner: owner.name }, span, notes));
    }
  }
  for (const file of uses.externFiles) {
    const owner = file !== undefined ? checked.graph.ownerOf(file) : undefined;
    if (owner) used.add(owner.name);
  }
  // A call written as PowerShell text (`Get-OsBuild -Name x`, linked against the imported modules
  // once PowerShell has parsed the fragments) uses the module too: read only when an import looks unused.
  let written: ReadonlySet<string> | undefined;
  for (const edge of edges) {
    if (edge.typeOnly || used.has(edge.to)) continue;
    written ??= commandsWritten(lowered);
    const target = checked.modules.find((o) => o.name === edge.to);
    if (target?.fns.some((f) => written!.has(String(f.name).toLowerCase()))) continue;
    ctx.diagnostics.add(diag("UnusedImport", { module: m.name, imported: edge.to }, edge.span));
  }
}

/** The names of the commands a module's fragments call as written PowerShell (lower-case, aliases resolved). */
function commandsWritten(m: ir.Module): Set<string> {
  const names = new Set<string>();
  for (const fragment of [...m.functions.map((f) => f.body), ...m.resources.flatMap((r) => [r.get, r.test, r.set, r.safe])]) {
    if (fragment) for (const c of commandsIn(reachableText(fragment, new Map()))) names.add(c.name.toLowerCase());
  }
  return names;
}

function lowerPropertyValue(type: PropType, value: unknown, fragments: FragmentLowerer, uses: Uses): ir.Expr {
  if (type.type === "script") return lowerScript(fragments, value, uses);
  const expr = lowerLiteral(value);
  // A credential property turns its Secrets Manager secret into a PSCredential (Get-FfCredential).
  return type.type === "credential" && expr.kind === "runtime" && expr.source === "secretsManager" ? { ...expr, source: "credential" } : expr;
}

/** A script-typed property: a fragment keeps its structure (printed as text by each target). */
function lowerScript(fragments: FragmentLowerer, value: unknown, uses: Uses): ir.Expr {
  return typeof value === "string" ? { kind: "string", value } : { kind: "script", fragment: fragments.lower(value as Fragment, uses) };
}

function lowerDelivery(name: string, delivery: Delivery | undefined): ir.Configuration["delivery"] {
  const dsc = delivery?.dsc;
  if (!dsc) return { runCommand: delivery?.runCommand ?? true };
  const options = typeof dsc === "object" ? dsc : {};
  return {
    runCommand: delivery?.runCommand ?? true,
    dsc: { rebootBehavior: options.rebootBehavior ?? "AfterMof", mode: options.mode ?? "Apply", complianceType: options.complianceType ?? defaultComplianceType(name) },
  };
}

/** LCM settings in a fixed order: RefreshFrequencyMins, ConfigurationModeFrequencyMins, RefreshMode, ConfigurationMode, RebootNodeIfNeeded, ActionAfterReboot. */
function lowerLcm(lcm: LcmSettings | undefined): ir.Configuration["lcm"] {
  const out: { name: string; value: ir.Expr }[] = [];
  if (lcm?.refreshFrequencyMins !== undefined) out.push({ name: "RefreshFrequencyMins", value: { kind: "number", value: lcm.refreshFrequencyMins } });
  out.push({ name: "ConfigurationModeFrequencyMins", value: { kind: "number", value: lcm?.configurationModeFrequencyMins ?? 15 } });
  out.push({ name: "RefreshMode", value: { kind: "string", value: "Push" } });
  out.push({ name: "ConfigurationMode", value: { kind: "string", value: lcm?.configurationMode ?? "ApplyAndMonitor" } });
  out.push({ name: "RebootNodeIfNeeded", value: { kind: "boolean", value: lcm?.rebootNodeIfNeeded ?? false } });
  out.push({ name: "ActionAfterReboot", value: { kind: "string", value: lcm?.actionAfterReboot ?? "ContinueConfiguration" } });
  return out;
}

/** DSC header values: fixed unless configured, so output is the same on every machine. */
function lowerDscSettings(dsc: DscOptions | undefined, sourceDateEpoch: number | undefined): ir.DscSettings {
  const date = new Date((sourceDateEpoch ?? 0) * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  const formatted = `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return {
    format: dsc?.format ?? "wmf51",
    generatedBy: dsc?.generatedBy ?? "fleetform",
    generationHost: dsc?.generationHost ?? "fleetform",
    generationDate: dsc?.generationDate ?? formatted,
  };
}

function lowerRuntime(checked: Checked): ir.RuntimeModule {
  const files = checked.loaded.runtime;
  // The version's one place (the build writes it into the module's manifest too).
  return { kind: "runtime", name: RUNTIME_NAME, version: RUNTIME_VERSION, guid: moduleGuid(RUNTIME_NAME), files: files.map((f) => ({ path: f.path, content: f.content })) };
}

const fnOwner = (fn: FnDef): string => `function ${fn.name}`;
const resourceOwner = (r: ResourceDef): string => `resource ${r.name}`;
function lowerFunction(ctx: CompileContext, fragments: FragmentLowerer, fn: FnDef, uses: Uses): ir.Function {
  const params = (fn.params ?? {}) as Record<string, PropType>;
  const at = ctxSpan(fragments, fn);
  const body = fragments.build(fn, fnOwner(fn), "body", at, uses, fnBody(fn));
  return {
    kind: "function",
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    params: lowerParams(ctx, params, at),
    ...(fn.returns ? { returns: lowerType(ctx, fn.returns, at) } : {}),
    body: body ?? { kind: "fragment", parts: [] },
    ...(at ? { origin: at } : {}),
  };
}

function ctxSpan(fragments: FragmentLowerer, def: { site?: import("../../../stdlib/api/brand.js").Site }) {
  return fragments.spanOf(def.site);
}

function lowerResourceType(ctx: CompileContext, checked: Checked, fragments: FragmentLowerer, module: string, r: ResourceDef, uses: Uses): ir.ResourceType {
  const props = (r.properties ?? {}) as Record<string, PropType>;
  const at = ctxSpan(fragments, r);
  const owner = resourceOwner(r);
  const part = (name: (typeof RESOURCE_PARTS)[number]): ir.Fragment => {
    const callback = resourcePart(r, name);
    if (!callback) return { kind: "fragment", parts: [] };
    return fragments.build(r, owner, name, at, uses, callback) ?? { kind: "fragment", parts: [] };
  };
  return {
    kind: "resourceType",
    name: r.name,
    module,
    description: r.description ?? "",
    properties: lowerParams(ctx, props, at),
    get: part("get"),
    test: part("test"),
    set: part("set"),
    ...(r.safe ? { safe: part("safe") } : {}),
    reboot: r.reboot ?? "never",
    ...(r.disruptive !== undefined ? { disruptive: r.disruptive } : {}),
    commands: resourceCommands(r.name, !!r.safe),
    dsc: { className: r.name, classVersion: classVersion(module, checked) },
    ...(at ? { origin: at } : {}),
  };
}

/** ClassVersion("x.y.z") of a generated DSC resource: its module's version, padded to three parts. */
function classVersion(module: string, checked: Checked): string {
  const version = checked.modules.find((m) => m.name === module)?.loaded.def.version ?? "1.0.0";
  const parts = version.split(".");
  while (parts.length < 3) parts.push("0");
  return parts.join(".");
}

function externModules(uses: Uses): ir.ModuleRef[] {
  const versions = new Map<string, string>();
  for (const e of uses.externs) {
    if (e.builtin) continue;
    const v = e.version ?? "0.0";
    const current = versions.get(e.module);
    if (current === undefined || compareVersions(v, current) > 0) versions.set(e.module, v);
  }
  return [...versions].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, version]) => ({ name, version }));
}

function externCommands(ctx: CompileContext, uses: Uses): ir.ExternCommand[] {
  const byName = new Map<string, ExternDef>();
  for (const e of uses.externs) byName.set(e.name, e);
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((e) => ({
      kind: "extern",
      name: e.name,
      module: e.module,
      builtin: !!e.builtin,
      params: lowerParams(ctx, (e.params ?? {}) as Record<string, PropType>, undefined),
      switches: [...(e.switches ?? [])].map(paramName).sort(),
    }));
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A configuration's description when its source gives none. */
export function defaultDescription(configuration: string): string {
  return `Configuration ${configuration}`;
}
