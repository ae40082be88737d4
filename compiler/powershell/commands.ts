// The commands a piece of PowerShell runs, as Windows PowerShell 5.1 would resolve them, for the
// safety checks: a light lexer (no PowerShell needed: lowering runs before pwsh answers) that finds
// each command's name and its arguments, skipping comments and quoted text, following `{...}`,
// `(...)`, pipelines and line continuations; aliases resolved through 5.1's recorded inventory
// (`rm`, `kill`, `spsv`), parameters by the unambiguous prefix PowerShell accepts (`-r` for
// -Recurse), and a native program's name without its folder and `.exe`.
import { inboxAliasTarget, inboxParameter } from "./link.js";

/** A command as written: its name and the words after it (quotes removed). */
export interface WrittenCommand {
  /** The name as it runs: an alias's command, a native program's lower-case name without folder and .exe. */
  readonly name: string;
  /** Whether the name is a native program's (written with .exe, a path, or no in-box command or alias). */
  readonly native: boolean;
  /** The words after the name, quotes removed; a nested `(...)`/`{...}` is not among them. */
  readonly args: readonly string[];
}

/** Every command `text` runs, nested ones included (in script blocks, parentheses, subexpressions). */
export function commandsIn(text: string, { aliases = true } = {}): WrittenCommand[] {
  const out: WrittenCommand[] = [];
  // The commands being read, innermost last: a bracket opened inside one starts a new command
  // position, and the outer command goes on after it closes.
  type Open = { words: Word[]; invoked: boolean };
  const stack: Open[] = [];
  let current: Open = { words: [], invoked: false };
  const finish = (): void => {
    const found = current.words.length > 0 ? command(current.words, current.invoked, aliases) : undefined;
    if (found) out.push(found);
    current.words = [];
    current.invoked = false;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "`" && (text[i + 1] === "\n" || (text[i + 1] === "\r" && text[i + 2] === "\n"))) {
      i += text[i + 1] === "\r" ? 3 : 2; // a line continuation
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      finish();
      i++;
      continue;
    }
    if (c === "#") {
      i = text.indexOf("\n", i);
      if (i < 0) i = n;
      continue;
    }
    if (c === "<" && text[i + 1] === "#") {
      const end = text.indexOf("#>", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    // (a lone `&` after a command's name: cmd's separator, PowerShell 7's background operator)
    if (c === "|" || (c === "&" && (text[i + 1] === "&" || current.words.length > 0))) {
      finish();
      i += text[i + 1] === c ? 2 : 1;
      continue;
    }
    if (c === "{" || c === "(" || (c === "$" && text[i + 1] === "(") || (c === "@" && (text[i + 1] === "(" || text[i + 1] === "{"))) {
      const open = c === "$" || c === "@" ? text[i + 1]! : c;
      stack.push(current);
      current = { words: [], invoked: false };
      i += c === open ? 1 : 2;
      continue;
    }
    if (c === "}" || c === ")") {
      finish();
      if (stack.length > 0) current = stack.pop()!;
      i++;
      continue;
    }
    // The call operators `&` and `.` before a command name: not words of their own.
    if (current.words.length === 0 && (c === "&" || (c === "." && /\s/.test(text[i + 1] ?? "")))) {
      current.invoked = true;
      i++;
      continue;
    }
    const word = readWord(text, i);
    if (word.text !== "" || word.quoted) current.words.push(word);
    i = word.end;
  }
  finish();
  while (stack.length > 0) {
    current = stack.pop()!;
    finish();
  }
  return out;
}

/** A word as read: its text with quotes removed, and whether it starts with a quote (a string, not a name). */
interface Word {
  readonly text: string;
  readonly quoted: boolean;
}

/** One word from `start`: barewords and quoted parts joined until whitespace or an operator ends it. */
function readWord(text: string, start: number): Word & { end: number } {
  let i = start;
  let value = "";
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "@" && (text[i + 1] === "'" || text[i + 1] === '"') && (text[i + 2] === "\n" || text[i + 2] === "\r")) {
      // A here-string: to a line starting with its closing quote and @.
      const quote = text[i + 1]!;
      const close = text.indexOf(`\n${quote}@`, i + 2);
      const end = close < 0 ? n : close + 3;
      value += text.slice(text.indexOf("\n", i) + 1, close < 0 ? n : close);
      i = end;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      // A braced variable name (`${env:ProgramFiles(x86)}`), not a script block.
      const close = text.indexOf("}", i + 2);
      value += text.slice(i, close < 0 ? n : close + 1);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let s = "";
      while (j < n) {
        if (text[j] === "'" && text[j + 1] === "'") {
          s += "'";
          j += 2;
        } else if (text[j] === "'") break;
        else s += text[j++];
      }
      value += s;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < n && text[j] !== '"') {
        if (text[j] === "`" && j + 1 < n) j++;
        s += text[j++];
      }
      value += s;
      i = j + 1;
      continue;
    }
    if (c === "`" && i + 1 < n && text[i + 1] !== "\n" && text[i + 1] !== "\r") {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (/[\s;|&(){}]/.test(c)) break;
    value += c;
    i++;
  }
  return { text: value, quoted: /^@?['"]/.test(text.slice(start, start + 2)), end: Math.max(i, start + 1) };
}

/**
 * A command's words as it runs: the name resolved, the arguments as written. Undefined for an
 * expression: a string not invoked with `&`, a member access after a bracket (`(...).Length`).
 */
function command(all: readonly Word[], invoked: boolean, aliases: boolean): WrittenCommand | undefined {
  let words = all;
  // `$x = Stop-Service ...`, `[int]$n += ...`, `return Get-Thing`: the command follows.
  for (;;) {
    if (words.length >= 2 && !words[0]!.quoted && /^[$[]/.test(words[0]!.text) && /^[-+*/%]?=$/.test(words[1]!.text)) words = words.slice(2);
    else if (words.length >= 2 && /^(return|throw|exit)$/i.test(words[0]!.text)) words = words.slice(1);
    else break;
  }
  if (words.length === 0 || (words[0]!.quoted && !invoked) || /^\.[A-Za-z_]/.test(words[0]!.text)) return undefined;
  const written = words[0]!.text;
  const args = words.slice(1).map((w) => w.text);
  const base = written!.replace(/^.*[\\/]/, "");
  const exe = /\.(exe|com)$/i.test(base);
  if (aliases && !exe && base === written) {
    const target = inboxAliasTarget(written);
    if (target) return { name: target, native: false, args };
  }
  const name = base.replace(/\.(exe|com)$/i, "");
  return { name, native: exe || base !== written || !/^[A-Za-z]+-[A-Za-z0-9]+$/.test(name), args };
}

/**
 * The value of a cmdlet's switch or parameter among `args`, resolved as PowerShell binds
 * `-Name`, `-Name:value` and unambiguous prefixes (`-r` for -Recurse) of the command's 5.1
 * parameters: true for a switch given bare, the word after it or after the colon otherwise;
 * undefined when it is not given.
 */
export function parameterValue(cmd: WrittenCommand, parameter: string, { isSwitch = false } = {}): string | true | undefined {
  for (let i = 0; i < cmd.args.length; i++) {
    const m = /^-([A-Za-z_?][\w-]*)(?::(.*))?$/.exec(cmd.args[i]!);
    if (!m) continue;
    const bound = inboxParameter(cmd.name, m[1]!) ?? (parameter.toLowerCase().startsWith(m[1]!.toLowerCase()) ? parameter : undefined);
    if (bound?.toLowerCase() !== parameter.toLowerCase()) continue;
    if (m[2] !== undefined) return m[2];
    if (isSwitch) return true;
    return cmd.args[i + 1] ?? true;
  }
  return undefined;
}
