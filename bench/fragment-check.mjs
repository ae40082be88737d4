// PowerShell's check of the bench repo's fragments, beyond pwsh's start-up (issue: 8,000 unique
// fragments in <= 0.5 s beyond it). The fragments are the build's own: the repo of bench/run.mjs
// (bench/generate.mjs) compiled in this process (no emit, no type check, no pwsh), and each text
// sent as the build sends it (compiler/powershell/pwsh.ts). Then, per run, two fresh pwsh processes
// on compiler/powershell/check-fragments.ps1, as a build starts it (the check `fleetform setup`
// compiled, or one kept in a cache folder of this bench's own):
//   - start-up: spawn -> the answer to an empty batch of fragments;
//   - check:    spawn -> the answer to the batch of every fragment;
// the difference is the check beyond start-up. Medians (and the spread) over --runs, with nothing
// else running (the check uses every core).
//   npm run build && node bench/fragment-check.mjs [--runs 5]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "./generate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const repo = join(root, "bench", ".work", "fleet");
if (!existsSync(join(root, "lib", "compiler", "index.js"))) throw new Error("lib/ is missing: npm run build first");
generate(repo, { modules: 200, layers: 3, resources: 10, configurations: 50 });

const lib = (path) => import(pathToFileURL(join(root, "lib", "compiler", path)).href);
const { compile } = await lib("index.js");
const { collectFragments } = await lib("phases/4-emit/fragments.js");
const { findPwsh } = await lib("powershell/pwsh.js");
const { DiskCache } = await lib("driver/cache.js");
const { keyOf } = await lib("util/hash.js");

const result = await compile({ root: repo, emit: false, typecheck: false, pwshCheck: false });
if (!result.program) throw new Error(`the bench repo did not compile:\n${result.diagnostics.map((d) => d.message).join("\n")}`);
const texts = [...new Set(collectFragments(result.program).map((f) => f.text))];
const line = JSON.stringify(texts.map((text, id) => ({ id: String(id), text: text.isWellFormed() ? text : text.toWellFormed() }))) + "\n";

const pwsh = findPwsh(repo);
if (!pwsh) throw new Error("no pwsh: run `node scripts/setup-pwsh.mjs` (npm test does)");
const env = { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: "1", POWERSHELL_UPDATECHECK: "Off", DOTNET_TieredPGO: "0" };
if (pwsh.modulePath) env.PSModulePath = pwsh.modulePath;
// (the check compiled by setup when this pwsh has one; else kept in this bench's own cache folder,
// compiled by the warm-up run below)
if (pwsh.checkAssembly) env.FLEETFORM_CHECK_PREPARED = pwsh.checkAssembly;
env.FLEETFORM_CHECK_ASSEMBLY = DiskCache.open(join(root, "bench", ".work", "fragment-check-cache")).path("pwsh-check", keyOf("check-fragments assembly", ...pwsh.command));

/** Milliseconds from spawning pwsh to its answer to `input` (one line), and the answer. */
function answer(input) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(pwsh.command[0], [...pwsh.command.slice(1), "-NoLogo", "-NoProfile", "-NonInteractive", "-File", join(root, "compiler", "powershell", "check-fragments.ps1")], { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        const ms = performance.now() - started;
        child.stdin.end();
        resolve({ ms, reply: out.slice(0, nl) });
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
    child.on("close", (code) => reject(new Error(`check-fragments.ps1 exited with ${code} before answering: ${err}`)));
    child.stdin.write(input);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = await answer(line);
const found = JSON.parse(warm.reply);
const startUps = [];
const checks = [];
for (let i = 0; i < runs; i++) {
  startUps.push((await answer("[]\n")).ms);
  checks.push((await answer(line)).ms);
}
const beyond = checks.map((ms, i) => ms - startUps[i]);
const fmt = (xs) => `${(median(xs) / 1000).toFixed(2)} s  (${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)})`;
console.log(`fragments: ${texts.length} unique texts, ${(Buffer.byteLength(line) / 1e6).toFixed(1)} MB as sent; ${found.length} with findings`);
console.log(`runs: ${runs}, median (min-max); pwsh: ${pwsh.command.join(" ")} (${pwsh.from}${pwsh.checkAssembly ? ", check compiled by setup" : ""})`);
console.log(`  pwsh start-up (spawn -> answer to no fragments):  ${fmt(startUps)}`);
console.log(`  pwsh checking every fragment (spawn -> answer):   ${fmt(checks)}`);
console.log(`  the check beyond start-up:                        ${fmt(beyond)}   (target <= 0.5 s)`);
