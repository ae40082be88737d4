#!/usr/bin/env node
// Installs what this repository's PowerShell tests need, from NuGet only, with the same code as
// `fleetform setup` (compiler/powershell/setup.ts, built into lib/ by `npm run build`):
//   - PowerShell 7.6.9 as a dotnet local tool (manifest .tools/dotnet-tools.json), always from NuGet
//     so that the tests run the pinned version whatever pwsh the machine has; precompiled (a copy in
//     .tools/powershell/7.6.9) also under CI: the tests start pwsh hundreds of times
//   - Pester 5.7.1 (restored by the NuGet client, then laid out as a module folder in .tools/modules)
// and writes .tools/pwsh.json, which test/helpers/pwsh.ts reads (and `fleetform` in this checkout).
// Idempotent and quick when everything is already there. With CI=true any failure exits 1;
// locally it exits 0 with a loud warning so `npm test` can still run the non-PowerShell suites
// (the PowerShell suites then fail, they do not skip silently).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ci = process.env.CI === "true" || process.env.CI === "1";

function fail(message) {
  const text = `setup-pwsh: ${message}`;
  if (ci) {
    console.error(text);
    process.exit(1);
  }
  console.warn(`\n!!! ${text}\n!!! PowerShell-based tests will fail until this is fixed.\n`);
  process.exit(0);
}

const shared = join(root, "lib", "compiler", "powershell", "setup.js");
if (!existsSync(shared)) fail("lib/ is not built: run `npm run build` first (npm test does).");
const { setupTools, SetupError } = await import(pathToFileURL(shared).href);
try {
  setupTools({ dir: join(root, ".tools"), precompile: true, log: (line) => console.log(`setup-pwsh: ${line}`) });
} catch (e) {
  if (!(e instanceof SetupError)) throw e;
  fail(e.message);
}
