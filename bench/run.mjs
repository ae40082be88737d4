// The fleet-scale benchmark (npm run bench): a 200-module / 2,000-resource / 50-configuration repo.
// Prints, as medians over --runs: the cold `fleetform build` (a fresh process each time), the native
// `tsc --noEmit` of the same repo (typescript 7) and their ratio, peak RSS of the build, and the
// watch rebuild after a one-file change (time from the file write to the rebuild's summary line).
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
const checks = [];
for (let i = 0; i < runs; i++) {
  rmSync(out, { recursive: true, force: true });
  builds.push(timed([process.execPath, bin, "build", ".", "--out", out, "--timings", "--no-cache"]));
  checks.push(timed([process.execPath, tsc, "--noEmit", "-p", "tsconfig.json"]));
}
const build = median(builds.map((b) => b.ms));

// The same output written by a plain loop (mkdir once per folder, writeFileSync), after the builds,
// to show what the disk does with it: it varies a lot on this VM from one moment to the next (bench/README.md).
function listTree(dir, rel = "") {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listTree(dir, join(rel, e.name)) : [join(rel, e.name)]));
}
const output = listTree(out).map((path) => ({ path, content: readFileSync(join(out, path)) }));
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
const rss = Math.max(...builds.map((b) => b.rss));
const check = median(checks.map((c) => c.ms));

// The persistent cache (a fresh one): a build of unchanged sources in a new process, and a build
// after a one-file change (the top-layer module of the watch case, a new text each run), each
// after a build that filled the cache; tsc is timed between them, at the same moment.
const cacheDir = join(root, "bench", ".work", "fleet-cache");
rmSync(cacheDir, { recursive: true, force: true });
const cached = (extra = []) => timed([process.execPath, bin, "build", ".", "--out", out, "--timings", "--cache-dir", cacheDir, ...extra]);
cached();
const unchanged = [];
const oneFile = [];
const checksNow = [];
{
  const file = join(repo, "modules", `m${String(Math.floor(sizes.modules * 0.75)).padStart(3, "0")}`, "index.ts");
  const original = readFileSync(file, "utf8");
  for (let i = 0; i < runs; i++) {
    unchanged.push(cached());
    checksNow.push(timed([process.execPath, tsc, "--noEmit", "-p", "tsconfig.json"]));
    writeFileSync(file, original.replace(/Synthetic module (Module\d+)[^"]*/, `Synthetic module $1 (cached edit ${i + 1})`));
    oneFile.push(cached());
  }
  writeFileSync(file, original);
}
const checkNow = median(checksNow.map((c) => c.ms));

// Watch: one process; change one module file `runs` times; time write → summary line.
function watchRebuilds(module) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, "build", ".", "--out", out, "--watch"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    const file = join(repo, "modules", module, "index.ts");
    const original = readFileSync(file, "utf8");
    const times = [];
    let started = 0;
    let buffer = "";
    let ready = false;
    const change = () => {
      writeFileSync(file, original.replace(/Synthetic module (Module\d+)[^"]*/, `Synthetic module $1 (edit ${times.length + 1})`));
      started = performance.now();
    };
    child.stdout.setEncoding("utf8").on("data", (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!/^fleetform: (wrote|rebuilt|no changes)/.test(line)) continue;
        if (!ready) {
          ready = true;
          setTimeout(change, 300);
          continue;
        }
        times.push(performance.now() - started);
        if (times.length >= runs) {
          child.kill();
          writeFileSync(file, original);
          done(times);
        } else setTimeout(change, 300);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d) => process.stderr.write(d));
    child.on("error", fail);
    const timer = setTimeout(() => {
      child.kill();
      writeFileSync(file, original);
      fail(new Error(`watch produced ${times.length} rebuilds in 300 s`));
    }, 300_000);
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

// The case: a module of the top layer. And a worse one: a module of the lowest layer that
// other modules import, so that they (and the configurations using them) are evaluated again.
const top = `m${String(Math.floor(sizes.modules * 0.75)).padStart(3, "0")}`;
const bottom = "m005";
const watchTimes = await watchRebuilds(top);
const watchBottom = median(await watchRebuilds(bottom));
const watch = median(watchTimes);

console.log(`repo: ${sizes.modules} modules over ${sizes.layers} layers, ${sizes.modules * sizes.resources} resources, ${sizes.configurations} configurations (${sizes.modules + sizes.configurations + 1} files)`);
console.log(`runs: ${runs}, medians`);
console.log(`  cold build (fleetform build):      ${(build / 1000).toFixed(2)} s   (target <= 5 s)`);
console.log(`    of which writing the output:     ${(median(builds.map((b) => b.steps.write ?? 0)) / 1000).toFixed(2)} s   (a plain write loop of the same ${output.length} files, after the builds: ${(floor / 1000).toFixed(2)} s)`);
console.log(`  native tsc --noEmit (typescript 7): ${(check / 1000).toFixed(2)} s`);
console.log(`  ratio build / tsc:                  ${(build / check).toFixed(2)}     (target <= 1.5)`);
console.log(`  unchanged build, new process, cache: ${(median(unchanged.map((b) => b.ms)) / 1000).toFixed(2)} s   (ratio to tsc ${(median(unchanged.map((b) => b.ms)) / checkNow).toFixed(2)}, target <= 1.5; tsc measured between them: ${(checkNow / 1000).toFixed(2)} s)`);
console.log(`  one file changed, new process, cache: ${(median(oneFile.map((b) => b.ms)) / 1000).toFixed(2)} s   (ratio to tsc ${(median(oneFile.map((b) => b.ms)) / checkNow).toFixed(2)}, target <= 2)`);
console.log(`  watch rebuild, one file changed:    ${watch.toFixed(0)} ms   (target <= 200 ms; ${top}, top layer)`);
console.log(`    the same, a lowest-layer module:  ${watchBottom.toFixed(0)} ms   (${bottom}: ${importers(bottom)} modules import it, directly or not)`);
console.log(`  peak RSS of the build:              ${rss.toFixed(0)} MB   (target <= 600 MB)`);
// Where a cold build's time goes (fleetform build --timings, medians).
const stepNames = Object.keys(builds[0].steps);
console.log("cold build by step (ms, medians of --timings):");
for (const step of stepNames) console.log(`  ${step.padEnd(42)} ${String(median(builds.map((b) => b.steps[step] ?? 0))).padStart(6)}`);
