// A source map reader, just enough to map positions in JavaScript that fleetform transpiled
// back to the author's TypeScript (stack frames of evaluation errors and of authoring calls).
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** A base64 digit's value by its character code (-1: not a digit). */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;
const SEMICOLON = 59;
const COMMA = 44;

/** [generatedColumn, sourceLine, sourceColumn], all 0-based, sorted by generated column. */
type Segment = readonly [number, number, number];

export class SourceMap {
  #lines: Segment[][] | undefined;
  /** A source map's JSON text, read when a position is first asked for (lazy()). */
  #json: string | undefined;

  constructor(mappings: string) {
    this.#lines = parseMappings(mappings);
  }

  /**
   * The map of a source map's JSON text (esbuild's), read when a position is first asked for: a
   * build evaluates every source, but maps positions in few of them (an error's stack, the sites
   * of authoring calls whose spans are not kept).
   */
  static lazy(json: string): SourceMap {
    const map = new SourceMap("");
    map.#lines = undefined;
    map.#json = json;
    return map;
  }

  #segments(): Segment[][] {
    if (!this.#lines) {
      const { mappings } = JSON.parse(this.#json || '{"mappings":""}') as { mappings: string };
      this.#lines = parseMappings(mappings);
      this.#json = undefined;
    }
    return this.#lines;
  }

  /**
   * Maps a 1-based generated line/column to the 1-based original position of the mapping segment
   * that covers it (where that segment starts in the source).
   */
  original(line: number, column: number): { line: number; column: number } | undefined {
    const s = this.segment(line, column);
    return s ? { line: s.line, column: s.column } : undefined;
  }

  /** The covering segment: its source position and where it starts in the generated line (all 1-based). */
  segment(line: number, column: number): { line: number; column: number; generatedColumn: number } | undefined {
    const segments = this.#segments()[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let best: Segment = segments[0]!;
    for (const segment of segments) {
      if (segment[0] <= column - 1) best = segment;
      else break;
    }
    return { line: best[1] + 1, column: best[2] + 1, generatedColumn: best[0] + 1 };
  }
}

/**
 * The segments of each generated line of a source map's `mappings`: one pass over the text, a
 * character code at a time (splitting it into lines, segments and arrays of fields cost about
 * twice as much).
 */
function parseMappings(mappings: string): Segment[][] {
  let line: Segment[] = [];
  const lines: Segment[][] = [line];
  let generatedColumn = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  // The fields of the segment being read (a segment has 1, 4 or 5), and the value being read.
  const fields = [0, 0, 0, 0, 0];
  let count = 0;
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (count === 0) return;
    generatedColumn += fields[0]!;
    if (count >= 4) {
      sourceLine += fields[2]!;
      sourceColumn += fields[3]!;
      line.push([generatedColumn, sourceLine, sourceColumn]);
    }
    count = 0;
  };
  for (let i = 0; i < mappings.length; i++) {
    const code = mappings.charCodeAt(i);
    if (code === SEMICOLON || code === COMMA) {
      endSegment();
      // (a value left unfinished at the end of a segment is dropped, as the segment is)
      value = 0;
      shift = 0;
      if (code === SEMICOLON) {
        line = [];
        lines.push(line);
        generatedColumn = 0;
      }
      continue;
    }
    const digit = code < 128 ? DIGIT[code]! : -1;
    if (digit < 0) throw new Error(`invalid base64 VLQ character '${String.fromCodePoint(mappings.codePointAt(i)!)}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      const decoded = value & 1 ? -(value >>> 1) : value >>> 1;
      if (count < fields.length) fields[count] = decoded;
      count++;
      value = 0;
      shift = 0;
    }
  }
  endSegment();
  return lines;
}
