// Generates a synthetic config repo shaped like a real fleet's: N modules over L layers (each
// importing a few modules of lower layers and calling their functions), M resources per module,
// K configurations. Deterministic for given sizes.
//   node bench/generate.mjs <dir> [--modules 200] [--layers 3] [--resources 10] [--configurations 50]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

export function generate(dir, { modules = 200, layers = 3, resources = 10, configurations = 50 } = {}) {
  let seed = 20261127;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "configurations"), { recursive: true });
  const layerNames = Array.from({ length: layers }, (_, i) => `layer${i}`);
  writeFileSync(join(dir, "fleetform.config.ts"), `import { defineConfig } from "fleetform";\n\nconst config = defineConfig({ layers: ${JSON.stringify(layerNames)} });\nexport default config;\n\ndeclare module "fleetform" {\n  interface Register {\n    config: typeof config;\n  }\n}\n`);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["**/*.ts"] }, null, 2) + "\n");
  const mods = Array.from({ length: modules }, (_, i) => ({ id: `m${String(i).padStart(3, "0")}`, name: `Module${String(i).padStart(3, "0")}`, layer: Math.floor((i * layers) / modules) }));
  for (const m of mods) {
    const lower = mods.filter((o) => o.layer < m.layer);
    const deps = [];
    for (let k = 0; k < 3 && lower.length > 0; k++) {
      const d = lower[Math.floor(random() * lower.length)];
      if (!deps.includes(d)) deps.push(d);
    }
    const lines = [
      `import { defineModule, fn, ps, resource, t } from "fleetform";`,
      ...deps.map((d) => `import { ${d.id}Helper } from "../${d.id}/index.js";`),
      ``,
      `export const module = defineModule({ name: "${m.name}", layer: "${layerNames[m.layer]}", version: "1.0.${m.layer}", description: "Synthetic module ${m.name}" });`,
      ``,
      `export const ${m.id}Helper = fn({`,
      `  name: "Get-${m.name}Value",`,
      `  params: { key: t.string() },`,
      `  returns: t.string(),`,
      `  body: ({ key }) => ps\`${deps.map((d) => `$null = \${${d.id}Helper({ key })}; `).join("")}'${m.id}:' + \${key}\`,`,
      `});`,
    ];
    for (let r = 0; r < resources; r++) {
      lines.push(
        ``,
        `export const ${m.name}Thing${r} = resource({`,
        `  name: "${m.name}Thing${r}",`,
        `  description: "Thing ${r} of ${m.name}",`,
        `  properties: { path: t.string({ key: true }), value: t.string(), enabled: t.bool({ default: true }) },`,
        `  get: ({ path }) => ps\`@{ Value = (Get-Content -LiteralPath \${path} -Raw -ErrorAction SilentlyContinue) }\`,`,
        `  test: ({ path, value }) => ps\`(Get-Content -LiteralPath \${path} -Raw -ErrorAction SilentlyContinue) -eq \${value}\`,`,
        `  safe: ({ path }) => ps\`-not (Test-Path -LiteralPath (\${path} + '.lock'))\`,`,
        `  set: ({ path, value }) => ps\`Set-Content -LiteralPath \${path} -Value \${value} -NoNewline; $null = \${${m.id}Helper({ key: path })}\`,`,
        `});`,
      );
    }
    mkdirSync(join(dir, "modules", m.id), { recursive: true });
    writeFileSync(join(dir, "modules", m.id, "index.ts"), lines.join("\n") + "\n");
  }
  const top = mods.filter((m) => m.layer === layers - 1);
  for (let c = 0; c < configurations; c++) {
    const picks = [];
    for (let k = 0; k < 4; k++) picks.push(top[(c * 4 + k) % top.length]);
    const uniq = [...new Set(picks)];
    const lines = [
      `import { configuration, ec2Tag } from "fleetform";`,
      ...uniq.map((m) => `import { ${Array.from({ length: Math.min(resources, 3) }, (_, r) => `${m.name}Thing${r}`).join(", ")} } from "../modules/${m.id}/index.js";`),
      ``,
      `export default configuration({`,
      `  name: "Config${String(c).padStart(3, "0")}",`,
      `  targets: { tag: "Role", values: ["role-${c}"] },`,
      `  schedule: "rate(30 minutes)",`,
      `  resources: {`,
    ];
    let previous;
    for (const m of uniq) {
      for (let r = 0; r < Math.min(resources, 3); r++) {
        const id = `${m.id}r${r}`;
        lines.push(`    ${id}: ${m.name}Thing${r}({ path: "C:\\\\fleet\\\\${id}.txt", value: ec2Tag("Name") }${previous ? `, { dependsOn: ["${previous}"] }` : ""}),`);
        previous = id;
      }
    }
    lines.push(`  },`, `});`);
    writeFileSync(join(dir, "configurations", `config${String(c).padStart(3, "0")}.ts`), lines.join("\n") + "\n");
  }
  return { modules: mods.length, files: mods.length + configurations + 1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { modules: { type: "string" }, layers: { type: "string" }, resources: { type: "string" }, configurations: { type: "string" } },
  });
  const dir = positionals[0];
  if (!dir) {
    console.error("usage: node bench/generate.mjs <dir> [--modules N] [--layers L] [--resources M] [--configurations K]");
    process.exit(2);
  }
  const sizes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
  console.log(generate(dir, sizes));
}
