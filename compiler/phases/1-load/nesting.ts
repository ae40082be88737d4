// Nesting limits: TypeScript's parser, the walks over its trees and the lowering of fragments
// recurse per level, so a text nested deeper than any real one is refused before anything walks it.

/** Levels of brackets a source, a value or a fragment may nest (real ones stay below 20). */
export const MAX_NESTING = 200;

/**
 * The offset of the first bracket ((, [, { or a template's ${) opened deeper than `limit` levels,
 * outside strings, comments and template text; undefined when there is none. A scan, not a parse:
 * a regular expression literal counts its brackets too, which only errs towards refusing.
 */
export function nestingBeyond(text: string, limit: number): number | undefined {
  // The stack of what is open: "(" "[" "{", "${" (a template substitution, closed by "}").
  const open: string[] = [];
  let i = 0;
  const n = text.length;
  const inTemplate = (): void => {
    // In template text: up to the closing backtick, or into a substitution.
    while (i < n) {
      const c = text[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && text[i + 1] === "{") {
        open.push("${");
        i += 2;
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "`") {
      i++;
      inTemplate();
      // (just past a "${" that opened one level too many)
      if (open.length > limit) return i - 2;
    } else if (c === "(" || c === "[" || c === "{") {
      open.push(c);
      if (open.length > limit) return i;
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      const top = open.pop();
      i++;
      if (top === "${") {
        inTemplate();
        if (open.length > limit) return i - 2;
      }
    } else i++;
  }
  return undefined;
}
