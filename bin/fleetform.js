#!/usr/bin/env node
// fleetform's command line. The compiler is TypeScript compiled to lib/ by `npm run build`
// (published packages ship lib/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../lib/compiler/cli/index.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("fleetform: lib/ is missing; run `npm run build` in the fleetform checkout first\n");
  process.exit(3);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
