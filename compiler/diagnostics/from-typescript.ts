import { LineIndex } from "../util/text.js";
import type { Diagnostic } from "./diagnostic.js";

export interface TypeScriptMessage {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly category: "error" | "warning";
  readonly message: string;
  /** The file's text, to underline the whole token at the position. */
  readonly text?: string;
}

/** A TypeScript diagnostic in fleetform's shape; the code stays "TS2322". */
export function fromTypeScript(m: TypeScriptMessage): Diagnostic {
  let end = { line: m.line, column: m.column + 1 };
  if (m.text !== undefined) {
    const index = new LineIndex(m.text);
    const start = index.offset(m.line, m.column);
    let stop = start;
    if (/["'`]/.test(m.text[start] ?? "")) {
      const quote = m.text[start]!;
      stop = start + 1;
      while (stop < m.text.length && m.text[stop] !== quote && m.text[stop] !== "\n") stop++;
      stop++;
    } else {
      while (stop < m.text.length && /[\w$]/.test(m.text[stop]!)) stop++;
    }
    if (stop === start) stop = start + 1;
    end = index.position(stop);
  }
  const [first, ...rest] = m.message.split("\n");
  return {
    code: `TS${m.code}`,
    severity: m.category,
    message: first!,
    span: { file: m.file, start: { line: m.line, column: m.column }, end },
    ...(rest.length > 0 ? { notes: rest.map((r) => ({ message: r.trim() })) } : {}),
  };
}

/**
 * One mistake, one diagnostic: after a syntax error TypeScript's parser recovers as it can, and what
 * it reports further on in that file (more syntax errors, and type errors of code it misread) is
 * mostly the first error again. So a file with a syntax error (TS1xxx) keeps that first one only;
 * the rest show once it is fixed. When the first is just after a backtick that ends a ps`...`
 * template early (PowerShell's escape character, `e or a line continuation, written as it is), a
 * note points at that backtick.
 */
export function firstSyntaxErrors(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): Diagnostic[] {
  const first = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    if (d.span && d.severity === "error" && /^TS1\d{3}$/.test(d.code) && !first.has(d.span.file)) first.set(d.span.file, d);
  }
  if (first.size === 0) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const kept = d.span ? first.get(d.span.file) : undefined;
    if (kept === undefined) out.push(d);
    else if (kept === d) out.push(withBacktickNote(d, sources.get(d.span!.file)));
  }
  return out;
}

/** `d` with a note at the backtick that ended the ps`...` template before it, if one did (see firstSyntaxErrors). */
function withBacktickNote(d: Diagnostic, text: string | undefined): Diagnostic {
  if (text === undefined || !d.span) return d;
  const index = new LineIndex(text);
  const at = index.offset(d.span.start.line, d.span.start.column);
  // The last ps` template opened before the error, and where it ends as JavaScript reads it.
  let open = -1;
  for (const m of text.slice(0, at).matchAll(/\bps`/g)) open = m.index! + 2;
  if (open < 0) return d;
  let end = -1;
  let depth = 0;
  for (let i = open + 1; i < at; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (depth === 0 && c === "$" && text[i + 1] === "{") {
      depth = 1;
      i++;
    } else if (depth > 0 && c === "{") depth++;
    else if (depth > 0 && c === "}") depth--;
    else if (depth === 0 && c === "`") {
      end = i;
      break;
    }
  }
  // Only a backtick JavaScript cannot go on from (`e, `n, `", `$: a letter, digit, quote or dollar
  // after it), or a line continuation: at the end of its line, the next going on with a parameter
  // or a pipe (a template's own end there is followed by JavaScript); and close to the error.
  if (end < 0 || d.span.start.line - index.position(end).line > 2) return d;
  const escape = /[\w$"'`]/.test(text[end + 1] ?? "");
  const continuation = /^[ \t]*\r?\n[ \t]*[-|]/.test(text.slice(end + 1, end + 200));
  if (!escape && !continuation) return d;
  const start = index.position(end);
  const opened = index.position(open);
  const note = {
    message: `this backtick ends the ps\`...\` template opened at line ${opened.line}; PowerShell's backtick is written \\\` inside it`,
    span: { file: d.span.file, start, end: { line: start.line, column: start.column + 1 } },
  };
  return { ...d, notes: [...(d.notes ?? []), note] };
}
