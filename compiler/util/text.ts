/** Offset ↔ line/column (both 1-based) for one text. */
export class LineIndex {
  #found: number[] | undefined;

  constructor(readonly text: string) {}

  /** Where each line starts, found when first asked for (a build makes an index of every source and of the JavaScript it ran, and asks few of them). */
  get #starts(): number[] {
    if (this.#found) return this.#found;
    const starts = [0];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    return (this.#found = starts);
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.#starts[lo]! + 1 };
  }

  offset(line: number, column: number): number {
    const start = this.#starts[Math.min(Math.max(line, 1), this.#starts.length) - 1]!;
    return start + column - 1;
  }

  lineText(line: number): string {
    const start = this.#starts[line - 1];
    if (start === undefined) return "";
    const next = this.#starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, "");
  }
}

/** A count and its noun, the noun in the plural unless the count is 1: "1 module", "2 modules". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Removes the indentation common to all non-blank lines, and leading/trailing blank lines. */
export function dedent(text: string): string {
  const { lines, cut } = dedentShape(text);
  return lines.map((l) => (l.trim() === "" ? "" : l.slice(cut))).join("\n");
}

/**
 * What dedent does to a text: its lines (LF) less the blank ones at the start (`leading` of them)
 * and at the end, and the length of the whitespace prefix common to the non-blank ones (`cut`).
 */
export function dedentShape(text: string): { readonly lines: string[]; readonly leading: number; readonly cut: number } {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let leading = 0;
  while (lines.length > 0 && lines[0]!.trim() === "") {
    lines.shift();
    leading++;
  }
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  // The longest whitespace prefix common to all non-blank lines (a tab and a space differ).
  let prefix: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const own = line.slice(0, line.length - line.trimStart().length);
    if (prefix === undefined) prefix = own;
    else {
      let i = 0;
      while (i < prefix.length && i < own.length && prefix[i] === own[i]) i++;
      prefix = prefix.slice(0, i);
    }
  }
  return { lines, leading, cut: prefix?.length ?? 0 };
}

export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : prefix + l))
    .join("\n");
}

/**
 * Edit distance for "did you mean" notes: insertions, deletions, substitutions and swaps of two
 * neighbouring characters (the commonest typo: `nmae`) each count 1 (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the one before the last is for swaps.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length]!;
}

/** The closest candidate within a third of the name's length, if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Text for one line of a `#` comment (the only way text gets into one): every line break PowerShell,
 * YAML or an editor honours, and every other control character but TAB, becomes a space, so the
 * text cannot end the comment and start code.
 */
export function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/\r\n|[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g, " ");
}

/** @deprecated the same as commentText. */
export const oneLine = commentText;

declare global {
  // ES2024's well-formed string methods: Node.js 20 has them (V8 11.3); TypeScript's ES2023 lib,
  // which this package compiles against so that nothing newer than Node.js 20 slips in, does not.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** The first lone surrogate of a text (half of a UTF-16 pair without its other half), if any. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where a text holds a lone surrogate: no UTF-8 file (or JSON a UTF-8 reader takes) can hold one, so
 * a file written from it gets U+FFFD in its place. 1-based line and column; undefined for
 * well-formed text.
 */
export function loneSurrogate(text: string): { line: number; column: number; unit: string } | undefined {
  if (text.isWellFormed()) return undefined;
  const at = LONE_SURROGATE.exec(text)!.index;
  return { ...new LineIndex(text).position(at), unit: `U+${text.charCodeAt(at).toString(16).toUpperCase()}` };
}
