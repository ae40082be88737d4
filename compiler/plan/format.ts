// IR values printed the way an author wrote them, on one line: strings quoted ("C:\\x"), runtime
// values as calls (ec2Tag("Name")), arrays and maps compactly ([1, 2], { a: "b" }), stack values as
// stackParameter("Env") / sub`windows-${Env}`, PowerShell fragments as ps`...`.
import type * as ir from "../phases/3-lower/ir.js";

export function formatExpr(e: ir.Expr): string {
  switch (e.kind) {
    case "string":
      return JSON.stringify(e.value);
    case "number":
      return String(e.value);
    case "boolean":
      return String(e.value);
    case "null":
      return "null";
    case "array":
      return `[${e.items.map(formatExpr).join(", ")}]`;
    case "map":
      return e.entries.length === 0 ? "{}" : `{ ${e.entries.map((x) => `${formatKey(x.key)}: ${formatExpr(x.value)}`).join(", ")} }`;
    case "variable":
      return `$${e.name}`;
    case "call": {
      const args = e.args.map((a) => ` -${a.name} ${formatExpr(a.value)}`).join("");
      const switches = e.switches.map((s) => (s.on ? ` -${s.name}` : ` -${s.name}:$false`)).join("");
      return `(${e.command}${args}${switches})`;
    }
    case "runtime":
      return formatRuntime(e);
    case "fragment":
    case "script":
      return formatFragment(e.fragment);
    case "raw":
      return `ps.raw(${JSON.stringify(e.text)})`;
    default:
      // A kind added to the IR after this printer: still shown, as its JSON.
      return JSON.stringify(e as unknown);
  }
}

function formatRuntime(e: ir.RuntimeExpr): string {
  if (e.source === "instanceId") return "instanceId()";
  return `${e.source}(${JSON.stringify(e.name)}${e.secure ? ", { secure: true }" : ""})`;
}

/** ps`...` with interpolations as ${...}; newlines and tabs shown as \n and \t so it stays on one line. */
export function formatFragment(f: ir.Fragment): string {
  const body = f.parts
    .map((p) => (p.kind === "text" ? escapeTemplate(p.text) : "${" + formatExpr(p) + "}"))
    .join("");
  return "ps`" + body + "`";
}

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${").replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** A CloudFormation string: "literal", stackParameter("Name") or sub`...${Name}...`. */
export function formatCfn(s: ir.CfnString): string {
  switch (s.kind) {
    case "literal":
      return JSON.stringify(s.value);
    case "ref":
      return `stackParameter(${JSON.stringify(s.name)})`;
    case "sub":
      return "sub`" + s.template.replace(/`/g, "\\`") + "`";
  }
}

export function formatList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

/** Any plain JSON-like value (settings, LCM values already printed), compactly. */
export function formatPlain(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatPlain).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${formatKey(k)}: ${formatPlain(v)}`).join(", ")} }`;
  }
  return String(value);
}
