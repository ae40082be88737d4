// The module graph, from a parse of the author's sources (no type checker, no second resolution
// of what evaluation already resolved): static imports, `export ... from`, and type-only imports,
// which create no PowerShell dependency but still may not point up the layer stack.
import { dirname } from "node:path";
import type { Note, Span } from "../../diagnostics/diagnostic.js";
import { diag, messages } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import { Digraph } from "../../util/graph.js";
import type { Loaded } from "../1-load/index.js";
import type { CheckedModule } from "./definitions.js";

export interface ModuleEdge {
  readonly from: string;
  readonly to: string;
  /** Only type-only imports lead from `from` to `to`. */
  readonly typeOnly: boolean;
  /** The first import declaration that makes the edge. */
  readonly span?: Span;
}

export interface ModuleGraph {
  /** Value imports only: the PowerShell dependencies (RequiredModules). */
  readonly graph: Digraph;
  /** Module names, dependencies first, ties by name. */
  readonly order: readonly string[];
  /** Every module-to-module edge, value and type-only, sorted. */
  readonly edges: readonly ModuleEdge[];
  /** The module an author file belongs to (its folder's, or the one importer of a shared file). */
  readonly ownerOf: (file: string) => CheckedModule | undefined;
  /** The author files a module owns (ownerOf's other direction), of the import map's. */
  readonly filesOf: (m: CheckedModule) => readonly string[];
  /** The edges a diagnostic was reported at ("from\0to" → FF2002 layer violation, FF2001 import cycle), for `fleetform graph`. */
  readonly problems: ReadonlyMap<string, string>;
}

export function checkModuleGraph(ctx: CompileContext, loaded: Loaded, modules: readonly CheckedModule[]): ModuleGraph {
  const ev = loaded.locator;
  // The innermost module folder holding the file: its folders looked up from the nearest out (a
  // module's folder is the first of its modules, as in `modules`).
  const byFolder = new Map<string, CheckedModule>();
  for (const m of modules) if (!byFolder.has(m.loaded.dir)) byFolder.set(m.loaded.dir, m);
  const folderCache = new Map<string, CheckedModule | undefined>();
  const folderOf = (file: string): CheckedModule | undefined => {
    if (!folderCache.has(file)) {
      let found: CheckedModule | undefined;
      for (let dir = dirname(file); found === undefined; ) {
        found = byFolder.get(dir);
        const up = dirname(dir);
        if (up === dir) break;
        dir = up;
      }
      folderCache.set(file, found);
    }
    return folderCache.get(file);
  };

  const imports = loaded.imports;

  // Files outside module folders belong to the module that imports them, when only one does; a
  // configuration's file to none (a module importing it is FF2142).
  const configurationFiles = new Set(loaded.configurations.map((c) => c.file));
  const owner = new Map<string, CheckedModule>();
  for (const file of imports.keys()) {
    const m = folderOf(file);
    if (m) owner.set(file, m);
  }
  const sharedBy = new Map<string, Set<CheckedModule>>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [file, list] of [...imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const from = owner.get(file);
      if (!from) continue;
      for (const i of list) {
        if (folderOf(i.target) || configurationFiles.has(i.target)) continue;
        const set = sharedBy.get(i.target) ?? new Set();
        if (!set.has(from)) {
          set.add(from);
          sharedBy.set(i.target, set);
          changed = true;
        }
        if (set.size === 1 && !owner.has(i.target)) {
          owner.set(i.target, from);
          changed = true;
        }
      }
    }
  }
  for (const [file, set] of [...sharedBy].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (set.size > 1) {
      owner.delete(file);
      const names = [...set].map((m) => `'${m.name}'`).sort().join(", ");
      // Reported at the first import of the file, with a note at each other module's first import of it.
      const importsOf = new Map<CheckedModule, Span>();
      for (const [from, list] of [...imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const m = owner.get(from);
        if (!m || !set.has(m) || importsOf.has(m)) continue;
        const i = list.find((i) => i.target === file);
        if (i) importsOf.set(m, i.span);
      }
      const [first, ...others] = [...importsOf];
      const notes: Note[] = others.map(([m, span]) => ({ message: `module '${m.name}' imports it too`, span }));
      const span = first?.[1] ?? { file: ctx.rel(file), start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
      ctx.diagnostics.add(diag("SharedFileWithoutModule", { file: ctx.rel(file), modules: names }, span, notes));
    }
  }

  // A module's file importing a configuration: configurations are the top of the stack.
  for (const [file, list] of [...imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const from = owner.get(file);
    if (!from || configurationFiles.has(file)) continue;
    for (const i of list) {
      if (configurationFiles.has(i.target)) ctx.diagnostics.add(diag("ModuleImportsConfiguration", { module: from.name, file: ctx.rel(i.target) }, i.span));
    }
  }

  // Module edges; a value edge wins over a type-only one between the same two modules.
  const edgeMap = new Map<string, ModuleEdge>();
  for (const [file, list] of [...imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const from = owner.get(file);
    if (!from) continue;
    for (const i of list) {
      const to = owner.get(i.target);
      // Two modules with one name (FF2003) are one node of the graph.
      if (!to || to === from || to.name === from.name) continue;
      const key = `${from.name}\0${to.name}`;
      const existing = edgeMap.get(key);
      if (existing && (!existing.typeOnly || i.typeOnly)) continue;
      edgeMap.set(key, { from: from.name, to: to.name, typeOnly: i.typeOnly, span: i.span });
    }
  }
  const edges = [...edgeMap.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));

  const byName = new Map(modules.map((m) => [m.name, m]));
  // A name two modules have (FF2003): which module's layer an import of it meets is not known.
  const shared = new Set(modules.filter((m, i) => modules.findIndex((o) => o.name === m.name) !== i).map((m) => m.name));
  const layers = loaded.config.layers;
  const problems = new Map<string, string>();
  for (const e of edges) {
    if (shared.has(e.from) || shared.has(e.to)) continue;
    const a = byName.get(e.from)!;
    const b = byName.get(e.to)!;
    const ia = layers.indexOf(a.layer);
    const ib = layers.indexOf(b.layer);
    if (ia < 0 || ib < 0 || mayImport({ order: layers, sameLayerImports: loaded.config.sameLayerImports }, a.layer, b.layer)) continue;
    const stack = `(${layers.join(" < ")})`;
    const why =
      ib === ia
        ? `: imports within layer '${a.layer}' are not allowed (see sameLayerImports)${e.typeOnly ? ", type-only ones included" : ""}`
        : e.typeOnly
          ? `: a type-only import creates no PowerShell dependency, but it too may only point down the layer stack ${stack}`
          : `: imports may only point down the layer stack ${stack}`;
    problems.set(`${e.from}\0${e.to}`, messages.LayerViolation.code);
    ctx.diagnostics.add(diag("LayerViolation", { from: e.from, fromLayer: a.layer, to: e.to, toLayer: b.layer, why }, e.span));
  }

  const all = new Digraph();
  const values = new Digraph();
  for (const m of modules) {
    all.addNode(m.name);
    values.addNode(m.name);
  }
  const spanOf = new Map(edges.map((e) => [`${e.from}\0${e.to}`, e.span]));
  for (const e of edges) {
    all.addEdge(e.from, e.to);
    if (!e.typeOnly) values.addEdge(e.from, e.to);
  }
  for (const cycle of all.findCycles()) {
    // A cycle through an import up the layer stack (FF2002, reported) goes when that import does:
    // the cycle is not a mistake of its own. (Only a cycle within one layer that allows imports
    // inside it has none.)
    const upward = cycle.slice(0, -1).some((from, i) => problems.get(`${from}\0${cycle[i + 1]}`) === messages.LayerViolation.code);
    // (its imports keep what was reported at them: `fleetform graph` labels the upward one FF2002, the others nothing)
    if (upward) continue;
    const notes: Note[] = [];
    for (let i = 0; i + 1 < cycle.length; i++) {
      const span = spanOf.get(`${cycle[i]}\0${cycle[i + 1]}`);
      notes.push({ message: `'${cycle[i]}' imports '${cycle[i + 1]}'`, ...(span ? { span } : {}) });
      problems.set(`${cycle[i]}\0${cycle[i + 1]}`, messages.ImportCycle.code);
    }
    ctx.diagnostics.add(diag("ImportCycle", { cycle: cycle.join(" -> ") }, spanOf.get(`${cycle[0]}\0${cycle[1]}`), notes));
  }
  // (made when first asked for: only a build that keeps lowered modules asks)
  let owned: Map<CheckedModule, string[]> | undefined;
  const filesOf = (m: CheckedModule): readonly string[] => {
    if (!owned) {
      owned = new Map();
      for (const [file, mod] of owner) {
        if (!imports.has(file)) continue;
        const files = owned.get(mod);
        if (files) files.push(file);
        else owned.set(mod, [file]);
      }
    }
    return owned.get(m) ?? [];
  };
  return { graph: values, order: values.topoSort(), edges, ownerOf: (file) => owner.get(file), filesOf, problems };
}

/** The stack of layers, lowest first, and the layers whose modules may import each other. */
export interface Layers {
  readonly order: readonly string[];
  readonly sameLayerImports: readonly string[];
}

/** Whether a module of layer `from` may import one of layer `to` (FF2002's rule): a lower layer, or its own where sameLayerImports lists it. */
export function mayImport(layers: Layers, from: string, to: string): boolean {
  const a = layers.order.indexOf(from);
  const b = layers.order.indexOf(to);
  return b < a || (a === b && layers.sameLayerImports.includes(from));
}
