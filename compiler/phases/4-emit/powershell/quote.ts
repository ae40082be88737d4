// PowerShell literal printing. Every value fleetform writes into PowerShell goes through here,
// so that no value can end its literal early, expand a variable or run code.
//
// PowerShell (5.1 and 7) treats any of ' ‘ ’ ‚ ‛ as a single quote and " “ ” „ as a double quote
// (CharTraits.cs in the PowerShell sources), so all of them are escaped.
import type * as ir from "../../3-lower/ir.js";
import { dedent } from "../../../util/text.js";
import { expandableText, UNSAFE } from "../../../powershell/string-context.js";

const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/**
 * A string literal: single-quoted with quote characters doubled when that is enough; otherwise a
 * double-quoted string with backtick escapes (`` `n ``, `` `$ ``, `` `" `` ...) and `$([char]0xNNNN)`
 * for other unsafe code units. Uses only escapes Windows PowerShell 5.1 knows (no `` `e `` or `` `u{} ``).
 */
export function quoteString(value: string): string {
  if (!UNSAFE.test(value)) return `'${value.replace(SINGLE_QUOTES, "$&$&")}'`;
  return `"${expandableText(value)}"`;
}

export function quoteNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`no PowerShell literal for ${value}`);
  if (Object.is(value, -0)) return "0";
  let text: string;
  if (Number.isSafeInteger(value)) text = value >= -2147483648 && value <= 2147483647 ? String(value) : `${value}L`;
  else text = String(value);
  return value < 0 ? `(${text})` : text;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function quoteKey(key: string): string {
  return BARE_KEY.test(key) ? key : quoteString(key);
}

/** An expression as PowerShell; usable in expression and in argument position. */
export function printExpr(expr: ir.Expr): string {
  switch (expr.kind) {
    case "string":
      return quoteString(expr.value);
    case "number":
      return quoteNumber(expr.value);
    case "boolean":
      return expr.value ? "$true" : "$false";
    case "null":
      return "$null";
    case "array":
      return `@(${expr.items.map(printExpr).join(", ")})`;
    case "map":
      return expr.entries.length === 0 ? "@{}" : `@{ ${expr.entries.map((e) => `${quoteKey(e.key)} = ${printExpr(e.value)}`).join("; ")} }`;
    case "variable":
      return `$${expr.name}`;
    case "call": {
      const args = expr.args.map((a) => ` -${a.name} ${printExpr(a.value)}`).join("");
      const switches = expr.switches.map((s) => (s.on ? ` -${s.name}` : ` -${s.name}:$false`)).join("");
      return `(${expr.command}${args}${switches})`;
    }
    case "runtime":
      return printRuntime(expr);
    case "fragment":
      return printFragmentInline(expr.fragment);
    case "script":
      return quoteString(printFragment(expr.fragment));
    case "raw":
      return expr.text;
  }
}

/** Runtime values become calls of Fleetform.Runtime helpers, resolved when the configuration runs. */
export function printRuntime(expr: ir.RuntimeExpr): string {
  switch (expr.source) {
    case "ec2Tag":
      return `(Get-FfInstanceTag -Key ${quoteString(expr.name)})`;
    case "instanceId":
      return "(Get-FfInstanceId)";
    case "ssmParameter":
      return `(Get-FfSsmParameter -Name ${quoteString(expr.name)}${expr.secure ? " -WithDecryption" : ""})`;
    case "env":
      return `(Get-FfEnvironmentValue -Name ${quoteString(expr.name)})`;
    case "secretsManager":
      return `(Get-FfSecret -SecretId ${quoteString(expr.name)})`;
    case "credential":
      return `(Get-FfCredential -SecretId ${quoteString(expr.name)})`;
  }
}

function printFragmentInline(fragment: ir.Fragment): string {
  return fragment.parts.map((p) => (p.kind === "text" ? p.text : printExpr(p))).join("");
}

/** A fragment as a block of PowerShell: printed, then with its common indentation removed. */
export function printFragment(fragment: ir.Fragment): string {
  return dedent(printFragmentInline(fragment));
}
