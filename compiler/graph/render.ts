// The module graph as Mermaid (GitHub renders it in Markdown), Graphviz DOT, and SVG laid out by
// Graphviz itself (compiled to WebAssembly: @viz-js/viz, no native code, no network). Node ids are
// generated (m0, c0, ...); every author text is escaped, so a hostile name cannot end a label or
// inject markup. Output depends only on the model: same model, same bytes.
import type { GraphModel } from "./model.js";

/** Plan's marks: what a change added or removed, by node key ("module:X", "configuration:X") or edge key ("from -> to", "configuration:X -> Y"). */
export type Change = "added" | "removed" | "changed";
export interface Marks {
  readonly nodes?: ReadonlyMap<string, Change>;
  readonly edges?: ReadonlyMap<string, Change>;
}

export const ERROR_COLOUR = "#c62828";
const ADDED_COLOUR = "#2e7d32";
const REMOVED_COLOUR = "#9e9e9e";
const CHANGED_COLOUR = "#ef6c00";

/** Mermaid label text: anything but plain letters, digits and a few signs becomes an entity code (#NN;). */
function mm(text: string): string {
  let out = "";
  for (const ch of text) out += /[A-Za-z0-9 .,:_/()*-]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

/** A DOT quoted string. */
function dq(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n\u2028\u2029]+/g, " ")}"`;
}

interface Laid {
  readonly layers: { name: string; modules: { id: string; name: string; version: string; key: string }[] }[];
  readonly configurations: { id: string; key: string; name: string; lines: string[] }[];
  readonly edges: { from: string; to: string; key: string; typeOnly: boolean; problem?: string; uses: boolean }[];
}

function lay(model: GraphModel): Laid {
  const ids = new Map<string, string>();
  const layerNames = [...model.layers];
  for (const m of model.modules) if (!layerNames.includes(m.layer)) layerNames.push(m.layer);
  model.modules.forEach((m, i) => ids.set(m.name, `m${i}`));
  const layers = layerNames.map((name) => ({
    name,
    modules: model.modules.filter((m) => m.layer === name).map((m) => ({ id: ids.get(m.name)!, name: m.name, version: m.version, key: `module:${m.name}` })),
  }));
  const configurations = model.configurations.map((c, i) => ({
    id: `c${i}`,
    key: `configuration:${c.name}`,
    name: c.name,
    lines: [
      `${c.targets.tag} = ${c.targets.values.join(" | ")}`,
      c.schedule,
      c.delivery.length > 0 ? c.delivery.join(" + ") : "not delivered",
    ],
  }));
  const edges: Laid["edges"] = [];
  model.configurations.forEach((c, i) => {
    for (const m of c.modules) if (ids.has(m)) edges.push({ from: `c${i}`, to: ids.get(m)!, key: `configuration:${c.name} -> ${m}`, typeOnly: false, uses: true });
  });
  for (const e of model.imports) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    edges.push({ from: ids.get(e.from)!, to: ids.get(e.to)!, key: `${e.from} -> ${e.to}`, typeOnly: e.typeOnly, ...(e.problem ? { problem: e.problem } : {}), uses: false });
  }
  return { layers, configurations, edges };
}

/** A Mermaid flowchart: configurations on top, then the layers from the highest down; imports point down. */
export function toMermaid(model: GraphModel, marks: Marks = {}): string {
  const g = lay(model);
  const lines = ["flowchart TB"];
  const classes = new Map<string, string[]>();
  const mark = (key: string, id: string): void => {
    const change = marks.nodes?.get(key);
    if (change) classes.set(change, [...(classes.get(change) ?? []), id]);
  };
  if (g.configurations.length > 0) {
    lines.push(`  subgraph configurations["configurations"]`);
    for (const c of g.configurations) {
      lines.push(`    ${c.id}["<b>${mm(c.name)}</b><br/>${c.lines.map(mm).join("<br/>")}"]`);
      mark(c.key, c.id);
    }
    lines.push("  end");
  }
  // Highest layer first: Mermaid stacks the subgraphs top to bottom.
  [...g.layers].reverse().forEach((layer, i) => {
    lines.push(`  subgraph layer${i}["layer ${mm(layer.name)}"]`);
    lines.push("    direction LR");
    for (const m of layer.modules) {
      lines.push(`    ${m.id}["${mm(m.name)} ${mm(m.version)}"]`);
      mark(m.key, m.id);
    }
    lines.push("  end");
  });
  const linkStyles: string[] = [];
  g.edges.forEach((e, i) => {
    const change = marks.edges?.get(e.key);
    const label = e.problem ? `|"${e.problem}"|` : change ? `|"${change}"|` : "";
    const arrow = e.uses || e.typeOnly ? "-.->" : "-->";
    lines.push(`  ${e.from} ${arrow}${label} ${e.to}`);
    if (e.problem) linkStyles.push(`  linkStyle ${i} stroke:${ERROR_COLOUR},stroke-width:3px,color:${ERROR_COLOUR}`);
    else if (change) linkStyles.push(`  linkStyle ${i} stroke:${change === "added" ? ADDED_COLOUR : change === "removed" ? REMOVED_COLOUR : CHANGED_COLOUR},stroke-width:3px${change === "removed" ? ",stroke-dasharray:4 4" : ""}`);
  });
  lines.push(...linkStyles);
  const problemNodes = new Set(g.edges.filter((e) => e.problem).flatMap((e) => [e.from, e.to]));
  if (problemNodes.size > 0) classes.set("problem", [...problemNodes].sort());
  lines.push(`  classDef added fill:#e8f5e9,stroke:${ADDED_COLOUR},stroke-width:3px`);
  lines.push(`  classDef removed fill:#f5f5f5,stroke:${REMOVED_COLOUR},stroke-width:2px,stroke-dasharray:4 4,color:#757575`);
  lines.push(`  classDef changed fill:#fff3e0,stroke:${CHANGED_COLOUR},stroke-width:3px`);
  lines.push(`  classDef problem fill:#ffebee,stroke:${ERROR_COLOUR},stroke-width:3px`);
  for (const [name, ids] of classes) lines.push(`  class ${ids.join(",")} ${name}`);
  return lines.join("\n") + "\n";
}

/** Graphviz DOT: a cluster per layer (lowest at the bottom), configurations above; imports point down. */
export function toDot(model: GraphModel, marks: Marks = {}): string {
  const g = lay(model);
  const lines = [
    "digraph fleetform {",
    '  graph [rankdir=TB, fontname="DejaVu Sans", fontsize=12, newrank=true, nodesep=0.4, ranksep=0.6];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="DejaVu Sans", fontsize=11];',
    '  edge [fontname="DejaVu Sans", fontsize=10];',
  ];
  const nodeStyle = (key: string): string => {
    const change = marks.nodes?.get(key);
    return change === "added" ? `, color="${ADDED_COLOUR}", fillcolor="#e8f5e9", penwidth=2` : change === "removed" ? `, color="${REMOVED_COLOUR}", fontcolor="#757575", style="rounded,dashed"` : change === "changed" ? `, color="${CHANGED_COLOUR}", fillcolor="#fff3e0", penwidth=2` : "";
  };
  const problemNodes = new Set(g.edges.filter((e) => e.problem).flatMap((e) => [e.from, e.to]));
  const problemStyle = (id: string): string => (problemNodes.has(id) ? `, color="${ERROR_COLOUR}", fillcolor="#ffebee", penwidth=2` : "");
  if (g.configurations.length > 0) {
    lines.push('  subgraph cluster_configurations {', '    label="configurations"; style="rounded,dashed"; color="#607d8b";');
    for (const c of g.configurations) {
      lines.push(`    ${c.id} [label=${dq([c.name, ...c.lines].join("\u0001")).replace(/\u0001/g, "\\n")}, fillcolor="#e3f2fd"${nodeStyle(c.key)}];`);
    }
    lines.push(`    { rank=same; ${g.configurations.map((c) => c.id).join("; ")}; }`, "  }");
  }
  [...g.layers].reverse().forEach((layer, i) => {
    lines.push(`  subgraph cluster_layer${i} {`, `    label=${dq(`layer ${layer.name}`)}; style="rounded"; color="#90a4ae";`);
    for (const m of layer.modules) lines.push(`    ${m.id} [label=${dq(`${m.name}\u0001${m.version}`).replace(/\u0001/g, "\\n")}${problemStyle(m.id)}${nodeStyle(m.key)}];`);
    if (layer.modules.length > 0) lines.push(`    { rank=same; ${layer.modules.map((m) => m.id).join("; ")}; }`);
    lines.push("  }");
  });
  // Invisible edges stack the rows: configurations, then each layer from the highest down.
  const rows = [g.configurations.map((c) => c.id), ...[...g.layers].reverse().map((l) => l.modules.map((m) => m.id))].filter((r) => r.length > 0);
  for (let i = 0; i + 1 < rows.length; i++) lines.push(`  ${rows[i]![0]} -> ${rows[i + 1]![0]} [style=invis];`);
  for (const e of g.edges) {
    const change = marks.edges?.get(e.key);
    const attrs: string[] = [];
    if (e.uses) attrs.push('style=dashed, color="#607d8b"');
    else if (e.typeOnly) attrs.push("style=dotted");
    if (e.problem) attrs.push(`color="${ERROR_COLOUR}", fontcolor="${ERROR_COLOUR}", penwidth=2.5, label=${dq(e.problem)}`, "constraint=false");
    else if (change) attrs.push(`color="${change === "added" ? ADDED_COLOUR : change === "removed" ? REMOVED_COLOUR : CHANGED_COLOUR}", penwidth=2.5, label=${dq(change)}`);
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** SVG laid out by Graphviz (dot) compiled to WebAssembly. */
export async function toSvg(model: GraphModel, marks: Marks = {}): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const result = viz.render(toDot(model, marks), { format: "svg", engine: "dot" });
  if (result.status !== "success") throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.output;
}
