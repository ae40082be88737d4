// The module graph's part of a plan: the two builds' graphs drawn as one, with what the change
// added or removed marked (and a configuration whose targets or a module whose layer moved marked
// changed). Only when imports, layers, the set of modules or configurations, a configuration's
// modules or its targets changed: a version bump alone draws nothing.
import type * as ir from "../phases/3-lower/ir.js";
import { graphFromProgram, type GraphModel } from "./model.js";
import { toMermaid, type Change } from "./render.js";

export interface GraphChange {
  readonly key: string;
  readonly status: Change;
}

export interface GraphDiff {
  /** Both builds' graphs in one: the head's, plus what only the base had. */
  readonly model: GraphModel;
  /** "module:<Name>" and "configuration:<Name>", by key. */
  readonly nodes: readonly GraphChange[];
  /** "<From> -> <To>" (an import) and "configuration:<Name> -> <Module>" (a configuration uses a module), by key. */
  readonly edges: readonly GraphChange[];
  /** The Mermaid flowchart the Markdown shows. */
  readonly mermaid: string;
}

/**
 * Layers bottom-up without fleetform.config.ts (a lowered program keeps each module's layer, not
 * the stack): a layer sits above every layer it imports from (longest import chain below it), ties by name.
 */
function layerOrder(programs: readonly ir.Program[]): string[] {
  const layerOf = new Map<string, string>();
  const deps = new Map<string, Set<string>>();
  for (const p of programs) {
    for (const m of p.modules) {
      layerOf.set(m.name, m.layer);
      const set = deps.get(m.layer) ?? new Set<string>();
      deps.set(m.layer, set);
    }
  }
  for (const p of programs) for (const m of p.modules) for (const r of m.requires) {
    const to = layerOf.get(r.name);
    if (to !== undefined && to !== m.layer) deps.get(m.layer)!.add(to);
  }
  const depth = new Map<string, number>();
  const visit = (layer: string, seen: Set<string>): number => {
    if (depth.has(layer)) return depth.get(layer)!;
    if (seen.has(layer)) return 0;
    seen.add(layer);
    let d = 0;
    for (const to of [...deps.get(layer)!].sort()) d = Math.max(d, visit(to, seen) + 1);
    seen.delete(layer);
    depth.set(layer, d);
    return d;
  };
  const layers = [...deps.keys()].sort();
  for (const l of layers) visit(l, new Set());
  return layers.sort((a, b) => depth.get(a)! - depth.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

const shape = (m: GraphModel): string =>
  JSON.stringify({
    modules: m.modules.map((x) => [x.name, x.layer]),
    imports: m.imports.map((e) => [e.from, e.to]),
    configurations: m.configurations.map((c) => [c.name, c.modules, c.targets]),
  });

export function diffGraphs(base: ir.Program, head: ir.Program): GraphDiff | undefined {
  const layers = layerOrder([base, head]);
  const before = graphFromProgram(base, layers);
  const after = graphFromProgram(head, layers);
  if (shape(before) === shape(after)) return undefined;

  const nodes = new Map<string, Change>();
  const edges = new Map<string, Change>();
  const beforeModules = new Map(before.modules.map((m) => [m.name, m]));
  const afterModules = new Map(after.modules.map((m) => [m.name, m]));
  for (const m of after.modules) {
    const old = beforeModules.get(m.name);
    if (!old) nodes.set(`module:${m.name}`, "added");
    else if (old.layer !== m.layer) nodes.set(`module:${m.name}`, "changed");
  }
  for (const m of before.modules) if (!afterModules.has(m.name)) nodes.set(`module:${m.name}`, "removed");
  const beforeConfigs = new Map(before.configurations.map((c) => [c.name, c]));
  const afterConfigs = new Map(after.configurations.map((c) => [c.name, c]));
  for (const c of after.configurations) {
    const old = beforeConfigs.get(c.name);
    if (!old) nodes.set(`configuration:${c.name}`, "added");
    else if (JSON.stringify(old.targets) !== JSON.stringify(c.targets)) nodes.set(`configuration:${c.name}`, "changed");
  }
  for (const c of before.configurations) if (!afterConfigs.has(c.name)) nodes.set(`configuration:${c.name}`, "removed");

  const edgeKeys = (m: GraphModel): Set<string> =>
    new Set([...m.imports.map((e) => `${e.from} -> ${e.to}`), ...m.configurations.flatMap((c) => c.modules.map((to) => `configuration:${c.name} -> ${to}`))]);
  const beforeEdges = edgeKeys(before);
  const afterEdges = edgeKeys(after);
  for (const k of afterEdges) if (!beforeEdges.has(k)) edges.set(k, "added");
  for (const k of beforeEdges) if (!afterEdges.has(k)) edges.set(k, "removed");

  // One picture: the head's graph plus what only the base had, drawn as removed.
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const rank = (layer: string): number => layers.indexOf(layer);
  const modules = [...after.modules, ...before.modules.filter((m) => !afterModules.has(m.name))].sort((a, b) => rank(a.layer) - rank(b.layer) || byName(a, b));
  const importKey = (e: { from: string; to: string }): string => `${e.from} -> ${e.to}`;
  const afterImports = new Set(after.imports.map(importKey));
  const imports = [...after.imports, ...before.imports.filter((e) => !afterImports.has(importKey(e)))].sort((a, b) => (importKey(a) < importKey(b) ? -1 : importKey(a) > importKey(b) ? 1 : 0));
  const configurations = [
    ...after.configurations.map((c) => {
      const old = beforeConfigs.get(c.name);
      return old ? { ...c, modules: [...new Set([...c.modules, ...old.modules])].sort() } : c;
    }),
    ...before.configurations.filter((c) => !afterConfigs.has(c.name)),
  ].sort(byName);
  const model: GraphModel = { layers, modules, imports, configurations };
  const sorted = (m: Map<string, Change>): GraphChange[] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, status]) => ({ key, status }));
  return { model, nodes: sorted(nodes), edges: sorted(edges), mermaid: toMermaid(model, { nodes, edges }) };
}
