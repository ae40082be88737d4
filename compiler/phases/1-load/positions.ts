// Positions in the JavaScript that ran (stack frames, recorded authoring-call sites) mapped back to
// the author's TypeScript through the source map made when the file was transpiled.
import type { Span } from "../../diagnostics/diagnostic.js";
import type { SourceText } from "./sources.js";

export class Positions {
  constructor(private readonly sources: ReadonlyMap<string, SourceText>) {}

  /** The span of the token at a generated position (1-based line and column) of an evaluated file. */
  spanAt(file: string, line: number, column: number): Span | undefined {
    const source = this.sources.get(file);
    if (!source) return undefined;
    const pos = this.original(source, line - 1, column);
    if (!pos) return undefined;
    let offset = source.lines.offset(pos.line, pos.column);
    // V8 places a failed property access on a call's result at the `.` (or `?.`): the name after it is what failed.
    const member = /^\??\.\s*(?=[A-Za-z_$])/.exec(source.text.slice(offset, offset + 40));
    if (member) offset += member[0].length;
    const start = source.lines.position(offset);
    let end = offset;
    while (end < source.text.length && /[\w$]/.test(source.text[end]!)) end++;
    if (end === offset) end = offset + 1;
    return { file: source.rel, start, end: source.lines.position(end) };
  }

  /** The span of the innermost author frame of an error's stack. */
  spanOfError(error: unknown): Span | undefined {
    const stack = error instanceof Error ? error.stack ?? "" : "";
    for (const line of stack.split("\n").slice(1)) {
      const frame = this.#frame(line);
      const span = frame && this.spanAt(frame.file, frame.line, frame.column);
      if (span) return span;
    }
    return undefined;
  }

  /**
   * A generated position (0-based line, 1-based column) in the TypeScript source. Inside a mapping
   * segment the offset carries over only where the generated text is the source text (erased `!`
   * aside); where TypeScript rewrote it (`exports.x`, `mod_1.f`) the token at the position is looked
   * up in the source line instead.
   */
  original(source: SourceText, line: number, column: number): { line: number; column: number } | undefined {
    const s = source.map.segment(line, column);
    if (!s) return undefined;
    const delta = column - s.generatedColumn;
    if (delta <= 0 || !source.js) return { line: s.line, column: s.column };
    const generated = source.js.lineText(line);
    const original = source.lines.lineText(s.line);
    // Walk both texts from the segment's start while they agree, stepping over the non-null
    // assertions (`x!.y`) the transpiler erased.
    let g = s.generatedColumn - 1;
    let o = s.column - 1;
    while (g < column - 1 && o < original.length) {
      if (generated[g] === original[o]) {
        g++;
        o++;
      } else if (original[o] === "!" && original[o + 1] !== "=" && o > 0 && /[\w$)\]!]/.test(original[o - 1]!)) {
        o++;
      } else {
        break;
      }
    }
    if (g === column - 1) return { line: s.line, column: o + 1 };
    const token = /^[\w$]+/.exec(generated.slice(column - 1))?.[0];
    const at = token ? original.indexOf(token, s.column - 1) : -1;
    return { line: s.line, column: at >= 0 ? at + 1 : s.column };
  }

  /**
   * The evaluated file and position of one stack line: `at name (file:line:col)`, or
   * `at file:line:col` for an anonymous function. The file is one of ours, so it is looked up
   * rather than parsed (paths may hold spaces, parentheses and colons).
   */
  #frame(line: string): { file: string; line: number; column: number } | undefined {
    const m = /^\s*at (.*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) return undefined;
    const location = m[1]!;
    for (let at = 0; at >= 0; at = location.indexOf("(", at) + 1 || -1) {
      const file = location.slice(at);
      if (this.sources.has(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
    }
    return undefined;
  }
}
