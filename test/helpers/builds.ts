// What two builds are compared by: whether they passed, their diagnostics (code, place, message)
// and every file's bytes. A build that reuses the last one's work (watch) must equal one from scratch.
import type { CompileResult } from "../../lib/compiler/driver/compile.js";

export function buildSummary(r: CompileResult): { ok: boolean; diagnostics: string[]; files: [string, string][] } {
  return {
    ok: r.ok,
    diagnostics: r.diagnostics.map((d) => `${d.code} ${d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}` : "-"} ${d.message}`),
    files: r.files.map((f) => [f.path, Buffer.from(typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content).toString("base64")]),
  };
}
