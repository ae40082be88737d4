// A MOF reader for the subset of DMTF DSP0221 (MOF 3.0.1) that PowerShell DSC uses: configuration
// and meta-configuration documents (`instance of C [as $alias] { P = value; … };`) and resource
// schemas (`[quals] class C [: Super] { [quals] type name[] [= default]; … };`), plus
// `#pragma name("value")`, `//` and `/* */` comments.
//
// Accepted beyond strict DSP0221, because real DSC output contains it: raw TAB, raw CR and any
// other raw character except LF inside string literals (a raw LF is an error, so an unterminated
// string is reported where it starts); alias identifiers as array items (`{ $a, $b }`).
// Not supported (syntax error): qualifier flavors, qualifier declarations, methods, references
// (`C REF p`), enumerations, structures, fixed-size arrays, qualifiers on instances, nested arrays.
//
// Positions are 1-based; a line ends at LF only (so DSC's `CR CR LF` ends one line, like grep and
// git count), and a column counts UTF-16 code units from the start of the line (util/text.ts's LineIndex).
import { LineIndex } from "../util/text.js";

export interface MofPragma {
  readonly name: string;
  readonly value: string;
}

export interface MofDocument {
  readonly pragmas: readonly MofPragma[];
  readonly classes: readonly MofClass[];
  readonly instances: readonly MofInstance[];
}

/** `Key` → no value; `Description("…")` → string; `ValueMap{…}` → array; `MaxLen(256)` → integer. */
export interface MofQualifier {
  readonly name: string;
  readonly value?: MofValue;
}

export interface MofProperty {
  readonly name: string;
  readonly type: string;
  readonly array: boolean;
  readonly qualifiers: readonly MofQualifier[];
  /** The `= value` default of the declaration, if it has one. */
  readonly default?: MofValue;
  readonly line: number;
}

export interface MofClass {
  readonly name: string;
  readonly superclass?: string;
  readonly qualifiers: readonly MofQualifier[];
  readonly properties: readonly MofProperty[];
  readonly line: number;
}

/**
 * Integers are JavaScript numbers: uint64/sint64 magnitudes beyond 2^53 lose precision (the
 * literal is rounded to the nearest double).
 */
export type MofValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "integer"; readonly value: number }
  | { readonly kind: "real"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "char"; readonly value: string }
  | { readonly kind: "alias"; readonly name: string }
  | { readonly kind: "array"; readonly items: readonly MofValue[] };

export interface MofInstanceProperty {
  readonly name: string;
  readonly value: MofValue;
  readonly line: number;
}

export interface MofInstance {
  readonly className: string;
  /** Without the `$`. */
  readonly alias?: string;
  readonly properties: readonly MofInstanceProperty[];
  readonly line: number;
}

export class MofSyntaxError extends Error {
  override readonly name = "MofSyntaxError";
  constructor(
    /** The problem without the position prefix. */
    readonly reason: string,
    readonly file: string | undefined,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file ?? "<mof>"}:${line}:${column}: ${reason}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/**
 * Bytes → text by BOM: UTF-16LE (FF FE), UTF-16BE (FE FF), UTF-8 (EF BB BF), else UTF-8 without
 * BOM. UTF-16 is decoded unit by unit so lone surrogates survive; invalid UTF-8 and an odd
 * UTF-16 byte count throw.
 */
export function decodeMof(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, false);
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  const length = bytes.length - 2;
  if (length % 2 !== 0) throw new Error(`UTF-16 MOF has an odd number of bytes (${bytes.length})`);
  const units = new Uint16Array(length / 2);
  const [lo, hi] = littleEndian ? [0, 1] : [1, 0];
  for (let i = 0, b = 2; i < units.length; i++, b += 2) units[i] = bytes[b + lo]! | (bytes[b + hi]! << 8);
  let out = "";
  const CHUNK = 8192;
  for (let i = 0; i < units.length; i += CHUNK) out += String.fromCharCode(...units.subarray(i, i + CHUNK));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type NumberToken = { readonly kind: "integer" | "real"; readonly value: number; readonly text: string; readonly start: number };

type Token =
  | NumberToken
  | { readonly kind: "ident"; readonly text: string; readonly start: number }
  | { readonly kind: "alias"; readonly text: string; readonly start: number }
  | { readonly kind: "string"; readonly value: string; readonly start: number }
  | { readonly kind: "char"; readonly value: string; readonly start: number }
  | { readonly kind: "pragma"; readonly start: number }
  | { readonly kind: "punct"; readonly text: string; readonly start: number }
  | { readonly kind: "eof"; readonly start: number };

const IDENT = /[A-Za-z_\u0080-\uFFEF][A-Za-z0-9_\u0080-\uFFEF]*/y;
const NUMBER =
  /[+-]?(?:0[xX][0-9A-Fa-f]+|[01]+[bB]|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+|[0-9]+)/y;
const IDENT_CHAR = /[A-Za-z0-9_.\u0080-\uFFEF]/;
const PUNCT = "{}[]();,=:";

/** Splits the text into tokens; string escapes are decoded here, concatenation is the parser's. */
function tokenize(text: string, fail: (reason: string, at: number) => never): Token[] {
  const tokens: Token[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (true) {
    pos = skipTrivia(text, pos, fail);
    if (pos >= n) break;
    const ch = text[pos]!;
    const start = pos;
    if (ch === '"') {
      const [value, end] = readQuoted(text, pos, '"', fail);
      tokens.push({ kind: "string", value, start });
      pos = end;
    } else if (ch === "'") {
      const [value, end] = readQuoted(text, pos, "'", fail);
      if (value.length !== 1) fail("a char16 literal holds exactly one UTF-16 code unit", start);
      tokens.push({ kind: "char", value, start });
      pos = end;
    } else if (PUNCT.includes(ch)) {
      tokens.push({ kind: "punct", text: ch, start });
      pos++;
    } else if (ch === "$") {
      IDENT.lastIndex = pos + 1;
      const m = IDENT.exec(text);
      if (!m) fail("expected an alias name after '$'", start);
      tokens.push({ kind: "alias", text: m[0], start });
      pos = IDENT.lastIndex;
    } else if (ch === "#") {
      IDENT.lastIndex = pos + 1;
      const m = IDENT.exec(text);
      if (!m || m[0].toLowerCase() !== "pragma") fail("expected '#pragma'", start);
      tokens.push({ kind: "pragma", start });
      pos = IDENT.lastIndex;
    } else if (isNumberStart(text, pos)) {
      const token = readNumber(text, pos, fail);
      tokens.push(token);
      pos = start + token.text.length;
    } else {
      IDENT.lastIndex = pos;
      const m = IDENT.exec(text);
      if (!m) fail(`unexpected character ${describeChar(text, pos)}`, start);
      tokens.push({ kind: "ident", text: m[0], start });
      pos = IDENT.lastIndex;
    }
  }
  tokens.push({ kind: "eof", start: n });
  return tokens;
}

/** Skips whitespace (space, TAB, CR, LF) and comments; returns the next significant offset. */
function skipTrivia(text: string, pos: number, fail: (reason: string, at: number) => never): number {
  const n = text.length;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
    else if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2f) {
      const end = text.indexOf("\n", pos);
      pos = end < 0 ? n : end + 1;
    } else if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2a) {
      const end = text.indexOf("*/", pos + 2);
      if (end < 0) fail("unterminated comment", pos);
      pos = end + 2;
    } else break;
  }
  return pos;
}

function isNumberStart(text: string, pos: number): boolean {
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  let c = text.charCodeAt(pos);
  if (c === 0x2b || c === 0x2d) c = text.charCodeAt(++pos);
  return isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(pos + 1)));
}

/** Decimal, hex `0x…`, binary `…b`, octal `0…` integers and reals, each with an optional sign. */
function readNumber(text: string, pos: number, fail: (reason: string, at: number) => never): NumberToken {
  NUMBER.lastIndex = pos;
  const m = NUMBER.exec(text);
  if (!m || (NUMBER.lastIndex < text.length && IDENT_CHAR.test(text[NUMBER.lastIndex]!))) {
    fail("malformed number", pos);
  }
  const literal = m[0];
  const sign = literal[0] === "-" ? -1 : 1;
  const body = literal[0] === "-" || literal[0] === "+" ? literal.slice(1) : literal;
  const integer = (value: number): NumberToken => ({ kind: "integer", value: sign * value, text: literal, start: pos });
  if (/^0[xX]/.test(body)) return integer(parseInt(body.slice(2), 16));
  if (/[bB]$/.test(body)) return integer(parseInt(body.slice(0, -1), 2));
  if (/[.eE]/.test(body)) return { kind: "real", value: sign * Number(body), text: literal, start: pos };
  if (body.length > 1 && body[0] === "0") {
    if (!/^[0-7]+$/.test(body)) fail("malformed octal number", pos);
    return integer(parseInt(body, 8));
  }
  return integer(Number(body));
}

/** A `"…"` or `'…'` literal starting at `pos`; returns the decoded value and the offset after it. */
function readQuoted(
  text: string,
  pos: number,
  quote: string,
  fail: (reason: string, at: number) => never,
): [string, number] {
  const open = pos;
  let out = "";
  let run = ++pos;
  const n = text.length;
  while (true) {
    const unterminated = quote === '"' ? "unterminated string" : "unterminated char literal";
    if (pos >= n || (text[pos] === "\\" && pos + 1 >= n)) fail(unterminated, open);
    const c = text[pos]!;
    if (c === quote) return [out + text.slice(run, pos), pos + 1];
    if (c === "\n") fail(`${unterminated} (line break before the closing quote)`, open);
    if (c !== "\\") {
      pos++;
      continue;
    }
    out += text.slice(run, pos);
    const [decoded, next] = readEscape(text, pos, fail);
    out += decoded;
    pos = run = next;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  '"': '"',
  "'": "'",
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
};

/** `\\ \" \' \b \t \n \f \r` and `\x`/`\X` + 1–6 hex digits (a code point; D800–DFFF → that code unit). */
function readEscape(text: string, pos: number, fail: (reason: string, at: number) => never): [string, number] {
  const e = text[pos + 1]!;
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return [simple, pos + 2];
  if (e === "x" || e === "X") {
    let end = pos + 2;
    while (end < pos + 8 && end < text.length && /[0-9A-Fa-f]/.test(text[end]!)) end++;
    if (end === pos + 2) fail("'\\x' needs 1 to 6 hex digits", pos);
    const code = parseInt(text.slice(pos + 2, end), 16);
    if (code > 0x10ffff) fail(`'\\x${text.slice(pos + 2, end)}' is beyond U+10FFFF`, pos);
    return [code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code), end];
  }
  return fail(`invalid escape sequence ${describeChar(text, pos + 1, "\\")}`, pos);
}

function describeChar(text: string, pos: number, prefix = ""): string {
  const code = text.codePointAt(pos)!;
  const printable = code > 0x20 && code !== 0x7f && !(code >= 0xd800 && code <= 0xdfff);
  const hex = "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  return printable ? `'${prefix}${String.fromCodePoint(code)}' (${hex})` : `${prefix ? `'${prefix}' + ` : ""}${hex}`;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Parses MOF text (already decoded, see decodeMof). Throws MofSyntaxError on bad input. */
export function readMof(text: string, file?: string): MofDocument {
  return new Parser(text, file).document();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** Built on the first position asked for (an error or a line number). */
  private lines: LineIndex | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {
    this.tokens = tokenize(text, (reason, at) => this.fail(reason, at));
  }

  document(): MofDocument {
    const pragmas: MofPragma[] = [];
    const classes: MofClass[] = [];
    const instances: MofInstance[] = [];
    while (this.peek().kind !== "eof") {
      const t = this.peek();
      if (t.kind === "pragma") pragmas.push(this.pragma());
      else if (t.kind === "punct" && t.text === "[") {
        const start = t.start;
        const qualifiers = this.qualifierList();
        if (!this.isKeyword(this.peek(), "class")) {
          this.fail(`expected 'class' after a qualifier list (qualifiers are read on classes only), found ${this.describe(this.peek())}`, this.peek().start);
        }
        classes.push(this.classDeclaration(qualifiers, start));
      } else if (this.isKeyword(t, "class")) classes.push(this.classDeclaration([], t.start));
      else if (this.isKeyword(t, "instance")) instances.push(this.instance());
      else this.fail(`expected 'instance of', 'class', a qualifier list or '#pragma', found ${this.describe(t)}`, t.start);
    }
    return { pragmas, classes, instances };
  }

  /** `#pragma name("value")` */
  private pragma(): MofPragma {
    this.next();
    const name = this.identifier("a pragma name");
    this.punct("(");
    const value = this.stringValue();
    this.punct(")");
    return { name, value };
  }

  /** `[ name, name(value), name{v, …}, … ]` */
  private qualifierList(): MofQualifier[] {
    this.punct("[");
    const qualifiers: MofQualifier[] = [];
    do {
      const name = this.identifier("a qualifier name");
      const t = this.peek();
      if (t.kind === "punct" && t.text === "(") {
        this.next();
        const value = this.literal();
        this.punct(")");
        qualifiers.push({ name, value });
      } else if (t.kind === "punct" && t.text === "{") {
        qualifiers.push({ name, value: this.array(false) });
      } else qualifiers.push({ name });
    } while (this.optionalPunct(","));
    this.punct("]");
    return qualifiers;
  }

  /** `class Name [: Super] { property… };` — the qualifiers were read by the caller. */
  private classDeclaration(qualifiers: MofQualifier[], start: number): MofClass {
    this.next();
    const name = this.identifier("a class name");
    const superclass = this.optionalPunct(":") ? this.identifier("a superclass name") : undefined;
    this.punct("{");
    const properties: MofProperty[] = [];
    while (!this.optionalPunct("}")) properties.push(this.propertyDeclaration());
    this.punct(";");
    const line = this.position(start).line;
    return superclass === undefined
      ? { name, qualifiers, properties, line }
      : { name, superclass, qualifiers, properties, line };
  }

  /** `[quals] type name[] [= value];` */
  private propertyDeclaration(): MofProperty {
    const start = this.peek().start;
    const t = this.peek();
    const qualifiers = t.kind === "punct" && t.text === "[" ? this.qualifierList() : [];
    const type = this.identifier("a property type");
    const next = this.peek();
    if (this.isKeyword(next, "ref")) this.fail("reference properties (REF) are not supported", next.start);
    const name = this.identifier("a property name");
    let array = false;
    if (this.optionalPunct("[")) {
      const close = this.peek();
      if (!(close.kind === "punct" && close.text === "]")) this.fail("only unbounded arrays ('[]') are supported", close.start);
      this.next();
      array = true;
    }
    let defaultValue: MofValue | undefined;
    if (this.optionalPunct("=")) defaultValue = this.value();
    const end = this.peek();
    if (end.kind === "punct" && end.text === "(") this.fail("methods are not supported", end.start);
    this.punct(";");
    const line = this.position(start).line;
    return defaultValue === undefined
      ? { name, type, array, qualifiers, line }
      : { name, type, array, qualifiers, default: defaultValue, line };
  }

  /** `instance of Class [as $alias] { Name = value; … };` */
  private instance(): MofInstance {
    const start = this.next().start;
    const of = this.peek();
    if (!this.isKeyword(of, "of")) this.fail(`expected 'of' after 'instance', found ${this.describe(of)}`, of.start);
    this.next();
    const className = this.identifier("a class name");
    let alias: string | undefined;
    if (this.isKeyword(this.peek(), "as")) {
      this.next();
      const a = this.peek();
      if (a.kind !== "alias") this.fail(`expected an alias ('$name') after 'as', found ${this.describe(a)}`, a.start);
      this.next();
      alias = a.text;
    }
    this.punct("{");
    const properties: MofInstanceProperty[] = [];
    while (!this.optionalPunct("}")) {
      const at = this.peek().start;
      const name = this.identifier("a property name");
      this.punct("=");
      const value = this.value();
      this.punct(";");
      properties.push({ name, value, line: this.position(at).line });
    }
    this.punct(";");
    const line = this.position(start).line;
    return alias === undefined ? { className, properties, line } : { className, alias, properties, line };
  }

  /** A property value: a literal, an alias or an array of those. */
  private value(): MofValue {
    const t = this.peek();
    if (t.kind === "punct" && t.text === "{") return this.array(true);
    if (t.kind === "alias") {
      this.next();
      return { kind: "alias", name: t.text };
    }
    return this.literal();
  }

  /** `{ item, … }` (possibly empty); items are literals, and aliases too when allowed. */
  private array(aliases: boolean): MofValue {
    this.punct("{");
    const items: MofValue[] = [];
    if (this.optionalPunct("}")) return { kind: "array", items };
    do {
      const t = this.peek();
      if (t.kind === "punct" && t.text === "{") this.fail("nested arrays are not allowed", t.start);
      if (t.kind === "alias" && aliases) {
        this.next();
        items.push({ kind: "alias", name: t.text });
      } else items.push(this.literal());
    } while (this.optionalPunct(","));
    this.punct("}");
    return { kind: "array", items };
  }

  /** string (adjacent literals concatenated), number, char, TRUE/FALSE/NULL. */
  private literal(): MofValue {
    const t = this.peek();
    switch (t.kind) {
      case "string":
        return { kind: "string", value: this.stringValue() };
      case "integer":
      case "real":
        this.next();
        return { kind: t.kind, value: t.value };
      case "char":
        this.next();
        return { kind: "char", value: t.value };
      case "ident": {
        const word = t.text.toLowerCase();
        if (word === "true" || word === "false") {
          this.next();
          return { kind: "boolean", value: word === "true" };
        }
        if (word === "null") {
          this.next();
          return { kind: "null" };
        }
        break;
      }
    }
    return this.fail(`expected a value, found ${this.describe(t)}`, t.start);
  }

  private stringValue(): string {
    let t = this.peek();
    if (t.kind !== "string") this.fail(`expected a string, found ${this.describe(t)}`, t.start);
    let value = "";
    while (t.kind === "string") {
      value += t.value;
      this.next();
      t = this.peek();
    }
    return value;
  }

  // --- token helpers

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const t = this.tokens[this.index]!;
    if (t.kind !== "eof") this.index++;
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === "ident" && t.text.length === word.length && t.text.toLowerCase() === word;
  }

  private identifier(what: string): string {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(`expected ${what}, found ${this.describe(t)}`, t.start);
    this.next();
    return t.text;
  }

  private punct(p: string): void {
    const t = this.peek();
    if (!(t.kind === "punct" && t.text === p)) this.fail(`expected '${p}', found ${this.describe(t)}`, t.start);
    this.next();
  }

  private optionalPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind === "punct" && t.text === p) {
      this.next();
      return true;
    }
    return false;
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case "eof":
        return "end of input";
      case "string":
        return "a string";
      case "char":
        return "a char literal";
      case "integer":
      case "real":
        return `number ${t.text}`;
      case "alias":
        return `alias $${t.text}`;
      case "pragma":
        return "'#pragma'";
      default:
        return `'${t.text}'`;
    }
  }

  // --- positions

  private position(offset: number): { line: number; column: number } {
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset);
  }

  private fail(reason: string, offset: number): never {
    const { line, column } = this.position(offset);
    throw new MofSyntaxError(reason, this.file, line, column);
  }
}
