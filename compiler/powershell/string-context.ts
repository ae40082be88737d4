// Where in PowerShell's syntax a `${...}` of a ps`...` template stands: in code, inside an
// expandable string ("...", @"..."@), inside a verbatim one ('...', @'...'@) or a comment. A value
// is printed as a PowerShell literal, which is right only in code: inside an expandable string its
// quotes are text and a `$(...)` in it runs; inside a verbatim string or a comment it is text, and a
// `'` or `#>` in it ends what holds it. The lowering wraps a value inside an expandable string in
// `$(...)` (code again) and refuses one in the other two.
//
// The scanner reads the template's own text between the `${...}` (as PowerShell will see it) and
// keeps its state across them. It follows PowerShell's tokenizer where it matters here: every quote
// character PowerShell accepts (' ‘ ’ ‚ ‛ and " “ ” „), doubled quotes and backtick escapes inside
// strings, here-strings closed only at the start of a line, `$(...)` inside expandable strings
// (code, to its matching parenthesis), `${...}` variable names, and `#` starting a comment only
// where a token starts.

/**
 * Where a value stands. "nested": in code inside a `$(...)` of an expandable string, where
 * PowerShell's scan of the outer string counts every parenthesis and reads backtick escapes, even
 * inside the literals of the code.
 */
export type StringContext = "code" | "nested" | "expandable" | "verbatim" | "comment";

const SINGLE = "'\u2018\u2019\u201A\u201B";
const DOUBLE = '"\u201C\u201D\u201E';
/** Every character PowerShell reads as a single quote (doubled inside a single-quoted string). */
export const SINGLE_QUOTES = new RegExp(`[${SINGLE}]`, "g");

type Frame =
  /** Code; `depth`: the parentheses opened in it (a `$(...)` inside a string ends at its own). */
  | { kind: "code"; depth: number }
  | { kind: "dq" }
  | { kind: "sq" }
  | { kind: "here-dq" }
  | { kind: "here-sq" }
  | { kind: "line-comment" }
  | { kind: "block-comment" };

export class StringContextScanner {
  /** The innermost frame last. */
  readonly #stack: Frame[] = [{ kind: "code", depth: 0 }];
  /** The last character read (a `#` starts a comment only where a token may start). */
  #previous = "\n";
  /** Whether the next character starts a line. */
  #lineStart = true;

  /** Where a value written at this point stands. */
  get context(): StringContext {
    const top = this.#stack.at(-1)!;
    switch (top.kind) {
      case "code":
        return this.#stack.some((f) => f.kind === "dq" || f.kind === "here-dq") ? "nested" : "code";
      case "dq":
      case "here-dq":
        return "expandable";
      case "sq":
      case "here-sq":
        return "verbatim";
      default:
        return "comment";
    }
  }

  /** Whether the text read so far ends inside a here-string (its lines are text: indenting one changes it, or its terminator). */
  get inHereString(): boolean {
    return this.#stack.some((f) => f.kind === "here-dq" || f.kind === "here-sq");
  }

  /** A value printed here: in code it is one token (nothing to read); text a value stands for is read as written. */
  value(): void {
    this.#previous = "x";
    this.#lineStart = false;
  }

  /** Reads `text`, PowerShell's own text of the template between values. */
  read(text: string): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const top = this.#stack[this.#stack.length - 1]!;
      // The next character that can change the state: the ones between are read past at once.
      const j = nextSpecial(top.kind, text, i);
      if (j >= n) {
        this.#previous = text[n - 1]!;
        this.#lineStart = this.#previous === "\n";
        return;
      }
      if (j > 0) {
        this.#previous = text[j - 1]!;
        this.#lineStart = this.#previous === "\n";
      }
      const end = this.#step(top, text, j);
      this.#previous = text[end] ?? text[j]!;
      // (a here-string ends at a quote and @ that start a line)
      this.#lineStart = this.#previous === "\n";
      i = end + 1;
    }
  }

  /** The character at `i` in the innermost frame; returns the index of the last character it used. */
  #step(top: Frame, text: string, i: number): number {
    const c = text[i]!;
    const next = text[i + 1] ?? "";
    switch (top.kind) {
      case "code":
        return this.#code(top, text, i, c, next);
      case "dq":
      case "here-dq":
        if (c === "`") return i + 1;
        if (c === "$" && next === "(") {
          this.#stack.push({ kind: "code", depth: 1 });
          return i + 1;
        }
        if (c === "$" && next === "{") return braced(text, i);
        if (top.kind === "dq" && DOUBLE.includes(c)) {
          if (DOUBLE.includes(next)) return i + 1;
          this.#stack.pop();
        } else if (top.kind === "here-dq" && this.#lineStart && DOUBLE.includes(c) && next === "@") {
          this.#stack.pop();
          return i + 1;
        }
        return i;
      case "sq":
        if (SINGLE.includes(c)) {
          if (SINGLE.includes(next)) return i + 1;
          this.#stack.pop();
        }
        return i;
      case "here-sq":
        if (this.#lineStart && SINGLE.includes(c) && next === "@") {
          this.#stack.pop();
          return i + 1;
        }
        return i;
      case "line-comment":
        if (c === "\n") this.#stack.pop();
        return i;
      case "block-comment":
        if (c === "#" && next === ">") {
          this.#stack.pop();
          return i + 1;
        }
        return i;
    }
  }

  /** One character in code; returns the index of the last character it used. */
  #code(top: { kind: "code"; depth: number }, text: string, i: number, c: string, next: string): number {
    if (c === "`") return i + 1;
    if (c === "@" && (SINGLE.includes(next) || DOUBLE.includes(next)) && /^[ \t]*\r?\n/.test(text.slice(i + 2))) {
      this.#stack.push({ kind: SINGLE.includes(next) ? "here-sq" : "here-dq" });
      // (the here-string's text starts on the next line: the newline is its last character read)
      return text.indexOf("\n", i + 2);
    }
    if (SINGLE.includes(c)) {
      this.#stack.push({ kind: "sq" });
      return i;
    }
    if (DOUBLE.includes(c)) {
      this.#stack.push({ kind: "dq" });
      return i;
    }
    if (c === "<" && next === "#") {
      this.#stack.push({ kind: "block-comment" });
      return i + 1;
    }
    if (c === "#" && /[\s;|&(){}=,]/.test(this.#previous)) {
      this.#stack.push({ kind: "line-comment" });
      return i;
    }
    if (c === "$" && next === "{") return braced(text, i);
    if (c === "(") top.depth++;
    else if (c === ")") {
      top.depth--;
      // The `)` of a `$(...)` inside a string: back in the string.
      if (top.depth === 0 && this.#stack.length > 1) this.#stack.pop();
    }
    return i;
  }
}

// The characters each frame acts on (any other is read past): in code, escapes, here-string and
// string openers, comments, braced variables and parentheses; in strings, their quotes, escapes and `$`.
const CODE_SPECIAL = new RegExp(`[\`@${SINGLE}${DOUBLE}<#$()]`, "g");
const DQ_SPECIAL = new RegExp(`[\`$${DOUBLE}]`, "g");
const SQ_SPECIAL = new RegExp(`[${SINGLE}]`, "g");

/** The index of the first character from `i` that the frame acts on (text.length: none). */
function nextSpecial(kind: Frame["kind"], text: string, i: number): number {
  let found: number;
  if (kind === "line-comment") found = text.indexOf("\n", i);
  else if (kind === "block-comment") found = text.indexOf("#>", i);
  else {
    const re = kind === "code" ? CODE_SPECIAL : kind === "dq" || kind === "here-dq" ? DQ_SPECIAL : SQ_SPECIAL;
    re.lastIndex = i;
    found = re.exec(text)?.index ?? -1;
  }
  return found < 0 ? text.length : found;
}

/** The index of the `}` ending a `${...}` variable name that starts at `i` (backtick escapes inside). */
function braced(text: string, i: number): number {
  for (let j = i + 2; j < text.length; j++) {
    if (text[j] === "`") j++;
    else if (text[j] === "}") return j;
  }
  return text.length - 1;
}

/** Characters that must not stand raw in a source file: controls, line/paragraph separators, BOM, lone surrogates. */
export const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\u0000": "`0",
  "\u0007": "`a",
  "\b": "`b",
  "\f": "`f",
  "\n": "`n",
  "\r": "`r",
  "\t": "`t",
  "\v": "`v",
};

/**
 * `value` as the text of an expandable string ("..." or @"..."@) that reads as exactly it: backtick
 * escapes for the backtick, `$` and every double quote (`` `n `` and the like for controls), and
 * `$([char]0xNNNN)` for other unsafe code units. No raw line break (a here-string's `"@` cannot
 * start a line of it), no quote, no parenthesis PowerShell's scan of the string counts.
 */
export function expandableText(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1];
        i++;
        continue;
      }
    }
    const named = NAMED_ESCAPES[ch];
    if (named) out += named;
    else if (ch === "`" || ch === "$" || DOUBLE.includes(ch)) out += "`" + ch;
    else if (UNSAFE.test(ch)) out += `$([char]0x${code.toString(16).toUpperCase().padStart(4, "0")})`;
    else out += ch;
  }
  // A value of spaces alone would make a line of a here-string blank, which the fragment's dedent
  // empties: its first space is escaped (`` ` `` and a space read as a space).
  if (value !== "" && value.trim() === "" && !out.startsWith("`") && !out.startsWith("$(")) out = "`" + out;
  return out;
}

/** Characters a literal inside a string's `$(...)` may not hold as they are: the scan of the outer string counts or reads them. */
const NESTED_UNSAFE = /[()`"\u201C\u201D\u201E]/;

/**
 * A string literal for code inside an expandable string's `$(...)`: single-quoted, with the
 * characters the outer string's scan would count or read (parentheses, backticks, double quotes,
 * controls) joined in as `[char]0xNNNN`, e.g. `('a' + [char]0x29 + 'b')`: its only parentheses are balanced.
 */
export function nestedStringLiteral(value: string): string {
  const pieces: string[] = [];
  let run = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff) {
      run += ch + value[i + 1];
      i++;
      continue;
    }
    if (NESTED_UNSAFE.test(ch) || UNSAFE.test(ch)) {
      if (run !== "") pieces.push(`'${run}'`);
      run = "";
      pieces.push(`[char]0x${code.toString(16).toUpperCase().padStart(4, "0")}`);
    } else run += SINGLE.includes(ch) ? ch + ch : ch;
  }
  if (run !== "" || pieces.length === 0) pieces.push(`'${run}'`);
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join(" + ")})`;
}

/**
 * PowerShell code indented by `prefix`, but for the lines inside a here-string: their text is the
 * string's (and its `"@` or `'@` must start its line), so they stay as they are.
 */
export function indentCode(text: string, prefix: string): string {
  const scanner = new StringContextScanner();
  return text
    .split("\n")
    .map((line) => {
      const inside = scanner.inHereString;
      scanner.read(`${line}\n`);
      return line === "" || inside ? line : prefix + line;
    })
    .join("\n");
}
