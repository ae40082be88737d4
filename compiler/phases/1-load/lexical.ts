// Spans read off the author's text without parsing it: the callee of the authoring call at a
// recorded site, and the `${...}` holes of a ps`...` template. A build asks for one of these per
// definition and fragment, and parsing every file with TypeScript for them (and loading
// TypeScript's parser at all) was a second of a cold build. Each function answers only for the
// plain shapes it can read with certainty (an identifier followed by `(` or a template; holes
// holding a name, a call, a literal) and otherwise returns undefined, and the locator asks
// TypeScript's syntax tree instead: where both answer, the answer is the same (lexical.test.ts
// compares them over every call in the examples and test inputs).

/** Offsets in a file's text: [start, end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[\w$]/;
const isIdentStart = (c: string | undefined): boolean => c !== undefined && IDENT_START.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && IDENT_PART.test(c);

// Words that are never a callee of their own (`if (`, `typeof (`, `function (`) or that TypeScript
// does not read as an identifier (`this`, `super`, `import(`).
const KEYWORDS = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async as satisfies of keyof readonly declare get set".split(" "),
);

/**
 * The callee name of the call or tagged template that V8 placed at `offset`: the identifier there
 * (`name(`, `obj.name(`, `ps\``), or the one right before it (V8 may place a call at its `(`).
 * Undefined unless the identifier is directly followed by `(` or a backtick.
 */
export function calleeAt(text: string, offset: number): (Range & { readonly tagged: boolean }) | undefined {
  let end: number;
  if (isIdentPart(text[offset])) {
    end = offset;
    while (isIdentPart(text[end])) end++;
  } else if (offset > 0 && isIdentPart(text[offset - 1]) && (text[offset] === "(" || text[offset] === "`")) {
    end = offset;
  } else {
    return undefined;
  }
  let start = Math.min(offset, end);
  while (start > 0 && isIdentPart(text[start - 1])) start--;
  if (!isIdentStart(text[start]) || KEYWORDS.has(text.slice(start, end))) return undefined;
  // (a private name, `#name(`, a decorator or a unicode escape is TypeScript's to read)
  const before = text[start - 1];
  if (before === "#" || before === "@" || before === "\\") return undefined;
  // (`function name(`, a method or a declaration is no call)
  if (/\b(function|class|interface|type|get|set|async|static)\s*\*?\s*$/.test(text.slice(Math.max(0, start - 12), start))) return undefined;
  const after = text[end];
  if (after !== "(" && after !== "`") return undefined;
  return { start, end, tagged: after === "`" };
}

/** A `${...}` of a template: its expression's range and, when it is a name (`x`, `lib.getOsBuild`), its text. */
export interface Hole extends Range {
  readonly name?: string;
}

const DOTTED_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * The holes of the template literal whose backtick is at `open`, or undefined when one of them is
 * not plain: a comment, a `/` (a regular expression may hold any character), a string or template
 * that does not end, and expressions TypeScript looks through for a name (`(x)`, `x as T`, `x!`,
 * `<T>x`, `x satisfies T`, `a?.b`).
 */
export function templateHoles(text: string, open: number): Hole[] | undefined {
  if (text[open] !== "`") return undefined;
  const holes: Hole[] = [];
  const end = skipTemplate(text, open, holes);
  return end === undefined ? undefined : holes;
}

/**
 * The template literal of a tagged template whose tag starts at `from` (a fragment's origin: its
 * `ps`): the offsets of its opening backtick and just past its closing one (undefined: not found).
 */
export function taggedTemplateAt(text: string, from: number): { open: number; end: number } | undefined {
  const open = text.indexOf("`", from);
  const end = open < 0 ? undefined : templateEnd(text, open);
  return end === undefined ? undefined : { open, end };
}

/** The offset after the closing backtick of the template literal at `open` (undefined: it does not end, or is not plain). */
export function templateEnd(text: string, open: number): number | undefined {
  return text[open] === "`" ? skipTemplate(text, open) : undefined;
}

/**
 * Skips the template at `open`, its `${...}` read as arguments are (skipArguments); returns the
 * offset after its closing backtick (undefined: not plain). With `holes`, each `${...}` goes there
 * (undefined when one is not plain: see holeOf).
 */
function skipTemplate(text: string, open: number, holes?: Hole[]): number | undefined {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") {
      i += 2;
    } else if (c === "`") {
      return i + 1;
    } else if (c === "$" && text[i + 1] === "{") {
      // (from the `{`: skipArguments stops after the `}` that closes it)
      const after = skipArguments(text, i + 1);
      if (after === undefined) return undefined;
      if (holes) {
        const hole = holeOf(text, i + 2, after - 1);
        if (!hole) return undefined;
        holes.push(hole);
      }
      i = after;
    } else {
      i++;
    }
  }
  return undefined;
}

function skipString(text: string, open: number): number | undefined {
  const quote = text[open];
  let i = open + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") i += 2;
    else if (c === quote) return i + 1;
    else if (c === "\n" || c === "\r") return undefined;
    else i++;
  }
  return undefined;
}

function holeOf(text: string, from: number, close: number): Hole | undefined {
  let start = from;
  let end = close;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start === end) return undefined;
  const written = text.slice(start, end);
  // (a comment, which TypeScript's start skips, or a regular expression: the tree's to read)
  if (written.includes("/")) return undefined;
  if (DOTTED_NAME.test(written)) {
    const first = written.split(".", 1)[0]!;
    // (`true`, `null`, `this` are no names; `this.x` is)
    if (KEYWORDS.has(first) && !(first === "this" && written.includes("."))) return written.includes(".") ? undefined : { start, end };
    return { start, end, name: written };
  }
  if (written.startsWith("(") || written.startsWith("<") || /[!?]|\b(as|satisfies)\b/.test(written.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""'))) return undefined;
  return { start, end };
}

/** An import or `export ... from` declaration as written (see imports.ts). */
export interface WrittenDeclaration extends Range {
  readonly specifier: string;
  readonly typeOnly: boolean;
  /** The names of the target's exports read at run time ("*": any); none when typeOnly. */
  readonly names: readonly string[] | "*";
}

interface Token {
  readonly kind: "word" | "string" | "punct";
  readonly start: number;
  readonly end: number;
  /** A word's text, a string's value, a punctuator's character. */
  readonly text: string;
  /** 1: between the braces of an import's or export's names (else at the top). */
  readonly depth?: 1;
}

const CONDITION = new Set(["if", "while", "for", "with"]);
/** Words after which a value follows: a `/` after one starts a regular expression (`return /x/`, `export default /x/`). */
const REGEX_AFTER_WORD = new Set(["return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else", "default", "extends", "yield", "await"]);
/** Words that are values: a `/` after one divides. */
const VALUE_WORDS = new Set(["this", "super", "true", "false", "null"]);

/** The token before a `/`, as far as telling a division from a regular expression goes. */
interface SlashContext {
  readonly kind: "word" | "literal" | "punct";
  readonly text: string;
  /** A word after `.` (a property name, never a keyword: `x.in / 2`). */
  readonly afterDot: boolean;
  /** A `)` that closes the condition of `if`, `while`, `for` or `with`. */
  readonly closesCondition: boolean;
  /** A `+` or `-` that is the second of `++` or `--`. */
  readonly doubled: boolean;
}

/**
 * What a `/` (not a comment) after `before` starts: a division, a regular expression, or undefined
 * where this reader cannot be sure (after `}`, `++`, `--`, or a contextual keyword such as `of`,
 * `get`, `type`, which may be a name): the reader gives up rather than guess, since reading a
 * regular expression as code (or code as one) can hide or invent an import.
 */
function slashAfter(before: SlashContext | undefined): "division" | "regex" | undefined {
  if (!before) return "regex";
  if (before.kind === "literal") return "division";
  if (before.kind === "word") {
    if (before.afterDot || VALUE_WORDS.has(before.text) || /^[0-9]/.test(before.text)) return "division";
    if (REGEX_AFTER_WORD.has(before.text)) return "regex";
    return KEYWORDS.has(before.text) ? undefined : "division";
  }
  if (before.text === ")") return before.closesCondition ? "regex" : "division";
  if (before.text === "]") return "division";
  if (before.text === "}" || before.doubled) return undefined;
  return "regex";
}


/**
 * The top-level import declarations (and `export ... from`) of a file whose text is plain enough to
 * be read without a parser, with the spans TypeScript gives their statements. Undefined (ask
 * TypeScript) for a text holding a regular expression, a dynamic import() or require() (both are
 * reported from the syntax tree), an import-equals, import attributes, escapes outside strings, or
 * a declaration of any shape but the usual ones; also for a text that does not end where it should
 * (an unclosed string, comment, template or bracket).
 */
export function declarationsOf(text: string): WrittenDeclaration[] | undefined {
  const top: Token[] = [];
  // Brackets open: "{", "(", "[" and "`" (a template's `${`, whose `}` returns to its text).
  const open: string[] = [];
  let last: Token | undefined;
  let beforeLast: Token | undefined;
  // Per open bracket, whether it is the `(` of a condition; whether the last token closed one.
  const conditions: boolean[] = [];
  let afterCondition = false;
  let i = text.startsWith("#!") ? text.indexOf("\n") + 1 || text.length : 0;
  const n = text.length;
  // (the names between the braces of `import {`, `export {`, `import a, {`: a `{` at the top after one of these)
  let clause = false;
  const push = (t: Token): void => {
    beforeLast = last;
    last = t;
    if (open.length === 0) {
      if (t.text === "{" && t.kind === "punct") {
        const before = top[top.length - 1];
        clause = before !== undefined && before.kind !== "string" && (before.text === "import" || before.text === "export" || before.text === "type" || before.text === ",");
      }
      top.push(t);
    } else if (open.length === 1 && clause) {
      top.push({ ...t, depth: 1 });
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
      i++;
      continue;
    }
    if (c === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        const eol = text.indexOf("\n", i);
        i = eol < 0 ? n : eol;
        continue;
      }
      if (next === 42) {
        const close = text.indexOf("*/", i + 2);
        if (close < 0) return undefined;
        i = close + 2;
        continue;
      }
      // a division or a regular expression, by the token before it (see slashAfter)
      const meaning = slashAfter(last && { kind: last.kind === "string" ? "literal" : last.kind, text: last.text, afterDot: beforeLast?.kind === "punct" && beforeLast.text === ".", closesCondition: afterCondition, doubled: last.kind === "punct" && (last.text === "+" || last.text === "-") && text[last.start - 1] === last.text });
      if (meaning === undefined) return undefined;
      if (meaning === "division") {
        push({ kind: "punct", start: i, end: i + 1, text: "/" });
        i++;
        continue;
      }
      const end = skipRegex(text, i);
      if (end === undefined) return undefined;
      // (a value, never a specifier)
      push({ kind: "string", start: i, end, text: "`" });
      i = end;
      continue;
    }
    if (c === 34 || c === 39 /* " ' */) {
      const end = skipString(text, i);
      if (end === undefined) return undefined;
      const raw = text.slice(i + 1, end - 1);
      push({ kind: "string", start: i, end, text: raw.includes("\\") ? "\\" : raw });
      i = end;
      continue;
    }
    if (c === 96 /* ` */ || (c === 125 /* } */ && open[open.length - 1] === "`")) {
      // a template's text, from its backtick or from the `}` of one of its `${`, to the next `${` or its end
      if (c === 125) {
        open.pop();
        conditions.pop();
      }
      let j = i + 1;
      for (;;) {
        if (j >= n) return undefined;
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 96) break;
        else if (d === 36 && text.charCodeAt(j + 1) === 123) break;
        else j++;
      }
      if (text.charCodeAt(j) === 96) {
        push({ kind: "string", start: i, end: j + 1, text: "`" });
        i = j + 1;
      } else {
        // (inside `${`: not at the top)
        if (open.length === 0) top.push({ kind: "string", start: i, end: j, text: "`" });
        open.push("`");
        conditions.push(false);
        beforeLast = last;
        last = { kind: "punct", start: j, end: j + 2, text: "{" };
        i = j + 2;
      }
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || (c >= 48 && c <= 57) || c >= 0x80) {
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === 36 || (d >= 48 && d <= 57) || (d >= 0x80 && d !== 0xa0 && d !== 0xfeff && d !== 0x2028 && d !== 0x2029)) j++;
        else break;
      }
      const word = text.slice(i, j);
      // (a number's decimals and exponent sign: `1.5`, `1e-5`, read as words and punctuators, are values all the same)
      if ((word === "import" || word === "require") && !(last?.text === "." && last.kind === "punct")) {
        let k = j;
        while (k < n && /\s/.test(text[k]!)) k++;
        // import(...) and require(...) are read from the syntax tree (import.meta is neither)
        if (text[k] === "(" || (word === "import" && open.length > 0 && text[k] !== ".")) return undefined;
      }
      push({ kind: "word", start: i, end: j, text: word });
      i = j;
      continue;
    }
    if (c === 92 /* \ */ || c === 35 /* # */) {
      // a unicode escape in a name; a private name (fine, but rare: not worth a second reading)
      if (c === 92) return undefined;
      push({ kind: "punct", start: i, end: i + 1, text: "#" });
      i++;
      continue;
    }
    const ch = text[i]!;
    afterCondition = false;
    if (ch === "{" || ch === "(" || ch === "[") {
      // (`if (`, `while (`, `for (`, `with (`: a `/` after its `)` starts a regular expression)
      conditions.push(ch === "(" && last?.kind === "word" && CONDITION.has(last.text));
      push({ kind: "punct", start: i, end: i + 1, text: ch });
      open.push(ch);
    } else if (ch === "}" || ch === ")" || ch === "]") {
      const want = ch === "}" ? "{" : ch === ")" ? "(" : "[";
      if (open.pop() !== want) return undefined;
      afterCondition = conditions.pop() === true;
      push({ kind: "punct", start: i, end: i + 1, text: ch });
    } else {
      push({ kind: "punct", start: i, end: i + 1, text: ch });
    }
    i++;
  }
  if (open.length > 0) return undefined;
  return declarations(top);
}

/** From the `/` that opens a regular expression literal to after its flags (undefined: it does not end on its line). */
function skipRegex(text: string, open: number): number | undefined {
  let i = open + 1;
  let inClass = false;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === "\n" || c === "\r") return undefined;
    if (c === "\\") i += 2;
    else if (c === "[") (inClass = true), i++;
    else if (c === "]") (inClass = false), i++;
    else if (c === "/" && !inClass) break;
    else i++;
  }
  i++;
  while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
  return i;
}

/** The declarations among the tokens at the top of a file (see declarationsOf). */
function declarations(tokens: readonly Token[]): WrittenDeclaration[] | undefined {
  const out: WrittenDeclaration[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "word" || (t.text !== "import" && t.text !== "export") || t.depth) continue;
    const before = tokens[k - 1];
    // (`x.import`, `x.export`: a property)
    if (before?.kind === "punct" && before.text === ".") continue;
    const read = t.text === "import" ? importDeclaration(tokens, k) : exportDeclaration(tokens, k);
    if (read === null) return undefined;
    if (!read) continue;
    const { declaration, next } = read;
    // (the statement takes a `;` that follows it; `with { ... }` attributes are TypeScript's to read)
    const after = tokens[next];
    if (after?.kind === "word" && (after.text === "with" || after.text === "assert") && tokens[next + 1]?.text === "{") return undefined;
    const end = after?.kind === "punct" && after.text === ";" ? after.end : declaration.end;
    if (declaration.specifier.startsWith(".")) out.push({ ...declaration, end });
    k = next - 1;
  }
  return out;
}

type Read = { declaration: WrittenDeclaration; next: number } | undefined | null;

/** `import ...` at token k: a declaration, undefined (not one: `import.meta`), null (a shape left to TypeScript). */
function importDeclaration(tokens: readonly Token[], k: number): Read {
  const start = tokens[k]!.start;
  let j = k + 1;
  const at = (o = 0): Token | undefined => tokens[j + o];
  const is = (text: string, o = 0): boolean => at(o)?.text === text && at(o)?.kind !== "string";
  if (is(".")) return undefined;
  // import "./x"
  if (at()?.kind === "string") return specifierAt(tokens, j, start, false, "*");
  let typeOnly = false;
  if (is("type") && !is("from", 1) && !is(",", 1) && !is("=", 1)) {
    typeOnly = true;
    j++;
  }
  const names: string[] = [];
  let star = false;
  let elements = 0;
  let typeElements = 0;
  let clause = false;
  if (at()?.kind === "word" && !is("from")) {
    // a default import
    if (is("=", 1)) return null;
    names.push("default");
    clause = true;
    j++;
    if (is(",")) j++;
    else if (!is("from")) return null;
  } else if (is("from") && (is("from", 1) || is(",", 1))) {
    // (`import from from "x"`, a default import named from)
    return null;
  }
  if (is("*")) {
    if (!is("as", 1) || at(2)?.kind !== "word") return null;
    star = true;
    clause = true;
    j += 3;
  } else if (is("{")) {
    clause = true;
    const read = elementList(tokens, j);
    if (!read) return null;
    names.push(...read.names);
    elements = read.count;
    typeElements = read.typeCount;
    j = read.next;
  }
  if (!clause || !is("from")) return null;
  j++;
  // (a clause of type-only elements only is type-only; an empty clause reads the file's effects: all of it)
  const allTypes = typeOnly || (names.length === 0 && !star && elements > 0 && typeElements === elements);
  const read: readonly string[] | "*" = star ? "*" : names.length === 0 && !allTypes ? "*" : names;
  return specifierAt(tokens, j, start, allTypes, read);
}

/** `export ...` at token k: `export * from`, `export * as ns from`, `export { ... } from` (type-only or not); undefined for any other export. */
function exportDeclaration(tokens: readonly Token[], k: number): Read {
  const start = tokens[k]!.start;
  let j = k + 1;
  const at = (o = 0): Token | undefined => tokens[j + o];
  const is = (text: string, o = 0): boolean => at(o)?.text === text && at(o)?.kind !== "string";
  if (is("import")) return null;
  let typeOnly = false;
  if (is("type") && (is("{", 1) || is("*", 1))) {
    typeOnly = true;
    j++;
  }
  if (is("*")) {
    j++;
    if (is("as")) {
      if (at(1)?.kind !== "word" && at(1)?.kind !== "string") return null;
      j += 2;
    }
    if (!is("from")) return null;
    return specifierAt(tokens, j + 1, start, typeOnly, "*");
  }
  if (!is("{")) return undefined;
  const read = elementList(tokens, j);
  if (!read) return null;
  j = read.next;
  if (!is("from")) return undefined;
  const allTypes = typeOnly || (read.count > 0 && read.typeCount === read.count);
  return specifierAt(tokens, j + 1, start, allTypes, read.names);
}

/** `{ a, b as c, type d, "e" as f }` from its `{`: the names read (type-only ones left out), how many, how many type-only. */
function elementList(tokens: readonly Token[], open: number): { names: string[]; count: number; typeCount: number; next: number } | undefined {
  const names: string[] = [];
  let count = 0;
  let typeCount = 0;
  let j = open + 1;
  const word = (t: Token | undefined): boolean => t?.kind === "word";
  const named = (t: Token | undefined): boolean => t?.kind === "word" || (t?.kind === "string" && t.text !== "\\" && t.text !== "`");
  for (;;) {
    const t = tokens[j];
    if (!t) return undefined;
    if (t.kind === "punct" && t.text === "}") return { names, count, typeCount, next: j + 1 };
    // [type] name [as name]
    let type = false;
    if (word(t) && t.text === "type" && named(tokens[j + 1]) && !(tokens[j + 1]!.text === "as" && tokens[j + 1]!.kind === "word" && !named(tokens[j + 2]))) {
      // (`type as as x`, `type as x` are TypeScript's to read)
      if (tokens[j + 1]!.text === "as") return undefined;
      type = true;
      j++;
    }
    const name = tokens[j];
    if (!named(name)) return undefined;
    j++;
    if (tokens[j]?.kind === "word" && tokens[j]!.text === "as") {
      if (!named(tokens[j + 1])) return undefined;
      j += 2;
    }
    count++;
    if (type) typeCount++;
    else names.push(name!.text);
    const sep = tokens[j];
    if (sep?.kind === "punct" && sep.text === ",") j++;
    else if (!(sep?.kind === "punct" && sep.text === "}")) return undefined;
  }
}

function specifierAt(tokens: readonly Token[], j: number, start: number, typeOnly: boolean, names: readonly string[] | "*"): Read {
  const s = tokens[j];
  // (a template, or a string with an escape, is TypeScript's to read)
  if (!s || s.kind !== "string" || s.text === "`" || s.text === "\\") return null;
  return { declaration: { start, end: s.end, specifier: s.text, typeOnly, names: typeOnly ? [] : names }, next: j + 1 };
}

/**
 * Whether a text may write one of `names` twice as an object literal's key (`web:`, `"web":`,
 * `["web"]:`, shorthand `web,`, a method `web(`): false only when each name is written at most once
 * in any key-like way, so that no object literal in the file can hold it twice. Conservative: a name
 * that is no plain identifier, an escape that could spell a name (`\u0065`, `\e`), or the same name in
 * a key-like place twice anywhere in the file (in another object, or a false alarm: `a ? web : b`)
 * answers true, and the caller reads the syntax tree.
 */
export function mayRepeatKey(text: string, names: readonly string[]): boolean {
  for (let i = text.indexOf("\\"); i >= 0; i = text.indexOf("\\", i + 2)) {
    const c = text[i + 1];
    if (c !== "\\" && (c === undefined || !/[nrtbfv'"`]/.test(c))) return true;
  }
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return true;
    const written = new RegExp(`(["'\`]?)${name.replace(/\$/g, "\\$")}\\1`, "g");
    let keys = 0;
    for (let m = written.exec(text); m; m = written.exec(text)) {
      const s = m.index;
      const e = s + m[0].length;
      if (/[\w$\\]/.test(text[s - 1] ?? "") || /[\w$]/.test(text[e] ?? "")) continue;
      let p = s - 1;
      while (p >= 0 && /\s/.test(text[p]!)) p--;
      let n = e;
      while (n < text.length && /\s/.test(text[n]!)) n++;
      if (text[p] === "[") {
        // (a computed key, `["web"]:`; an array's element is followed by `,` or its `]` by something else)
        if (text[n] !== "]") continue;
        n++;
        while (n < text.length && /\s/.test(text[n]!)) n++;
      }
      const next = text[n];
      const shorthand = m[1] === "" && (next === "," || next === "}") && (text[p] === "{" || text[p] === ",");
      if (next === ":" || next === "(" || next === "<" || next === "/" || shorthand) keys++;
      if (keys > 1) return true;
    }
  }
  return false;
}

/**
 * The whole call (or tagged template) whose callee `calleeAt` found: from the start of its callee
 * expression (`a.b.name`, names joined by dots on one line) to after its `)` or closing backtick, as
 * TypeScript's node spans it. Undefined for a callee after anything but dotted names (`f().name(`,
 * `a[0].name(`, `a?.name(`), for arguments holding a `/` after a `}`, and for text that does not close.
 */
export function callRange(text: string, callee: Range & { readonly tagged: boolean }): Range | undefined {
  let start = callee.start;
  // (read backwards, text cannot tell a comment: a chain is followed only along one line)
  const blank = (c: string | undefined): boolean => c === " " || c === "\t";
  for (;;) {
    let p = start - 1;
    while (p >= 0 && blank(text[p])) p--;
    if (text[p] !== "." || text[p - 1] === ".") break;
    if (text[p - 1] === "?") return undefined;
    p--;
    while (p >= 0 && blank(text[p])) p--;
    const nameEnd = p + 1;
    while (p >= 0 && isIdentPart(text[p])) p--;
    // (`/re/g.test(`: the flags of a regular expression are no name)
    if (p + 1 === nameEnd || !isIdentStart(text[p + 1]) || text[p] === "#" || text[p] === "\\" || text[p] === "@" || text[p] === "/") return undefined;
    start = p + 1;
  }
  const end = callee.tagged ? skipTemplate(text, callee.end) : skipArguments(text, callee.end);
  return end === undefined ? undefined : { start, end };
}

/** From a call's `(` (or a `${`'s `{`) to after its matching bracket, over strings, templates, comments and regular expressions. */
function skipArguments(text: string, open: number): number | undefined {
  const closers: string[] = [];
  // Per open bracket, whether it is the `(` of a condition (see slashAfter).
  const conditions: boolean[] = [];
  let before: SlashContext | undefined;
  let dot = false;
  const token = (kind: SlashContext["kind"], tokenText: string, extra: Partial<SlashContext> = {}): void => {
    before = { kind, text: tokenText, afterDot: kind === "word" && dot, closesCondition: false, doubled: false, ...extra };
    dot = kind === "punct" && tokenText === ".";
  };
  let i = open;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{") {
      closers.push(c === "(" ? ")" : c === "[" ? "]" : "}");
      conditions.push(c === "(" && before?.kind === "word" && !before.afterDot && CONDITION.has(before.text));
      token("punct", c);
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      if (closers.pop() !== c) return undefined;
      const condition = conditions.pop() === true;
      if (closers.length === 0) return i + 1;
      token("punct", c, { closesCondition: condition });
      i++;
    } else if (c === '"' || c === "'") {
      const after = skipString(text, i);
      if (after === undefined) return undefined;
      token("literal", "");
      i = after;
    } else if (c === "`") {
      const after = skipTemplate(text, i);
      if (after === undefined) return undefined;
      token("literal", "");
      i = after;
    } else if (c === "/" && text[i + 1] === "/") {
      const eol = text.indexOf("\n", i);
      if (eol < 0) return undefined;
      i = eol;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) return undefined;
      i = close + 2;
    } else if (c === "/") {
      const meaning = slashAfter(before);
      if (meaning === undefined) return undefined;
      if (meaning === "division") {
        token("punct", "/");
        i++;
      } else {
        const after = skipRegex(text, i);
        if (after === undefined) return undefined;
        token("literal", "");
        i = after;
      }
    } else if (isIdentPart(c)) {
      let j = i + 1;
      while (isIdentPart(text[j])) j++;
      token("word", text.slice(i, j));
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      token("punct", c, { doubled: (c === "+" || c === "-") && text[i - 1] === c });
      i++;
    }
  }
  return undefined;
}
