// A JavaScript regular expression (what the build checks literal values with) as a .NET regular
// expression that means the same (what `[ValidatePattern()]` checks run-time values with on
// Windows PowerShell 5.1, .NET Framework 4.x, without RegexOptions.ECMAScript).
//
// The two dialects share their syntax but not their meaning:
// - `$` in .NET also matches before a final "\n" ("web01\n" passes /^[a-z0-9]+$/);
// - `\d`, `\w`, `\s` and `\b` are Unicode-aware in .NET (Arabic-Indic digits, letters of every
//   script, NEL), ASCII (and a fixed space list) in JavaScript;
// - `.` excludes only "\n" in .NET, also "\r", U+2028 and U+2029 in JavaScript (and so do `^`/`$`
//   with the m flag);
// - case-insensitive matching folds by culture in .NET (the Kelvin sign matches "k"), by
//   toUpperCase without crossing into ASCII in JavaScript;
// - escapes such as `\a`, `\e`, `\p` are letters in JavaScript, control characters or Unicode
//   categories in .NET.
// So every character set becomes an explicit list of UTF-16 code units, every anchor an explicit
// lookaround, the i flag is applied by listing both cases, and the pattern runs with
// RegexOptions.None. What cannot be translated (backreferences: .NET treats groups that did not
// take part and case folding differently) is reported instead.

const UNITS = 0x10000;

type CharSet = Uint8Array;

function emptySet(): CharSet {
  return new Uint8Array(UNITS);
}

function addRange(set: CharSet, from: number, to: number): CharSet {
  set.fill(1, from, to + 1);
  return set;
}

function setOf(ranges: readonly (readonly [number, number])[]): CharSet {
  const set = emptySet();
  for (const [a, b] of ranges) addRange(set, a, b);
  return set;
}

function complement(set: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < UNITS; i++) out[i] = set[i] ? 0 : 1;
  return out;
}

function union(into: CharSet, other: CharSet): CharSet {
  for (let i = 0; i < UNITS; i++) if (other[i]) into[i] = 1;
  return into;
}

const DIGITS = setOf([[0x30, 0x39]]);
const WORD = setOf([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** JavaScript's WhiteSpace and LineTerminator code units (ECMA-262, Unicode Zs as of ES2016+). */
const SPACE = setOf([[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]]);
const LINE_TERMINATORS = setOf([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);
const NOT_LINE_TERMINATORS = complement(LINE_TERMINATORS);
const ALL = setOf([[0, UNITS - 1]]);

let canonicalTable: Uint16Array | undefined;
/** JavaScript's Canonicalize(ch) for a non-Unicode, case-insensitive pattern (ECMA-262 22.2.2.7.3). */
function canonical(): Uint16Array {
  if (canonicalTable) return canonicalTable;
  const table = new Uint16Array(UNITS);
  for (let ch = 0; ch < UNITS; ch++) {
    const upper = String.fromCharCode(ch).toUpperCase();
    const cu = upper.length === 1 ? upper.charCodeAt(0) : ch;
    table[ch] = ch >= 128 && cu < 128 ? ch : cu;
  }
  return (canonicalTable = table);
}

/**
 * `text` with each code unit in its canonical case (canonical() above: its simple upper case when
 * that is one unit, and not an ASCII one for a non-ASCII unit). Two strings equal in this form are
 * equal for .NET's StringComparer.OrdinalIgnoreCase too: 'ß' stays (not 'SS'), 'ς' and 'σ' are
 * both 'Σ', and 'ı' and 'ſ' stay (.NET's invariant casing leaves them apart from 'I' and 'S').
 */
export function canonicalCase(text: string): string {
  const canon = canonical();
  let out = "";
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(canon[text.charCodeAt(i)]!);
  return out;
}

/** The code units a case-insensitive JavaScript pattern matches for `set`: those with the same canonical form. */
function caseFold(set: CharSet): CharSet {
  const canon = canonical();
  const canonicals = emptySet();
  for (let i = 0; i < UNITS; i++) if (set[i]) canonicals[canon[i]!] = 1;
  const out = emptySet();
  for (let i = 0; i < UNITS; i++) if (canonicals[canon[i]!]) out[i] = 1;
  return out;
}

function unit(code: number): string {
  // Letters, digits and printable ASCII punctuation as themselves (readable output), punctuation
  // with a backslash where .NET gives it a meaning (a backslash before punctuation is always the
  // character itself); everything else as \uXXXX.
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return String.fromCharCode(code);
  if (code > 0x20 && code < 0x7f) return `${"\\.$^{}[]()|*+?-#".includes(String.fromCharCode(code)) ? "\\" : ""}${String.fromCharCode(code)}`;
  return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A set as a .NET character class (or a single character, or a pattern that matches nothing). */
function emitSet(set: CharSet): string {
  // (each run of members found by the typed array's own search, not a unit at a time: a set is
  // 65,536 units)
  const ranges: [number, number][] = [];
  for (let i = set.indexOf(1); i >= 0; ) {
    const end = set.indexOf(0, i);
    if (end < 0) {
      ranges.push([i, UNITS - 1]);
      break;
    }
    ranges.push([i, end - 1]);
    i = set.indexOf(1, end);
  }
  if (ranges.length === 0) return "(?!)";
  if (ranges.length === 1 && ranges[0]![0] === ranges[0]![1]) return unit(ranges[0]![0]);
  // A class with more than half of all code units reads (and runs) better negated.
  const size = ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  if (size > UNITS / 2 && size < UNITS) return `[^${emitRanges(complementRanges(ranges))}]`;
  return `[${emitRanges(ranges)}]`;
}

function complementRanges(ranges: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of ranges) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next < UNITS) out.push([next, UNITS - 1]);
  return out;
}

function emitRanges(ranges: readonly [number, number][]): string {
  return ranges.map(([a, b]) => (a === b ? unit(a) : b === a + 1 ? unit(a) + unit(b) : `${unit(a)}-${unit(b)}`)).join("");
}

const WORD_CLASS = "[0-9A-Z\\u005Fa-z]";
const LINE_CLASS = "[\\u000A\\u000D\\u2028\\u2029]";

export type Translation = { readonly ok: true; readonly pattern: string } | { readonly ok: false; readonly problem: string };

class Untranslatable extends Error {}

/**
 * Translates a JavaScript pattern (source and flags, as RegExp has them) into a .NET pattern for
 * RegexOptions.None that accepts exactly the strings the JavaScript one accepts.
 */
export function toDotNetPattern(source: string, flags: string): Translation {
  // A repo repeats a few patterns over many properties (and the check and lowering phases both
  // translate each one): each pattern is translated once per process.
  const key = `${flags}/${source}`;
  let translation = translations.get(key);
  if (translation === undefined) {
    translation = translate(source, flags);
    if (translations.size >= MAX_TRANSLATIONS) translations.delete(translations.keys().next().value!);
    translations.set(key, translation);
  }
  return translation;
}

/** Translations by flags and source (the oldest dropped beyond MAX_TRANSLATIONS). */
const translations = new Map<string, Translation>();
const MAX_TRANSLATIONS = 4096;

function translate(source: string, flags: string): Translation {
  const bad = [...flags].filter((f) => !"ims".includes(f));
  if (bad.length > 0) return { ok: false, problem: `flag${bad.length > 1 ? "s" : ""} ${bad.join("")} ha${bad.length > 1 ? "ve" : "s"} no .NET equivalent (use i, m or s)` };
  try {
    new RegExp(source, flags);
  } catch (e) {
    return { ok: false, problem: `not a valid JavaScript regular expression (${(e as Error).message})` };
  }
  try {
    return { ok: true, pattern: new Translator(source, flags).run() };
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, problem: e.message };
    throw e;
  }
}

class Translator {
  private i = 0;
  private readonly ignoreCase: boolean;
  private readonly multiline: boolean;
  private readonly dotAll: boolean;
  private readonly namedGroups: boolean;

  constructor(
    private readonly src: string,
    flags: string,
  ) {
    this.ignoreCase = flags.includes("i");
    this.multiline = flags.includes("m");
    this.dotAll = flags.includes("s");
    // Annex B: without named groups, \k is the letter k.
    this.namedGroups = /\(\?<(?![=!])/.test(src);
  }

  run(): string {
    const out = this.disjunction();
    if (this.i < this.src.length) throw new Untranslatable(`unexpected '${this.src[this.i]}' at ${this.i}`);
    return out;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.i + offset];
  }

  private set(set: CharSet): string {
    return emitSet(this.ignoreCase ? caseFold(set) : set);
  }

  private disjunction(): string {
    const alternatives = [this.alternative()];
    while (this.peek() === "|") {
      this.i++;
      alternatives.push(this.alternative());
    }
    return alternatives.join("|");
  }

  private alternative(): string {
    let out = "";
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.term();
      out += atom + this.quantifier();
    }
    return out;
  }

  private quantifier(): string {
    const c = this.peek();
    let q = "";
    if (c === "*" || c === "+" || c === "?") {
      q = c;
      this.i++;
    } else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return "";
      q = m[0];
      this.i += m[0].length;
    } else {
      return "";
    }
    if (this.peek() === "?") {
      q += "?";
      this.i++;
    }
    return q;
  }

  private term(): string {
    const c = this.peek()!;
    switch (c) {
      case "^":
        this.i++;
        return this.multiline ? `(?<=${LINE_CLASS}|\\A)` : "\\A";
      case "$":
        this.i++;
        return this.multiline ? `(?=${LINE_CLASS}|\\z)` : "\\z";
      case ".":
        this.i++;
        return this.set(this.dotAll ? ALL : NOT_LINE_TERMINATORS);
      case "(":
        return this.group();
      case "[":
        return this.set(this.characterClass());
      case "\\":
        return this.atomEscape();
      default:
        this.i++;
        // A `{` that is not a quantifier, `}` and `]` are characters (Annex B), like any other.
        // (one code unit, case-sensitive: the unit itself, as emitSet writes a set of one)
        return this.ignoreCase ? this.set(addRange(emptySet(), c.charCodeAt(0), c.charCodeAt(0))) : unit(c.charCodeAt(0));
    }
  }

  private group(): string {
    this.i++; // (
    let open = "(?:";
    if (this.peek() === "?") {
      const rest = this.src.slice(this.i);
      const m = /^\?(:|=|!|<=|<!|<([^>]+)>)/.exec(rest);
      if (!m) throw new Untranslatable(`the group syntax '(${rest.slice(0, 3)}' has no .NET translation`);
      this.i += m[0].length;
      // Named groups become plain groups: names matter only to backreferences, which are refused.
      open = m[2] !== undefined ? "(?:" : `(?${m[1]}`;
    }
    const body = this.disjunction();
    if (this.peek() !== ")") throw new Untranslatable("unbalanced parentheses");
    this.i++;
    return `${open}${body})`;
  }

  private atomEscape(): string {
    const c = this.src[this.i + 1];
    if (c === undefined) throw new Untranslatable("a pattern cannot end with \\");
    switch (c) {
      case "b":
      case "B": {
        this.i += 2;
        const w = WORD_CLASS;
        return c === "b" ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))` : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
      }
      case "k":
        if (this.namedGroups) throw new Untranslatable("backreferences (\\k<name>) have no .NET translation: .NET compares groups that did not take part, and case, differently");
        break;
      default:
        if (c >= "1" && c <= "9") {
          throw new Untranslatable(`\\${c}: backreferences (and legacy octal escapes) have no .NET translation: .NET compares groups that did not take part, and case, differently`);
        }
    }
    return this.set(this.classEscape(false));
  }

  /** An escape as a set of code units: a class escape (\d ...) or one character. At `this.i` = the backslash. */
  private classEscape(inClass: boolean): CharSet {
    const c = this.src[this.i + 1]!;
    this.i += 2;
    const one = (code: number): CharSet => addRange(emptySet(), code, code);
    switch (c) {
      case "d":
        return DIGITS.slice();
      case "D":
        return complement(DIGITS);
      case "w":
        return WORD.slice();
      case "W":
        return complement(WORD);
      case "s":
        return SPACE.slice();
      case "S":
        return complement(SPACE);
      case "f":
        return one(0x0c);
      case "n":
        return one(0x0a);
      case "r":
        return one(0x0d);
      case "t":
        return one(0x09);
      case "v":
        return one(0x0b);
      case "b":
        return one(0x08); // only inside a class
      case "0":
        if (/[0-9]/.test(this.peek() ?? "")) throw new Untranslatable("legacy octal escapes have no .NET translation; write \\xHH");
        return one(0);
      case "c": {
        const x = this.peek() ?? "";
        if (/[A-Za-z]/.test(x) || (inClass && /[0-9_]/.test(x))) {
          this.i++;
          return one(x.charCodeAt(0) % 32);
        }
        // Annex B: a backslash that stays a backslash, then "c".
        this.i--;
        return one(0x5c);
      }
      case "x": {
        const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
        if (!m) return one(0x78);
        this.i += 2;
        return one(parseInt(m[0], 16));
      }
      case "u": {
        if (this.peek() === "{") throw new Untranslatable("\\u{...} is JavaScript-only syntax; write \\uXXXX");
        const m = /^[0-9A-Fa-f]{4}/.exec(this.src.slice(this.i));
        if (!m) return one(0x75);
        this.i += 4;
        return one(parseInt(m[0], 16));
      }
      default:
        if (c >= "1" && c <= "9") throw new Untranslatable(`\\${c}: legacy octal escapes have no .NET translation; write \\xHH`);
        // An identity escape: the character itself (\p is "p" here, a Unicode category in .NET).
        return one(c.charCodeAt(0));
    }
  }

  private characterClass(): CharSet {
    this.i++; // [
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.i++;
    }
    const set = emptySet();
    // An atom of the class: one code unit (a number) or a class escape (a set).
    const atom = (): number | CharSet => {
      const c = this.peek();
      if (c === undefined) throw new Untranslatable("unterminated character class");
      if (c === "\\") {
        const isClassEscape = /[dDwWsS]/.test(this.peek(1) ?? "");
        const escaped = this.classEscape(true);
        return isClassEscape ? escaped : escaped.indexOf(1);
      }
      this.i++;
      return c.charCodeAt(0);
    };
    while (this.peek() !== "]") {
      const from = atom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.i++;
        const to = atom();
        if (typeof from === "number" && typeof to === "number") {
          addRange(set, from, to);
          continue;
        }
        // Annex B: a class escape next to `-` makes the `-` a character.
        for (const part of [from, 0x2d, to]) typeof part === "number" ? addRange(set, part, part) : union(set, part);
        continue;
      }
      typeof from === "number" ? addRange(set, from, from) : union(set, from);
    }
    this.i++; // ]
    // Case-insensitively, a negated class excludes every case of its members (ECMA-262 CharacterSetMatcher).
    const folded = this.ignoreCase ? caseFold(set) : set;
    return negate ? complement(folded) : folded;
  }
}
