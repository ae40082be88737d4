// A source map reader, just enough to map positions in JavaScript that fleetform transpiled
// back to the author's TypeScript (stack frames of evaluation errors and of authoring calls).
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i] as const));

/** [generatedColumn, sourceLine, sourceColumn], all 0-based, sorted by generated column. */
type Segment = readonly [number, number, number];

export class SourceMap {
  readonly #lines: Segment[][] = [];

  constructor(mappings: string) {
    let sourceLine = 0;
    let sourceColumn = 0;
    let sourceIndex = 0;
    for (const lineText of mappings.split(";")) {
      const segments: Segment[] = [];
      let generatedColumn = 0;
      for (const segmentText of lineText.split(",")) {
        if (segmentText === "") continue;
        const fields = decodeVlq(segmentText);
        generatedColumn += fields[0] ?? 0;
        if (fields.length >= 4) {
          sourceIndex += fields[1]!;
          sourceLine += fields[2]!;
          sourceColumn += fields[3]!;
          segments.push([generatedColumn, sourceLine, sourceColumn]);
        }
      }
      void sourceIndex;
      this.#lines.push(segments);
    }
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
    const segments = this.#lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let best: Segment = segments[0]!;
    for (const segment of segments) {
      if (segment[0] <= column - 1) best = segment;
      else break;
    }
    return { line: best[1] + 1, column: best[2] + 1, generatedColumn: best[0] + 1 };
  }
}

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`invalid base64 VLQ character '${char}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
