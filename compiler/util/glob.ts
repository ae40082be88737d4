import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Files under `root` matching a glob with `*`, `?` and `**` segments (forward slashes). Sorted. */
export function glob(root: string, pattern: string): string[] {
  const segments = pattern.split("/").filter((s) => s !== "" && s !== ".");
  const out = new Set<string>();
  walk(root, "", segments, out);
  return [...out].sort();
}

const SKIP = new Set(["node_modules", ".git"]);

function toRegExp(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`);
}

function walk(dir: string, rel: string, segments: readonly string[], out: Set<string>): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (head === "**") {
    if (rest.length === 0) {
      // A trailing ** matches every file below.
      for (const e of entries) {
        if (SKIP.has(e.name)) continue;
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isFile()) out.add(childRel);
        else if (e.isDirectory()) walk(join(dir, e.name), childRel, segments, out);
      }
      return;
    }
    walk(dir, rel, rest, out);
    for (const e of entries) {
      if (e.isDirectory() && !SKIP.has(e.name)) walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name, segments, out);
    }
    return;
  }
  const re = toRegExp(head);
  for (const e of entries) {
    if (!re.test(e.name) || SKIP.has(e.name)) continue;
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (rest.length === 0) {
      if (e.isFile()) out.add(childRel);
    } else if (e.isDirectory()) {
      walk(join(dir, e.name), childRel, rest, out);
    }
  }
}
