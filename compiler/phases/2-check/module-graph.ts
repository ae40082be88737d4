// The module graph from the evaluated import graph: which module folder imports which.
// Type-only imports are erased before evaluation, so they create no PowerShell dependency.
import { dirname, sep } from "node:path";
import { ts } from "ts-morph";
import type { Note, Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import { Digraph } from "../../util/graph.js";
import { resolveSource, type Evaluator } from "../1-load/evaluate.js";
import type { Loaded } from "../1-load/index.js";
import type { CheckedModule } from "./definitions.js";

export interface ModuleGraph {
  readonly graph: Digraph;
  /** Module names, dependencies first. */
  readonly order: readonly string[];
}

export function checkModuleGraph(ctx: CompileContext, loaded: Loaded, modules: readonly CheckedModule[]): ModuleGraph {
  const folders = [...modules].sort((a, b) => b.loaded.dir.length - a.loaded.dir.length);
  const owner = (file: string): CheckedModule | undefined => folders.find((m) => file.startsWith(m.loaded.dir + sep));
  const graph = new Digraph();
  const edgeSpan = new Map<string, Span | undefined>();
  for (const m of modules) graph.addNode(m.name);
  for (const [from, targets] of [...loaded.evaluator.imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const a = owner(from);
    if (!a) continue;
    for (const to of [...targets].sort()) {
      const b = owner(to);
      if (!b || a === b) continue;
      const key = `${a.name}\0${b.name}`;
      if (!edgeSpan.has(key)) edgeSpan.set(key, importSpan(loaded.evaluator, from, to));
      graph.addEdge(a.name, b.name);
    }
  }

  const byName = new Map(modules.map((m) => [m.name, m]));
  const layers = loaded.config.layers;
  for (const from of graph.nodes()) {
    for (const to of graph.successors(from)) {
      const a = byName.get(from)!;
      const b = byName.get(to)!;
      const ia = layers.indexOf(a.layer);
      const ib = layers.indexOf(b.layer);
      if (ia < 0 || ib < 0 || ib < ia) continue;
      if (ib === ia && loaded.config.sameLayerImports.includes(a.layer)) continue;
      const why = ib === ia ? `; imports within layer '${a.layer}' are not allowed (see sameLayerImports)` : "; imports may only point down the layer stack";
      ctx.diagnostics.add(diag("LayerViolation", { from, fromLayer: a.layer, to, toLayer: b.layer, why }, edgeSpan.get(`${from}\0${to}`)));
    }
  }

  for (const cycle of graph.findCycles()) {
    const notes: Note[] = [];
    for (let i = 0; i + 1 < cycle.length; i++) {
      const span = edgeSpan.get(`${cycle[i]}\0${cycle[i + 1]}`);
      notes.push({ message: `'${cycle[i]}' imports '${cycle[i + 1]}'`, ...(span ? { span } : {}) });
    }
    ctx.diagnostics.add(diag("ImportCycle", { cycle: cycle.join(" -> ") }, edgeSpan.get(`${cycle[0]}\0${cycle[1]}`), notes));
  }
  return { graph, order: graph.topoSort() };
}

/** The import or re-export declaration in `from` whose specifier resolves to `to`. */
export function importSpan(ev: Evaluator, from: string, to: string): Span | undefined {
  const file = ev.syntax(from);
  if (!file) return undefined;
  for (const statement of file.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    if (resolveSource(dirname(from) + "/" + spec.text) === to) return ev.nodeSpan(from, statement);
  }
  return undefined;
}
