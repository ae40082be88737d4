// PowerShell code of lowered expressions: plain values through ../../../powershell/literals.ts
// (the one place their quoting lives), properties, calls, runtime values and fragments.
import type * as ir from "../../3-lower/ir.js";
import { dedent } from "../../../util/text.js";
import { printLiteral, quoteString } from "../../../powershell/literals.js";

export { quoteKey, quoteNumber, quoteString } from "../../../powershell/literals.js";

/** An expression as PowerShell; usable in expression and in argument position. */
export function printExpr(expr: ir.Expr): string {
  switch (expr.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "array":
    case "map":
      return printLiteral(expr, quoteString, printExpr)!;
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

/** Each fragment printed once: the PowerShell check and the module's .psm1 print the same fragments (IR is not changed once made). */
const printed = new WeakMap<ir.Fragment, string>();

/** A fragment as a block of PowerShell: printed, then with its common indentation removed. */
export function printFragment(fragment: ir.Fragment): string {
  let text = printed.get(fragment);
  if (text === undefined) printed.set(fragment, (text = dedent(printFragmentInline(fragment))));
  return text;
}
