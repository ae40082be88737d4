import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: { root: string; version: string } | undefined;

/** fleetform's own package folder and version (works from compiler/ sources and from lib/). */
export function fleetformPackage(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "fleetform") return (cached = { root: dir, version: pkg.version ?? "0.0.0" });
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find fleetform's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
