// Where a cold build's CPU goes, by process: runs `fleetform build` of the bench repo (bench/.work/fleet,
// made by bench/run.mjs or bench/generate.mjs) into new output and cache folders, polls /proc every
// 50 ms for the user + system time of the build and of every process it starts (tsc, esbuild's
// service, pwsh; found through /proc/<pid>/task/<pid>/children, so that the poll reads only those
// processes' files), and prints the last value seen of each, with the total, the cores used on
// average and the poll's own CPU. Linux only (/proc). A process's last 50 ms may be missed.
//   npm run build && node bench/cpu.mjs [--runs 3]
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const repo = join(root, "bench", ".work", "fleet");
if (!existsSync(join(repo, "fleetform.config.ts"))) throw new Error("bench/.work/fleet is missing: run bench/run.mjs or bench/generate.mjs first");
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const TICKS = 100; // USER_HZ

/** The process `pid` and its descendants: pid -> { cpu (s), exe }, from /proc. */
function processes(pid) {
  const found = new Map();
  const queue = [pid];
  while (queue.length > 0) {
    const name = queue.shift();
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // The program, and for node and dotnet the script they run (pwsh runs as `dotnet pwsh.dll`).
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      const exe = basename(readlinkSync(`/proc/${name}/exe`));
      const script = exe === "node" || exe === "dotnet" ? argv.slice(1).find((a) => !a.startsWith("-")) : undefined;
      found.set(name, { cpu: (Number(fields[11]) + Number(fields[12])) / TICKS, exe: script ? `${exe} ${basename(script)}` : exe });
      // (the processes' main threads start their children: Node.js's child_process, libuv)
      for (const child of readFileSync(`/proc/${name}/task/${name}/children`, "utf8").split(" ").filter(Boolean)) queue.push(Number(child));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function coldBuild() {
  const scratch = mkdtempSync(join(root, "bench", ".work", "cpu-"));
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, "bin", "fleetform.js"), "build", ".", "--out", join(scratch, "dist"), "--cache-dir", join(scratch, "cache")], { cwd: repo, stdio: "ignore" });
    const seen = new Map();
    const polling = process.cpuUsage();
    // (the program as last seen: a child reads as its parent until it has exec'd)
    const poll = () => {
      for (const [pid, p] of processes(child.pid)) seen.set(pid, p);
    };
    const timer = setInterval(poll, 50);
    child.on("exit", (code) => {
      clearInterval(timer);
      const wall = (performance.now() - t0) / 1000;
      rmSync(scratch, { recursive: true, force: true });
      const own = process.cpuUsage(polling);
      done({ code, wall, poll: (own.user + own.system) / 1e6, processes: [...seen.values()].filter((p) => p.cpu > 0) });
    });
  });
}

const runs = [];
for (let i = 0; i < Number(values.runs); i++) {
  const run = await coldBuild();
  if (run.code !== 0) throw new Error(`the build failed (exit ${run.code})`);
  runs.push(run);
  const total = run.processes.reduce((n, p) => n + p.cpu, 0);
  console.log(`cold build ${i + 1}: ${run.wall.toFixed(2)} s wall, ${total.toFixed(2)} s CPU (${(total / run.wall).toFixed(2)} cores on average; the poll took ${run.poll.toFixed(2)} s of CPU)`);
  for (const p of run.processes.sort((a, b) => b.cpu - a.cpu)) console.log(`  ${p.cpu.toFixed(2).padStart(6)} s  ${p.exe}`);
}
