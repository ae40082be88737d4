// Module graph check on a 200-module repo (target: under 300 ms).
// Measures, per run, parsing every file's imports ("load: imports") plus building and checking
// the graph ("check: module graph"): cycles, layers, ownership of shared files.
//   npm run build && node bench/graph.mjs [--modules 200] [--runs 5]
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "./generate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { modules: { type: "string", default: "200" }, runs: { type: "string", default: "5" } } });
const modules = Number(values.modules);
const dir = join(root, "bench", ".work", `graph-${modules}`);
generate(dir, { modules, layers: 3, resources: 1, configurations: 1 });
const { compile } = await import(join(root, "lib", "compiler", "index.js"));

const samples = [];
for (let i = 0; i < Number(values.runs) + 1; i++) {
  const result = await compile({ root: dir, typecheck: false, emit: false });
  if (!result.ok) {
    console.error(result.diagnostics.slice(0, 5));
    process.exit(1);
  }
  const t = result.timings;
  if (i > 0) samples.push({ imports: t["load: imports"], graph: t["check: module graph"], load: t.load });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const imports = median(samples.map((s) => s.imports));
const graph = median(samples.map((s) => s.graph));
console.log(`modules: ${modules}, runs: ${samples.length} (after one warm-up), median ms`);
console.log(`  parse imports of every file: ${imports.toFixed(1)}`);
console.log(`  build + check module graph:  ${graph.toFixed(1)}`);
console.log(`  graph check total:           ${(imports + graph).toFixed(1)}  (target < 300)`);
console.log(`  (whole load phase, evaluation included: ${median(samples.map((s) => s.load)).toFixed(0)})`);
