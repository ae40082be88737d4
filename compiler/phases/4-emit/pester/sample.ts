// Sample parameter values for generated tests that call a function with its validation in place
// (the DSC resources' *-TargetResource): a value of the parameter's type that passes its
// [ValidatePattern], [ValidateLength], [ValidateRange] and [ValidateSet]. Deterministic, so
// builds stay byte-identical.
//
// A pattern's sample is built from the pattern itself (a small generator for the regular-expression
// syntax authors write: literals, escapes, classes, groups, alternation, quantifiers; lookarounds
// and anchors produce nothing) and then checked with the real RegExp, which also decides between
// the generator's few variants (letters first, digits first, one more repetition).
import type * as ir from "../../3-lower/ir.js";
import { printExpr, quoteNumber, quoteString } from "../powershell/quote.js";

/** A sample as a PowerShell expression; undefined when no value satisfying the pattern was found. */
export function sampleArgument(p: ir.Param): string | undefined {
  return sampleFor(p.type, p.name);
}

function sampleFor(type: ir.Type, name: string): string | undefined {
  switch (type.kind) {
    case "string": {
      const value = sampleString(type, name);
      return value === undefined ? undefined : quoteString(value);
    }
    case "script":
    case "secret":
      return quoteString(`sample-${name}`);
    case "credential":
      return "(New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList ('sample-user', (ConvertTo-SecureString -String 'sample-password' -AsPlainText -Force)))";
    case "int":
      return quoteNumber(sampleInt(type));
    case "bool":
      return printExpr({ kind: "boolean", value: true });
    case "enum":
      return quoteString(type.values[0] ?? "");
    case "array": {
      const item = sampleFor(type.items, name);
      return item === undefined ? undefined : `@(${item})`;
    }
    case "map":
      // DSC passes hashtables as MSFT_KeyValuePair CimInstance arrays, which cannot be created
      // without libmi (on the Linux build host): no sample.
      return undefined;
  }
}

function sampleInt(type: { readonly min?: number; readonly max?: number }): number {
  const min = type.min ?? -2147483648;
  const max = type.max ?? 2147483647;
  return 1 >= min && 1 <= max ? 1 : min;
}

const FLAGS: Readonly<Record<string, string>> = { IgnoreCase: "i", Multiline: "m", Singleline: "s" };

function sampleString(type: Extract<ir.Type, { kind: "string" }>, name: string): string | undefined {
  const min = type.minLength ?? 0;
  const max = type.maxLength ?? Number.MAX_SAFE_INTEGER;
  const fits = (s: string): boolean => s.length >= min && s.length <= max;
  if (!type.pattern) {
    let s = `sample-${name}`;
    if (s.length > max) s = s.slice(0, max);
    while (s.length < min) s += "x";
    return s;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(type.pattern.source, type.pattern.options.map((o) => FLAGS[o] ?? "").join(""));
  } catch {
    return undefined;
  }
  for (const candidate of patternCandidates(type.pattern.source)) {
    if (fits(candidate) && regex.test(candidate)) return candidate;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The generator

type Atom = { readonly kind: "chars"; readonly set: CharSet } | { readonly kind: "group"; readonly alternatives: Sequence[] } | { readonly kind: "nothing" };
interface Term {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Sequence = readonly Term[];

/** Which characters a class (or an escape, or `.`) matches. */
interface CharSet {
  readonly negated: boolean;
  readonly ranges: readonly (readonly [number, number])[];
}

const DIGITS: CharSet = { negated: false, ranges: [[0x30, 0x39]] };
const WORD: CharSet = { negated: false, ranges: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]] };
const SPACE: CharSet = { negated: false, ranges: [[0x09, 0x0d], [0x20, 0x20]] };
const ANY: CharSet = { negated: true, ranges: [[0x0a, 0x0a], [0x0d, 0x0d]] };
const negate = (s: CharSet): CharSet => ({ negated: !s.negated, ranges: s.ranges });
const single = (code: number): CharSet => ({ negated: false, ranges: [[code, code]] });

/** Characters tried for a class, in order of preference, per variant. */
const PREFERENCES = [
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890-_.:\\/ ",
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890-_.:\\/ ",
  "1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:\\/ ",
];
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("");

function pick(set: CharSet, preference: string): string | undefined {
  const inSet = (c: string): boolean => set.ranges.some(([lo, hi]) => c.charCodeAt(0) >= lo && c.charCodeAt(0) <= hi) !== set.negated;
  for (const c of preference + PRINTABLE) if (inSet(c)) return c;
  if (!set.negated) return set.ranges[0] ? String.fromCharCode(set.ranges[0][0]) : undefined;
  return undefined;
}

/** Sample strings for a pattern, best first; every one still has to be checked against the RegExp. */
function patternCandidates(source: string): string[] {
  let parsed: Sequence[];
  try {
    parsed = new PatternParser(source).parse();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const extra of [0, 1]) {
    for (const preference of PREFERENCES) {
      for (const s of generate(parsed, preference, extra)) if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

/** One string per top-level alternative (nested alternatives take their first branch). */
function generate(alternatives: readonly Sequence[], preference: string, extra: number): string[] {
  return alternatives.flatMap((seq) => {
    const s = sequence(seq, preference, extra);
    return s === undefined ? [] : [s];
  });
}

function sequence(seq: Sequence, preference: string, extra: number): string | undefined {
  let out = "";
  for (const term of seq) {
    const count = Math.min(term.min + (term.max > term.min ? extra : 0), term.max);
    for (let i = 0; i < count; i++) {
      const piece = atom(term.atom, preference, extra);
      if (piece === undefined) return undefined;
      out += piece;
    }
  }
  return out;
}

function atom(a: Atom, preference: string, extra: number): string | undefined {
  switch (a.kind) {
    case "nothing":
      return "";
    case "chars":
      return pick(a.set, preference);
    case "group":
      for (const seq of a.alternatives) {
        const s = sequence(seq, preference, extra);
        if (s !== undefined) return s;
      }
      return undefined;
  }
}

/** A recursive-descent parser for the pattern syntax the generator understands; throws on anything else. */
class PatternParser {
  #pos = 0;
  constructor(private readonly source: string) {}

  parse(): Sequence[] {
    const alternatives = this.alternatives();
    if (this.#pos < this.source.length) throw new Error(`unexpected ${this.source[this.#pos]}`);
    return alternatives;
  }

  private peek(): string | undefined {
    return this.source[this.#pos];
  }

  private alternatives(): Sequence[] {
    const out: Sequence[] = [this.sequence()];
    while (this.peek() === "|") {
      this.#pos++;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): Sequence {
    const terms: Term[] = [];
    while (this.#pos < this.source.length && this.peek() !== "|" && this.peek() !== ")") {
      const a = this.atom();
      const [min, max] = this.quantifier();
      terms.push({ atom: a, min, max });
    }
    return terms;
  }

  private quantifier(): [number, number] {
    const ch = this.peek();
    let range: [number, number] = [1, 1];
    if (ch === "*") range = [0, Infinity];
    else if (ch === "+") range = [1, Infinity];
    else if (ch === "?") range = [0, 1];
    else if (ch === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.#pos));
      if (!m) return range;
      this.#pos += m[0].length;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === "" ? Infinity : Number(m[3]);
      if (this.peek() === "?") this.#pos++;
      return [lo, hi];
    } else return range;
    this.#pos++;
    if (this.peek() === "?") this.#pos++;
    return range;
  }

  private atom(): Atom {
    const ch = this.source[this.#pos++]!;
    switch (ch) {
      case "^":
      case "$":
        return { kind: "nothing" };
      case ".":
        return { kind: "chars", set: ANY };
      case "[":
        return { kind: "chars", set: this.charClass() };
      case "(":
        return this.group();
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
      case "{":
        throw new Error(`nothing to repeat at ${this.#pos}`);
      default:
        return { kind: "chars", set: single(ch.charCodeAt(0)) };
    }
  }

  private group(): Atom {
    let lookaround = false;
    if (this.peek() === "?") {
      const rest = this.source.slice(this.#pos);
      if (rest.startsWith("?:")) this.#pos += 2;
      else if (/^\?<?[=!]/.test(rest)) {
        lookaround = true;
        this.#pos += rest[1] === "<" ? 3 : 2;
      } else {
        const named = /^\?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
        if (!named) throw new Error("unsupported group");
        this.#pos += named[0].length;
      }
    }
    const alternatives = this.alternatives();
    if (this.source[this.#pos++] !== ")") throw new Error("unterminated group");
    return lookaround ? { kind: "nothing" } : { kind: "group", alternatives };
  }

  /** An escape outside a class. */
  private escape(): Atom {
    const ch = this.source[this.#pos] ?? "";
    if (ch === "b" || ch === "B") {
      this.#pos++;
      return { kind: "nothing" };
    }
    if (/[1-9]/.test(ch)) throw new Error("backreferences are not supported");
    return { kind: "chars", set: this.escapedSet() };
  }

  /** The set of an escape (`\d`, `\x41`, `\.` ...), after the backslash. */
  private escapedSet(): CharSet {
    const ch = this.source[this.#pos++];
    if (ch === undefined) throw new Error("trailing backslash");
    switch (ch) {
      case "d":
        return DIGITS;
      case "D":
        return negate(DIGITS);
      case "w":
        return WORD;
      case "W":
        return negate(WORD);
      case "s":
        return SPACE;
      case "S":
        return negate(SPACE);
      case "n":
        return single(0x0a);
      case "r":
        return single(0x0d);
      case "t":
        return single(0x09);
      case "f":
        return single(0x0c);
      case "v":
        return single(0x0b);
      case "0":
        return single(0);
      case "x":
      case "u": {
        const digits = ch === "x" ? 2 : 4;
        const hex = this.source.slice(this.#pos, this.#pos + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw new Error(`bad \\${ch} escape`);
        this.#pos += digits;
        return single(parseInt(hex, 16));
      }
      default:
        if (/[A-Za-z]/.test(ch)) throw new Error(`unsupported escape \\${ch}`);
        return single(ch.charCodeAt(0));
    }
  }

  private charClass(): CharSet {
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.#pos++;
    }
    const ranges: [number, number][] = [];
    const nested: CharSet[] = [];
    while (this.peek() !== "]") {
      if (this.#pos >= this.source.length) throw new Error("unterminated class");
      const lo = this.classChar();
      if (typeof lo !== "number") {
        nested.push(lo);
        continue;
      }
      if (this.peek() === "-" && this.source[this.#pos + 1] !== "]" && this.#pos + 1 < this.source.length) {
        this.#pos++;
        const hi = this.classChar();
        if (typeof hi !== "number" || hi < lo) throw new Error("bad range");
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    this.#pos++;
    for (const n of nested) {
      // \d, \w, \s inside a class; their negations are only supported on their own.
      if (n.negated) {
        if (ranges.length > 0 || nested.length > 1) throw new Error("negated escape inside a class");
        return negated ? negate(n) : n;
      }
      ranges.push(...n.ranges.map(([a, b]) => [a, b] as [number, number]));
    }
    return { negated, ranges };
  }

  /** One character of a class (a code), or the set of a class escape like `\d`. */
  private classChar(): number | CharSet {
    const ch = this.source[this.#pos++]!;
    if (ch !== "\\") return ch.charCodeAt(0);
    if (this.peek() === "b") {
      this.#pos++;
      return 0x08;
    }
    const set = this.escapedSet();
    return !set.negated && set.ranges.length === 1 && set.ranges[0]![0] === set.ranges[0]![1] ? set.ranges[0]![0] : set;
  }
}
