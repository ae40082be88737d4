import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fleetformPackage } from "../util/package.js";
import { initFiles } from "./templates.js";

/** Writes a new config repo into dir (which must be missing or empty). Returns the files written, or a problem. */
export function init(dir: string): { files: string[] } | { problem: string } {
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) return { problem: `${root} is not empty; fleetform init writes a new config repo into an empty folder` };
  const name = basename(root).toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "") || "fleet-config";
  const files = initFiles(name, fleetformPackage().version);
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, "utf8");
  }
  return { files: Object.keys(files).sort() };
}
