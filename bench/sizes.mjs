// Bytes of a build's output by kind, and per resource: what the output costs a repo's reader,
// its deployment and its CI (fleet-scale issue, point 5: <= 10 KB per resource).
//   node bench/sizes.mjs <output folder>
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

function kindOf(rel, path) {
  const p = rel.split(sep).join("/");
  if (/^modules\/Fleetform\.Runtime\//.test(p)) return "runtime module (once)";
  if (/^modules\/[^/]+\/DSCResources\/.*\.schema\.mof$/.test(p)) return "DSC resource schema.mof";
  if (/^modules\/[^/]+\/DSCResources\/.*\.psm1$/.test(p)) return "DSC resource wrapper .psm1";
  if (/^modules\/[^/]+\/[^/]+\.psm1$/.test(p)) return "module .psm1";
  if (/^modules\/[^/]+\/[^/]+\.psd1$/.test(p)) return "module .psd1";
  if (/^tests\/.*\.DscResources\.Tests\.ps1$/.test(p)) return "Pester: DSC resource tests";
  if (/^tests\/.*\.Tests\.ps1$/.test(p)) {
    const text = readFileSync(path, "utf8");
    return /^# Runs Invoke-/m.test(text.slice(0, 400)) ? "Pester: configuration tests" : "Pester: module tests";
  }
  if (/^tests\//.test(p)) return "Pester: shared (runner, module)";
  if (/^configurations\//.test(p)) return "configuration modules";
  if (/^ssm\//.test(p)) return "SSM documents";
  if (/^dsc\//.test(p)) return "DSC MOFs";
  if (/^cloudformation\//.test(p)) return "CloudFormation";
  if (/^schemas\//.test(p)) return "JSON schemas";
  return "other";
}

const root = process.argv[2];
if (!root) {
  console.error("usage: node bench/sizes.mjs <output folder>");
  process.exit(2);
}
const kinds = new Map();
let resources = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else {
      const rel = relative(root, path);
      if (/\.schema\.mof$/.test(rel) && rel.startsWith(`modules${sep}`)) resources++;
      const kind = kindOf(rel, path);
      const k = kinds.get(kind) ?? { files: 0, bytes: 0 };
      k.files++;
      k.bytes += statSync(path).size;
      kinds.set(kind, k);
    }
  }
};
walk(root);
const total = [...kinds.values()].reduce((s, k) => s + k.bytes, 0);
const kb = (n) => (n / 1024).toFixed(2).padStart(9);
console.log(`${root}: ${resources} resources, ${(total / 1024).toFixed(1)} KB in all`);
console.log(`${"kind".padEnd(34)} ${"files".padStart(6)} ${"KB".padStart(9)} ${"KB/res".padStart(9)}`);
for (const [kind, k] of [...kinds].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`${kind.padEnd(34)} ${String(k.files).padStart(6)} ${kb(k.bytes)} ${kb(k.bytes / Math.max(resources, 1))}`);
}
console.log(`${"total".padEnd(34)} ${"".padStart(6)} ${kb(total)} ${kb(total / Math.max(resources, 1))}`);
