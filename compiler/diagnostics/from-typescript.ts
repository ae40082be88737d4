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

