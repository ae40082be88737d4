// Secrets written by mistake stay out of what fleetform prints. A diagnostic that rejects a value
// given where a secret belongs (a t.secret()/t.credential() property: fleetform's FF2104, or
// TypeScript's "not assignable to type SecretRef / RuntimeValue<..., true>") points at that value,
// and its code frame would print it, and TypeScript's message may quote it as a literal type. Such a
// value is most likely a real password: the string literal at the diagnostic is starred out in the
// source text the frames are printed from (same length, so every column still lines up), and quoted
// literals in its message and notes are replaced by "***". Other diagnostics (and the sources
// themselves) are left as they are: a value in a non-secret place is not a secret.
import { LineIndex } from "../util/text.js";
import type { Diagnostic, Note } from "./diagnostic.js";
import { messages } from "./messages.js";

/** The secret-typed targets as TypeScript prints them. */
const SECRET_TYPE = /to (?:type|parameter of type) '(?:[^']*\b(?:SecretRef|CredentialRef)\b[^']*|RuntimeValue<[^']*, true>)'/;
/** fleetform's message for a literal in a secret property (compiler/phases/2-check/values.ts). */
const SECRET_PROPERTY = /: a (?:secret|credential) property takes only a reference/;

export function rejectsSecret(d: Diagnostic): boolean {
  if (d.code === messages.PropertyValueInvalid.code) return SECRET_PROPERTY.test(d.message);
  if (d.code.startsWith("TS")) return SECRET_TYPE.test(d.message) || (d.notes ?? []).some((n) => SECRET_TYPE.test(n.message));
  return false;
}

/** A string literal type in a TypeScript message: '"hunter2"' or "'hunter2'" inside the quotes. */
function redactMessage(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '"***"').replace(/`(?:[^`\\]|\\.)*`/g, "`***`");
}

/**
 * The diagnostics with secret literals taken out of their messages, and the source texts with the
 * literals they point at starred out (a copy of the map; the given one is not changed).
 */
export function redactSecrets(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): { diagnostics: Diagnostic[]; sources: ReadonlyMap<string, string> } {
  let copy: Map<string, string> | undefined;
  const out = diagnostics.map((d) => {
    if (!rejectsSecret(d)) return d;
    if (d.span) {
      const text = (copy ?? sources).get(d.span.file);
      if (text !== undefined) {
        const starred = starLiteralAt(text, d.span.start.line, d.span.start.column);
        if (starred !== text) (copy ??= new Map(sources)).set(d.span.file, starred);
      }
    }
    const notes: Note[] | undefined = d.notes?.map((n) => ({ ...n, message: redactMessage(n.message) }));
    return { ...d, message: redactMessage(d.message), ...(notes ? { notes } : {}) };
  });
  return { diagnostics: out, sources: copy ?? sources };
}

/**
 * Stars out the string literal at a position: the one starting there (fleetform points at the
 * value), or the value of the property whose name is there (TypeScript points at `password` in
 * `password: "..."`); every string on the rest of the line up to the end of that expression.
 */
function starLiteralAt(text: string, line: number, column: number): string {
  const index = new LineIndex(text);
  let at = index.offset(line, column);
  // A property name, then `:` (TypeScript's position): move to its value.
  const name = /^(?:[\w$]+|"[^"\n]*"|'[^'\n]*')\??\s*:(?!:)\s*/.exec(text.slice(at, at + 200));
  if (name) at += name[0].length;
  // Every literal of the value: up to a `,` `}` `)` or `]` at its own level, or the end of the line.
  let depth = 0;
  let result = text.slice(0, at);
  let i = at;
  while (i < text.length && text[i] !== "\n") {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      j = Math.min(j, text.length - 1);
      result += c + "*".repeat(Math.max(0, j - i - 1)) + (text[j] === c ? c : text[j] ?? "");
      i = j + 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}" || c === ",") {
      if (depth === 0) break;
      if (c !== ",") depth--;
    }
    result += c;
    i++;
  }
  return result + text.slice(i);
}
