// An internal error (a bug in fleetform, or a broken installation) as one FF9001 diagnostic: what
// went wrong and where in fleetform's code it was thrown, never a stack trace (nor an absolute path).
import { fileURLToPath } from "node:url";
import { PackageIncomplete, packageRelative } from "../util/package.js";
import type { Diagnostic } from "./diagnostic.js";
import { diag } from "./messages.js";

export function internalError(e: unknown): Diagnostic {
  if (e instanceof PackageIncomplete) return diag("InternalError", { message: e.message });
  const error = e instanceof Error ? e : new Error(String(e));
  const where = thrownAt(error);
  return diag("InternalError", { message: `${error.message.trim() || error.name}${where ? ` (in fleetform's ${where}; please report it)` : ""}` });
}

/** Where fleetform's own code is, package-relative: built (lib/) or run from source (vitest). */
const OWN_CODE = /^(lib\/)?(compiler|stdlib|bin)\//;

/**
 * The innermost frame of the stack that is fleetform's own code, package-relative
 * ("lib/compiler/watch.js:12"): not Node.js's, a dependency's, nor the author's (a config repo
 * may live anywhere, inside fleetform's folder too).
 */
export function thrownAt(error: Error): string | undefined {
  if (packageRelative(".") === undefined) return undefined;
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (!m || !line.trim().startsWith("at ")) continue;
    let file = m[1]!;
    try {
      if (file.startsWith("file://")) file = fileURLToPath(file);
    } catch {
      continue;
    }
    const rel = packageRelative(file);
    if (rel === undefined || !OWN_CODE.test(rel) || rel.split("/").includes("node_modules")) continue;
    return `${rel}:${m[2]}`;
  }
  return undefined;
}
