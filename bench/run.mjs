// The fleet-scale benchmark (npm run bench): a 200-module / 2,000-resource / 50-configuration repo
// (bench/generate.mjs: a unique fragment per resource). Prints side by side, as medians over --runs
// (with the spread): the native `tsc --noEmit` of the same repo (typescript 7), the cold
// `fleetform build` (a fresh process, no output folder, an empty build cache), a second build in a
// new process (with the cache the first filled), a build after a one-file change, the watch rebuild after a one-file change in a module of each layer (time
// from the file write to the rebuild's summary line), peak RSS, and the output's bytes and files.
//   npm run build && node bench/run.mjs [--runs 5] [--modules 200] [--resources 10] [--configurations 50]
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "./generate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    modules: { type: "string", default: "200" },
    resources: { type: "string", default: "10" },
    configurations: { type: "string", default: "50" },
  },
});
const runs = Number(values.runs);
const repo = join(root, "bench", ".work", "fleet");
const out = join(root, "bench", ".work", "fleet-dist");
const sizes = { modules: Number(values.modules), layers: 3, resources: Number(values.resources), configurations: Number(values.configurations) };
generate(repo, sizes);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bin = join(root, "bin", "fleetform.js");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** Wall time (ms) and peak RSS (MB) of a command, measured by GNU time. */
function timed(args) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...args], { cwd: repo, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  const rss = Number(lines.pop()) / 1024;
  // `fleetform build --timings` prints "  <step> <ms>" lines after "fleetform: timings (ms)".
  const steps = {};
  for (const line of lines.slice(lines.indexOf("fleetform: timings (ms)") + 1)) {
    const m = /^\s+(.*?)\s+(\d+)$/.exec(line);
    if (m) steps[m[1]] = Number(m[2]);
  }
  return { ms, rss, steps };
}

const builds = [];
const seconds = [];
const checks = [];
// The build cache: a fresh one for each run's cold build (which fills it); the second build, in a
// new process, has it; then a build after a one-file change (a top-layer module, a new text each run).
const cacheDir = join(root, "bench", ".work", "fleet-cache");
const cached = () => timed([process.execPath, bin, "build", ".", "--out", out, "--timings", "--cache-dir", cacheDir]);
const oneFile = [];
const edited = join(repo, "modules", `m${String(Math.floor(sizes.modules * 0.75)).padStart(3, "0")}`, "index.ts");
const editedOriginal = readFileSync(edited, "utf8");
for (let i = 0; i < runs; i++) {
  rmSync(out, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  checks.push(timed([process.execPath, tsc, "--noEmit", "-p", "tsconfig.json"]));
  builds.push(cached());
  seconds.push(cached());
  writeFileSync(edited, editedOriginal.replace(/description: "([^"]*)"/, `description: "$1 (cached edit ${i + 1})"`));
  oneFile.push(cached());
  writeFileSync(edited, editedOriginal);
}
const build = median(builds.map((b) => b.ms));
const second = median(seconds.map((b) => b.ms));
const spread = (xs, unit = 1000, digits = 2) => `${(Math.min(...xs) / unit).toFixed(digits)}-${(Math.max(...xs) / unit).toFixed(digits)}`;

// The same output written by a plain loop (mkdir once per folder, writeFileSync), after the builds,
// to show what the disk does with it: it varies a lot on this VM from one moment to the next (bench/README.md).
function listTree(dir, rel = "") {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listTree(dir, join(rel, e.name)) : [join(rel, e.name)]));
}
const output = listTree(out).map((path) => ({ path, content: readFileSync(join(out, path)) }));
const outputBytes = output.reduce((n, f) => n + f.content.length, 0);
const floorDir = join(root, "bench", ".work", "fleet-floor");
const floors = [];
for (let i = 0; i < runs; i++) {
  rmSync(floorDir, { recursive: true, force: true });
  const t0 = performance.now();
  const made = new Set();
  for (const f of output) {
    const folder = dirname(join(floorDir, f.path));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(join(floorDir, f.path), f.content);
  }
  floors.push(performance.now() - t0);
}
rmSync(floorDir, { recursive: true, force: true });
const floor = median(floors);
const rss = Math.max(...builds.map((b) => b.rss), ...seconds.map((b) => b.rss));
const check = median(checks.map((c) => c.ms));

// Watch: one process; change each module file `runs` times, one after the other; time write → summary line.
function watchRebuilds(modules) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, "build", ".", "--out", out, "--watch"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    const originals = new Map(modules.map((m) => [m, readFileSync(join(repo, "modules", m, "index.ts"), "utf8")]));
    const restore = () => { for (const [m, text] of originals) writeFileSync(join(repo, "modules", m, "index.ts"), text); };
    const times = new Map(modules.map((m) => [m, []]));
    let current = 0;
    let started = 0;
    let buffer = "";
    let ready = false;
    let edits = 0;
    const change = () => {
      const m = modules[current];
      edits++;
      writeFileSync(join(repo, "modules", m, "index.ts"), originals.get(m).replace(/description: "([^"]*)"/, `description: "$1 (edit ${edits})"`));
      started = performance.now();
    };
    child.stdout.setEncoding("utf8").on("data", (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!/^fleetform: (wrote|rebuilt|no changes|rebuild failed)/.test(line)) continue;
        if (/rebuild failed/.test(line)) {
          child.kill();
          restore();
          fail(new Error(`a watch rebuild failed: ${line}`));
          return;
        }
        if (!ready) {
          ready = true;
          setTimeout(change, 300);
          continue;
        }
        const list = times.get(modules[current]);
        list.push(performance.now() - started);
        if (list.length >= runs) current++;
        if (current >= modules.length) {
          child.kill();
          restore();
          done(times);
        } else setTimeout(change, 300);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d) => process.stderr.write(d));
    child.on("error", fail);
    const timer = setTimeout(() => {
      child.kill();
      restore();
      fail(new Error(`watch produced too few rebuilds in 600 s`));
    }, 600_000);
    child.on("exit", () => clearTimeout(timer));
  });
}

/** Modules whose files import `module`'s, directly or not (what a change to it evaluates again). */
function importers(module) {
  const sources = readdirSync(join(repo, "modules")).map((m) => [m, readFileSync(join(repo, "modules", m, "index.ts"), "utf8")]);
  const found = new Set([module]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [m, text] of sources) {
      if (found.has(m)) continue;
      if ([...found].some((f) => text.includes(`/${f}/index.js"`))) {
        found.add(m);
        grew = true;
      }
    }
  }
  return found.size - 1;
}

// A module of each layer: the lowest layer's (imported, directly or not, by many modules that are
// then evaluated again), the middle one's, the top one's.
const layerOf = (i) => Math.floor((i * sizes.layers) / sizes.modules);
const picks = [5, Math.floor(sizes.modules / 2), Math.floor(sizes.modules * 0.75)].map((i) => ({ id: `m${String(i).padStart(3, "0")}`, layer: layerOf(i) }));
const watchTimes = await watchRebuilds(picks.map((p) => p.id));

console.log(`repo: ${sizes.modules} modules over ${sizes.layers} layers, ${sizes.modules * sizes.resources} resources (a unique fragment each), ${sizes.configurations} configurations (${sizes.modules + sizes.configurations + 1} files)`);
console.log(`runs: ${runs}, median (min-max)`);
console.log(`  native tsc --noEmit (typescript 7):   ${(check / 1000).toFixed(2)} s  (${spread(checks.map((c) => c.ms))})`);
console.log(`  cold build (fleetform build):         ${(build / 1000).toFixed(2)} s  (${spread(builds.map((b) => b.ms))})   ratio to tsc ${(build / check).toFixed(2)} (target <= 2.5, goal 1.5)`);
// (the output is written aside while pwsh finishes its check, inside the compile step, and put in place after)
const writing = (b) => (b.steps.write ?? 0) + (b.steps["write: output folder, aside (while pwsh checked)"] ?? 0);
console.log(`    of which writing the output:        ${(median(builds.map(writing)) / 1000).toFixed(2)} s  (a plain write loop of the same files, after the builds: ${(floor / 1000).toFixed(2)} s)`);
console.log(`  second build, new process (cache):    ${(second / 1000).toFixed(2)} s  (${spread(seconds.map((b) => b.ms))})   ratio to tsc ${(second / check).toFixed(2)}`);
console.log(`  one file changed, new process, cache: ${(median(oneFile.map((b) => b.ms)) / 1000).toFixed(2)} s  (${spread(oneFile.map((b) => b.ms))})   ratio to tsc ${(median(oneFile.map((b) => b.ms)) / check).toFixed(2)}`);
for (const p of picks) {
  const ts = watchTimes.get(p.id);
  const note = p.layer === 0 ? `, ${importers(p.id)} modules import it, directly or not` : "";
  console.log(`  watch rebuild, ${p.id} (layer${p.layer}) changed:   ${median(ts).toFixed(0)} ms  (${spread(ts, 1, 0)})   (target <= 150 ms${note})`);
}
console.log(`  peak RSS of the build:                ${rss.toFixed(0)} MB`);
console.log(`  output:                               ${output.length} files, ${(outputBytes / 1e6).toFixed(1)} MB`);
// Where a cold build's time goes (fleetform build --timings, medians).
const stepNames = Object.keys(builds[0].steps);
console.log("cold build by step (ms, medians of --timings):");
for (const step of stepNames) console.log(`  ${step.padEnd(42)} ${String(median(builds.map((b) => b.steps[step] ?? 0))).padStart(6)}`);
