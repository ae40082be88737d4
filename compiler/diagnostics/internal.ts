// An internal error (a bug in fleetform, or a broken installation) as one FF9001 diagnostic: what
// went wrong and where in fleetform's code it was thrown, never a stack trace (nor an absolute path).
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { fleetformPackage, PackageIncomplete } from "../util/package.js";
import type { Diagnostic } from "./diagnostic.js";
import { diag } from "./messages.js";

export function internalError(e: unknown): Diagnostic {
  if (e instanceof PackageIncomplete) return diag("InternalError", { message: e.message });
  const error = e instanceof Error ? e : new Error(String(e));
  const where = thrownAt(error);
  return diag("InternalError", { message: `${error.message.trim() || error.name}${where ? ` (in fleetform's ${where}; please report it)` : ""}` });
}

/** The innermost frame of the stack that is fleetform's own code, package-relative ("lib/compiler/watch.js:12"). */
export function thrownAt(error: Error): string | undefined {
  let root: string;
  try {
    root = fleetformPackage().root;
  } catch {
    return undefined;
  }
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (!m || !line.trim().startsWith("at ")) continue;
    let file = m[1]!;
    try {
      if (file.startsWith("file://")) file = fileURLToPath(file);
    } catch {
      continue;
    }
    const rel = relative(root, file);
    if (rel === "" || rel.startsWith("..") || rel.split(sep).includes("node_modules") || rel === file) continue;
    return `${rel.split(sep).join("/")}:${m[2]}`;
  }
  return undefined;
}
