// The fleet-scale benchmark (npm run bench): a 200-module / 2,000-resource / 50-configuration repo
// (bench/generate.mjs: a unique fragment per resource). Prints side by side, as medians over --runs
// (with the spread): the native `tsc --noEmit` of the same repo (typescript 7), the cold
// `fleetform build` (a fresh process, no output folder, an empty build cache), a second build in a
// new process (with the cache the first filled), a build after a one-file change, the watch rebuild after a one-file change in a module of each layer, 0.3 s and 5 s after the last (time
// from the file write to the rebuild's summary line), peak RSS, and the output's bytes and files.
// Then the floor: the CPU time of what a build runs that is not fleetform's own code (TypeScript's
// type check, PowerShell's start-up and its parse of every generated file, the writing of the
// output's files), and the wall time that much CPU needs at least on this machine's cores; and the
// other side of it: a cold build with neither (`--no-typecheck`, FLEETFORM_PWSH naming no file, so
// that no pwsh runs), fleetform's own work alone.
//   npm run build && node bench/run.mjs [--runs 5] [--modules 200] [--resources 10] [--configurations 50]
// Each run's cold build writes into folders no build used before, as on a fresh clone: on ext4
// without a journal (this VM's disk), creating a file right after thousands were deleted scans past
// each recently freed inode (find_inode_bit -> recently_deleted), which cost a cold build that
// followed the removal of the last one's output and cache about 2 s (bench/README.md). The runs'
// folders are removed at the end; the last run's are kept as bench/.work/fleet-dist and fleet-cache.
import { spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
const work = join(root, "bench", ".work");
// (a run's folders are named by the bench's pid: a killed run's are removed by the next, before anything is timed)
const runFolder = (kind, i) => join(work, `fleet-${kind}.run-${process.pid}-${i}`);
mkdirSync(work, { recursive: true });
const removeRunFolders = () => {
  for (const name of readdirSync(work)) if (/^fleet-(dist|cache|floor|own-dist|own-cache)\.run-/.test(name)) rmSync(join(work, name), { recursive: true, force: true });
};
removeRunFolders();
const sizes = { modules: Number(values.modules), layers: 3, resources: Number(values.resources), configurations: Number(values.configurations) };
generate(repo, sizes);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bin = join(root, "bin", "fleetform.js");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/**
 * Wall time (ms), peak RSS (MB) and CPU time (ms, user + system, of the command and the children it
 * waited for) of a command, measured by GNU time.
 */
function timed(args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", ...args], { cwd: repo, encoding: "utf8", ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  const [maxKb, user, sys] = lines.pop().split(" ").map(Number);
  const rss = maxKb / 1024;
  const cpu = (user + sys) * 1000;
  // `fleetform build --timings` prints "  <step> <ms>" lines after "fleetform: timings (ms)".
  const steps = {};
  for (const line of lines.slice(lines.indexOf("fleetform: timings (ms)") + 1)) {
    const m = /^\s+(.*?)\s+(\d+)$/.exec(line);
    if (m) steps[m[1]] = Number(m[2]);
  }
  return { ms, rss, cpu, steps, stdout: r.stdout };
}

const builds = [];
const seconds = [];
const checks = [];
// The build cache: a fresh one for each run's cold build (which fills it); the second build, in a
// new process, has it; then a build after a one-file change (a top-layer module, a new text each run).
const cached = (i) => timed([process.execPath, bin, "build", ".", "--out", runFolder("dist", i), "--timings", "--cache-dir", runFolder("cache", i)]);
const oneFile = [];
// fleetform's own work: a cold build (an empty cache, which it fills) without the type check and
// without pwsh (FF3024's warning: the fragments and files are not parsed).
const own = (i) => timed([process.execPath, bin, "build", ".", "--out", runFolder("own-dist", i), "--timings", "--no-typecheck", "--cache-dir", runFolder("own-cache", i)], { env: { ...process.env, FLEETFORM_PWSH: join(work, "no-pwsh-here") } });
const owns = [];
const edited = join(repo, "modules", `m${String(Math.floor(sizes.modules * 0.75)).padStart(3, "0")}`, "index.ts");
const editedOriginal = readFileSync(edited, "utf8");
for (let i = 0; i < runs; i++) {
  checks.push(timed([process.execPath, tsc, "--noEmit", "-p", "tsconfig.json"]));
  builds.push(cached(i));
  seconds.push(cached(i));
  writeFileSync(edited, editedOriginal.replace(/description: "([^"]*)"/, `description: "$1 (cached edit ${i + 1})"`));
  oneFile.push(cached(i));
  writeFileSync(edited, editedOriginal);
  owns.push(own(i));
}
// The last run's folders are the ones the watch, the floor and bench/sizes.mjs read.
const out = runFolder("dist", runs - 1);
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
const floors = [];
const writeCpus = [];
for (let i = 0; i < runs; i++) {
  const floorDir = runFolder("floor", i);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const made = new Set();
  for (const f of output) {
    const folder = dirname(join(floorDir, f.path));
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(join(floorDir, f.path), f.content);
  }
  const cpu = process.cpuUsage(cpu0);
  floors.push(performance.now() - t0);
  writeCpus.push((cpu.user + cpu.system) / 1000);
}
const floor = median(floors);

// PowerShell's share of the floor: pwsh started as the build starts it (the tools `fleetform setup`
// made), once to do nothing and once to parse every generated .ps1/.psm1/.psd1 file of the output
// with its own parser (what a build must have it do at least; the build also checks each fragment alone).
const { findPwsh } = await import(pathToFileURL(join(root, "lib", "compiler", "powershell", "pwsh.js")).href);
const pwsh = findPwsh(repo);
if (!pwsh) throw new Error("no pwsh: run `node scripts/setup-pwsh.mjs` (npm test does)");
const parseAll = join(work, "parse-all.ps1");
writeFileSync(
  parseAll,
  [
    "param([string]$Dir)",
    "$n = 0",
    "foreach ($path in [System.IO.Directory]::EnumerateFiles($Dir, '*', [System.IO.SearchOption]::AllDirectories)) {",
    "  if ($path -notmatch '\\.ps[md]?1$') { continue }",
    "  $tokens = $null; $errors = $null",
    "  $null = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)",
    "  if ($errors.Count -gt 0) { throw \"$path does not parse\" }",
    "  $n++",
    "}",
    "\"$n\"",
    "",
  ].join("\n"),
);
const pwshRun = (...args) => timed([...pwsh.command, "-NoProfile", "-NonInteractive", ...args]);
const pwshStarts = [];
const pwshParses = [];
let parsedFiles = 0;
for (let i = 0; i < runs; i++) {
  pwshStarts.push(pwshRun("-Command", "$null"));
  const parsed = pwshRun("-File", parseAll, out);
  parsedFiles = Number(parsed.stdout.trim());
  pwshParses.push(parsed);
}
rmSync(parseAll);
const rss = Math.max(...builds.map((b) => b.rss), ...seconds.map((b) => b.rss));
const check = median(checks.map((c) => c.ms));

// Watch: one process; change each module file `runs` times, one after the other, `gap` ms after the last rebuild; time write → summary line.
function watchRebuilds(modules, gap) {
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
          setTimeout(change, gap);
          continue;
        }
        const list = times.get(modules[current]);
        list.push(performance.now() - started);
        if (list.length >= runs) current++;
        if (current >= modules.length) {
          child.kill();
          restore();
          done(times);
        } else setTimeout(change, gap);
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
// Edits 0.3 s after each rebuild (before the session's background check starts: CHECK_DELAY_MS is
// 0.5 s), and 5 s after it (the type check and pwsh's parse have run and ended meanwhile, as between
// the edits of someone typing and looking).
const watchTimes = await watchRebuilds(picks.map((p) => p.id), 300);
const watchIdle = await watchRebuilds(picks.map((p) => p.id), 5000);

console.log(`repo: ${sizes.modules} modules over ${sizes.layers} layers, ${sizes.modules * sizes.resources} resources (a unique fragment each), ${sizes.configurations} configurations (${sizes.modules + sizes.configurations + 1} files)`);
console.log(`runs: ${runs}, median (min-max)`);
console.log(`  native tsc --noEmit (typescript 7):   ${(check / 1000).toFixed(2)} s  (${spread(checks.map((c) => c.ms))})`);
console.log(`  cold build (fleetform build):         ${(build / 1000).toFixed(2)} s  (${spread(builds.map((b) => b.ms))})   ratio to tsc ${(build / check).toFixed(2)} (target <= 2.5, goal 1.5)`);
// (the output is written aside while pwsh finishes its check, inside the compile step, and put in place after)
const writing = (b) => (b.steps.write ?? 0) + (b.steps["write: output folder, aside (while pwsh checked)"] ?? 0);
console.log(`    of which writing the output:        ${(median(builds.map(writing)) / 1000).toFixed(2)} s  (a plain write loop of the same files, after the builds: ${(floor / 1000).toFixed(2)} s)`);
const ownMs = median(owns.map((b) => b.ms));
console.log(`  the same without tsc and pwsh:        ${(ownMs / 1000).toFixed(2)} s  (${spread(owns.map((b) => b.ms))})   ratio to tsc ${(ownMs / check).toFixed(2)} (--no-typecheck, no pwsh: fleetform's own work)`);
console.log(`  second build, new process (cache):    ${(second / 1000).toFixed(2)} s  (${spread(seconds.map((b) => b.ms))})   ratio to tsc ${(second / check).toFixed(2)}`);
console.log(`  one file changed, new process, cache: ${(median(oneFile.map((b) => b.ms)) / 1000).toFixed(2)} s  (${spread(oneFile.map((b) => b.ms))})   ratio to tsc ${(median(oneFile.map((b) => b.ms)) / check).toFixed(2)}`);
for (const p of picks) {
  const ts = watchTimes.get(p.id);
  const note = p.layer === 0 ? `, ${importers(p.id)} modules import it, directly or not` : "";
  console.log(`  watch rebuild, ${p.id} (layer${p.layer}) changed:   ${median(ts).toFixed(0)} ms  (${spread(ts, 1, 0)})   (target <= 150 ms${note})`);
  const idle = watchIdle.get(p.id);
  console.log(`    the same, 5 s after the last rebuild: ${median(idle).toFixed(0)} ms  (${spread(idle, 1, 0)})`);
}
console.log(`  peak RSS of the build:                ${rss.toFixed(0)} MB`);
console.log(`  output:                               ${output.length} files, ${(outputBytes / 1e6).toFixed(1)} MB`);
// Where a cold build's time goes (fleetform build --timings, medians).
const stepNames = Object.keys(builds[0].steps);
console.log("cold build by step (ms, medians of --timings):");
for (const step of stepNames) console.log(`  ${step.padEnd(42)} ${String(median(builds.map((b) => b.steps[step] ?? 0))).padStart(6)}`);

// The floor: CPU that a cold build spends outside fleetform's own code, at the least. On `cores`
// cores no build that runs them can take less wall time than their CPU time over the cores.
const cores = availableParallelism();
const tscCpu = median(checks.map((c) => c.cpu));
const pwshStartCpu = median(pwshStarts.map((r) => r.cpu));
const pwshParseCpu = median(pwshParses.map((r) => r.cpu));
const writeCpu = median(writeCpus);
const floorCpu = tscCpu + pwshParseCpu + writeCpu;
const cpuLine = (label, ms, note = "") => console.log(`  ${label.padEnd(52)} ${(ms / 1000).toFixed(2)} s CPU${note}`);
console.log(`floor: CPU time (user + system, medians) of what a cold build runs besides fleetform's own code`);
cpuLine("native tsc --noEmit (the type check the build runs)", tscCpu, `  (${(check / 1000).toFixed(2)} s wall: it uses ${(tscCpu / check).toFixed(1)} cores)`);
cpuLine(`pwsh: start-up and parse of the ${parsedFiles} generated PowerShell files`, pwshParseCpu, `  (start-up alone ${(pwshStartCpu / 1000).toFixed(2)} s)`);
cpuLine("writing the output (the plain write loop above)", writeCpu);
console.log(
  `  together ${(floorCpu / 1000).toFixed(2)} s CPU: on ${cores} cores at least ${(floorCpu / cores / 1000).toFixed(2)} s wall = ${(floorCpu / cores / check).toFixed(2)}x tsc, before fleetform loads, evaluates, lowers or emits anything`,
);

// The runs' folders go; the last run's output and cache stay where bench/sizes.mjs and a reader look.
for (const [kind, kept] of [["dist", out], ["cache", runFolder("cache", runs - 1)]]) {
  rmSync(join(work, `fleet-${kind}`), { recursive: true, force: true });
  renameSync(kept, join(work, `fleet-${kind}`));
}
removeRunFolders();
