// PowerShell's check of the bench repo's fragments, beyond pwsh's start-up (issue: 8,000 unique
// fragments in <= 0.5 s beyond it). The fragments are the build's own: the repo of bench/run.mjs
// (bench/generate.mjs) compiled in this process (no emit, no type check, no pwsh), and each text
// sent as the build sends it. Then, per run, two fresh pwsh processes started as a build starts
// its own (compiler/powershell/pwsh.ts's startFragmentParser, with the check `fleetform setup`
// compiled, or one kept in a cache folder of this bench's own):
//   - start-up: spawn -> the answer to an empty batch of fragments;
//   - check:    spawn -> the answer to the batch of every fragment;
// the difference is the check beyond start-up. Medians (and the spread) over --runs, with nothing
// else running (the check uses every core).
//   npm run build && node bench/fragment-check.mjs [--runs 5]
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
const { findPwsh, startFragmentParser } = await lib("powershell/pwsh.js");
const { DiskCache } = await lib("driver/cache.js");

const result = await compile({ root: repo, emit: false, typecheck: false, pwshCheck: false });
if (!result.program) throw new Error(`the bench repo did not compile:\n${result.diagnostics.map((d) => d.message).join("\n")}`);
const texts = [...new Set(collectFragments(result.program).map((f) => f.text))];
const fragments = texts.map((text, id) => ({ id: String(id), text }));

const pwsh = findPwsh(repo);
if (!pwsh) throw new Error("no pwsh: run `node scripts/setup-pwsh.mjs` (npm test does)");
// (the check compiled by setup when this pwsh has one; else kept in this bench's own cache folder,
// compiled by the warm-up run below)
const cache = DiskCache.open(join(root, "bench", ".work", "fragment-check-cache"));

/** Milliseconds from starting pwsh as a build does (a process of its own) to its answer to `sent`, and the answer. */
async function answer(sent) {
  const started = performance.now();
  const parser = startFragmentParser(pwsh, { cache });
  try {
    const found = await parser.parse(sent);
    return { ms: performance.now() - started, found };
  } finally {
    parser.dispose();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = await answer(fragments);
const startUps = [];
const checks = [];
for (let i = 0; i < runs; i++) {
  startUps.push((await answer([])).ms);
  checks.push((await answer(fragments)).ms);
}
const beyond = checks.map((ms, i) => ms - startUps[i]);
const fmt = (xs) => `${(median(xs) / 1000).toFixed(2)} s  (${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)})`;
console.log(`fragments: ${texts.length} unique texts, ${(Buffer.byteLength(JSON.stringify(fragments)) / 1e6).toFixed(1)} MB as sent; ${warm.found.length} with findings`);
console.log(`runs: ${runs}, median (min-max); pwsh: ${pwsh.command.join(" ")} (${pwsh.from}${pwsh.checkAssembly ? ", check compiled by setup" : ""})`);
console.log(`  pwsh start-up (spawn -> answer to no fragments):  ${fmt(startUps)}`);
console.log(`  pwsh checking every fragment (spawn -> answer):   ${fmt(checks)}`);
console.log(`  the check beyond start-up:                        ${fmt(beyond)}   (target <= 0.5 s)`);
