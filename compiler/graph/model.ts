// The module graph as data, for pictures: modules by layer, imports (with the diagnostic an import
// got, FF2001 or FF2002), and each configuration with the modules it uses and its targets. Built
// from the checked program (so it exists when `check` fails on graph errors) or from a lowered one
// (for plan). Every text here is the author's and may be hostile: renderers escape it.
import type { Checked } from "../phases/2-check/index.js";
import type * as ir from "../phases/3-lower/ir.js";

export interface GraphModule {
  readonly name: string;
  readonly layer: string;
  readonly version: string;
}

export interface GraphImport {
  readonly from: string;
  readonly to: string;
  /** Only type-only imports lead from `from` to `to` (no PowerShell dependency). */
  readonly typeOnly: boolean;
  /** The code of the diagnostic reported at this import: FF2002 (layer violation) or FF2001 (cycle). */
  readonly problem?: string;
}

export interface GraphConfiguration {
  readonly name: string;
  /** Author modules its resources come from, by name. */
  readonly modules: readonly string[];
  readonly targets: { readonly tag: string; readonly values: readonly string[] };
  readonly schedule: string;
  /** "Run Command" and/or "DSC". */
  readonly delivery: readonly string[];
}

export interface GraphModel {
  /** Lowest first (the order of fleetform.config.ts's `layers`). */
  readonly layers: readonly string[];
  /** By layer (lowest first), then name. */
  readonly modules: readonly GraphModule[];
  /** By from, then to. */
  readonly imports: readonly GraphImport[];
  /** By name. */
  readonly configurations: readonly GraphConfiguration[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortModules(layers: readonly string[], modules: GraphModule[]): GraphModule[] {
  const rank = (m: GraphModule): number => {
    const i = layers.indexOf(m.layer);
    return i < 0 ? layers.length : i;
  };
  return modules.sort((a, b) => rank(a) - rank(b) || byName(a, b));
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value && typeof value === "object") {
    const v = value as { form?: unknown; name?: unknown; template?: unknown; strings?: unknown };
    if (v.form === "ref" && typeof v.name === "string") return `!Ref ${v.name}`;
    if (typeof v.template === "string") return `!Sub ${v.template}`;
    return "(stack value)";
  }
  return "";
}

/** From the checked program: works when the checks found errors (a module graph that failed is drawn with its problems). */
export function graphFromChecked(checked: Checked): GraphModel {
  const layers = [...checked.loaded.config.layers];
  const modules = sortModules(
    layers,
    checked.modules.map((m) => ({ name: m.name, layer: String(m.layer), version: text(m.loaded.def.version) || "1.0.0" })),
  );
  const imports = checked.graph.edges.map((e) => {
    const problem = checked.graph.problems.get(`${e.from}\0${e.to}`);
    return { from: e.from, to: e.to, typeOnly: e.typeOnly, ...(problem ? { problem } : {}) };
  });
  const configurations = checked.loaded.configurations
    .map((c): GraphConfiguration => {
      const def = c.def as unknown as Record<string, unknown>;
      const used = new Set<string>();
      const resources = def.resources && typeof def.resources === "object" ? Object.values(def.resources as Record<string, unknown>) : [];
      for (const r of resources) {
        const resource = r && typeof r === "object" ? (r as { resource?: unknown }).resource : undefined;
        const owner = resource && typeof resource === "object" ? checked.moduleOf.get(resource) : undefined;
        if (owner) used.add(owner.name);
      }
      const targets = (def.targets && typeof def.targets === "object" ? def.targets : {}) as { tag?: unknown; values?: unknown };
      const delivery = (def.delivery && typeof def.delivery === "object" ? def.delivery : {}) as { runCommand?: unknown; dsc?: unknown };
      return {
        name: text(def.name),
        modules: [...used].sort(),
        targets: { tag: text(targets.tag), values: Array.isArray(targets.values) ? targets.values.map(text) : [] },
        schedule: text(def.schedule),
        delivery: deliveryOf(delivery.runCommand !== false, delivery.dsc !== undefined && delivery.dsc !== false),
      };
    })
    .sort(byName);
  return { layers, modules, imports, configurations };
}

/** From a lowered program (plan compares two builds that succeeded). Value imports only: the lowered program keeps no type-only ones. */
export function graphFromProgram(program: ir.Program, layers: readonly string[]): GraphModel {
  const known = [...layers];
  for (const m of program.modules) if (!known.includes(m.layer)) known.push(m.layer);
  const names = new Set(program.modules.map((m) => m.name));
  const modules = sortModules(known, program.modules.map((m) => ({ name: m.name, layer: m.layer, version: m.version })));
  const imports = program.modules
    .flatMap((m) => m.requires.filter((r) => names.has(r.name)).map((r) => ({ from: m.name, to: r.name, typeOnly: false })))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const cfn = (v: ir.CfnString): string => (v.kind === "literal" ? v.value : v.kind === "ref" ? `!Ref ${v.name}` : `!Sub ${v.template}`);
  const configurations = program.configurations
    .map((c) => ({
      name: c.name,
      modules: c.requires.map((r) => r.name).filter((n) => names.has(n)).sort(),
      targets: { tag: c.targets.tag, values: c.targets.values.map(cfn) },
      schedule: c.schedule,
      delivery: deliveryOf(c.delivery.runCommand, c.delivery.dsc !== undefined),
    }))
    .sort(byName);
  return { layers: known, modules, imports, configurations };
}

function deliveryOf(runCommand: boolean, dsc: boolean): string[] {
  return [...(runCommand ? ["Run Command"] : []), ...(dsc ? ["DSC"] : [])];
}
