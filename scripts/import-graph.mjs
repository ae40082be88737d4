#!/usr/bin/env node
// The shape of compiler/: which folder imports which (static `import` and `export ... from`, type-only
// ones included), the import cycles between files, the imports that break the layering rules, and the
// largest files. Run it before and after moving code around:
//
//   node scripts/import-graph.mjs [--top <n>]
//
// The rules (test/unit/import-graph.test.ts fails on any violation):
// - no import cycle between files;
// - a phase imports no later phase (phases/1-load < 2-check < 3-lower < 4-emit);
// - a phase (and phases/*.ts, what every phase receives) imports nothing of the driver (compiler/driver/),
//   nor the command line (compiler/cli/).
//
// Imports are read with TypeScript's parser (ts-morph's copy of TypeScript), so an `import` inside a
// template literal (compiler/init/templates.ts writes some) is not one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ts } from "ts-morph";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The phases, in pipeline order. */
export const PHASES = ["phases/1-load", "phases/2-check", "phases/3-lower", "phases/4-emit"];

/** Every .ts file under `dir` (forward-slash paths relative to `dir`), sorted. */
function sources(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...sources(dir, path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/** The module specifiers of a file's static imports and re-exports (type-only ones too). */
export function importsOf(text, fileName = "file.ts") {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers = [];
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/**
 * compiler/'s files and their imports of other compiler files: Map<file, Set<file>>, paths relative
 * to compiler/ ("phases/1-load/index.ts"). Imports of packages and of files outside compiler/ (stdlib/)
 * are left out.
 */
export function compilerImports(root = join(REPO, "compiler")) {
  const files = sources(root);
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const targets = new Set();
    for (const specifier of importsOf(readFileSync(join(root, file), "utf8"), file)) {
      if (!specifier.startsWith(".")) continue;
      const target = relative(root, resolve(root, dirname(file), specifier)).split(sep).join("/").replace(/\.js$/, ".ts");
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The folder a file counts in: a phase, another folder of compiler/, or "(root)". */
export function folderOf(file) {
  const phase = PHASES.find((p) => file.startsWith(`${p}/`));
  if (phase) return phase;
  const slash = file.indexOf("/");
  return slash < 0 ? "(root)" : file.slice(0, slash);
}

/** Every import cycle between files, each once, as the list of files around it (Tarjan's strongly connected components). */
export function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), indices.get(w)));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return found;
}

/** Imports that break the layering (see the header), as "from -> to: why". */
export function layeringViolations(graph) {
  const out = [];
  for (const [from, targets] of graph) {
    const fromFolder = folderOf(from);
    const fromPhase = PHASES.indexOf(fromFolder);
    const isPhase = fromPhase >= 0 || fromFolder === "phases";
    if (!isPhase) continue;
    for (const to of targets) {
      const toFolder = folderOf(to);
      const toPhase = PHASES.indexOf(toFolder);
      if (toFolder === "driver" || toFolder === "cli") out.push(`${from} -> ${to}: a phase imports the ${toFolder}`);
      else if (toPhase >= 0 && (fromFolder === "phases" || toPhase > fromPhase)) out.push(`${from} -> ${to}: ${fromFolder} imports a later phase`);
    }
  }
  return out.sort();
}

/** Folder -> folder edges with the number of importing files, sorted. */
export function folderEdges(graph) {
  const edges = new Map();
  for (const [from, targets] of graph) {
    const a = folderOf(from);
    for (const b of new Set([...targets].map(folderOf))) {
      if (a === b) continue;
      const key = `${a} -> ${b}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  return [...edges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function lineCount(path) {
  const text = readFileSync(path, "utf8");
  return text.length === 0 ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const topAt = process.argv.indexOf("--top");
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 12;
  const root = join(REPO, "compiler");
  const graph = compilerImports(root);
  const print = (line = "") => process.stdout.write(`${line}\n`);
  const rootFiles = [...graph.keys()].filter((f) => !f.includes("/"));
  print(`compiler/: ${graph.size} files, ${rootFiles.length} at its root (${rootFiles.join(", ")})`);
  print();
  print("folder -> folder (files importing)");
  for (const [edge, n] of folderEdges(graph)) print(`  ${edge}  ${n}`);
  print();
  const found = cycles(graph);
  print(`import cycles: ${found.length === 0 ? "none" : found.length}`);
  for (const c of found) print(`  ${c.join(" <-> ")}`);
  const violations = layeringViolations(graph);
  print(`layering violations: ${violations.length === 0 ? "none" : violations.length}`);
  for (const v of violations) print(`  ${v}`);
  print();
  print(`largest files (lines)`);
  const sizes = [...graph.keys()].map((f) => [lineCount(join(root, f)), f]).sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
  for (const [n, f] of sizes.slice(0, top)) print(`  ${String(n).padStart(5)}  compiler/${f}`);
}
