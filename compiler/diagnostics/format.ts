import { counted, LineIndex } from "../util/text.js";
import { shown } from "../util/names.js";
import type { Diagnostic, Span } from "./diagnostic.js";

export type SourceLookup = (file: string) => string | undefined;

function location(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}

/** Two lines of context, line numbers, and a caret run under the span (first line of it). */
export function codeFrame(text: string, span: Span): string {
  const index = new LineIndex(text);
  const first = Math.max(1, span.start.line - 2);
  const last = Math.min(index.lineCount, span.start.line);
  const width = String(last).length;
  const out: string[] = [];
  for (let line = first; line <= last; line++) {
    const content = index.lineText(line).replace(/\t/g, " ");
    out.push(`  ${String(line).padStart(width)} | ${content}`.trimEnd());
    if (line === span.start.line) {
      const endColumn = span.end.line === line ? span.end.column : content.length + 1;
      const length = Math.max(1, endColumn - span.start.column);
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(span.start.column - 1)}${"^".repeat(length)}`);
    }
  }
  return out.join("\n");
}

export function formatDiagnostic(d: Diagnostic, sources: SourceLookup): string {
  // (a message quotes values: their line breaks and control characters are shown escaped, so a
  // value cannot start a line that looks like a diagnostic of its own)
  const head = `${d.span ? location(d.span) + ": " : ""}${d.severity} ${d.code}: ${shown(d.message)}`;
  const parts = [head];
  if (d.span) {
    const text = sources(d.span.file);
    if (text !== undefined) parts.push(codeFrame(text, d.span));
  }
  for (const note of d.notes ?? []) {
    parts.push(`  note: ${note.span ? location(note.span) + ": " : ""}${shown(note.message)}`);
  }
  return parts.join("\n");
}

/** Formats sorted diagnostics, one blank line apart, with a closing count line. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: SourceLookup): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const infos = diagnostics.filter((d) => d.severity === "info").length;
  const warnings = diagnostics.length - errors - infos;
  const summary = [errors ? counted(errors, "error") : "", warnings ? counted(warnings, "warning") : "", infos ? `${infos} not checked` : ""]
    .filter(Boolean)
    .join(", ");
  return diagnostics.map((d) => formatDiagnostic(d, sources)).join("\n\n") + `\n\n${summary}\n`;
}
