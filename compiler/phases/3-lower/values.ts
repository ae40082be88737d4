// JS values → IR expressions. Values reaching here were checked (check/values.ts) or are reported
// by the fragment lowering with their location; unsupported values make a diagnostic, not a throw.
import { kindOf } from "../../../stdlib/api/brand.js";
import type { RuntimeValue } from "../../../stdlib/api/values.js";
import type * as ir from "./ir.js";

export function lowerRuntime(value: RuntimeValue): ir.RuntimeExpr {
  return { kind: "runtime", source: value.source, name: value.name, secure: value.secure };
}

/** Why a plain value cannot become a PowerShell literal, or undefined. */
export function literalProblem(value: unknown): { what: string; hint: string } | undefined {
  if (value === undefined) return { what: "undefined", hint: "a missing property or variable? Use null for $null" };
  if (typeof value === "number" && !Number.isFinite(value)) return { what: String(value), hint: "only finite numbers have a PowerShell literal" };
  if (typeof value === "bigint") return { what: "a bigint", hint: "use a number (or a string and convert it in PowerShell)" };
  if (typeof value === "function") return { what: `a function${value.name ? ` (${value.name})` : ""}`, hint: "call it, or interpolate what it returns" };
  if (typeof value === "symbol") return { what: "a symbol", hint: "symbols have no PowerShell literal" };
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !kindOf(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "class";
      return { what: `a ${name} object`, hint: "only plain objects become hashtables; convert it to a string, number, array or plain object" };
    }
  }
  return undefined;
}

/** A checked literal (or runtime value) as an IR expression. */
export function lowerLiteral(value: unknown): ir.Expr {
  if (value === null || value === undefined) return { kind: "null" };
  if (typeof value === "string") return { kind: "string", value };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (Array.isArray(value)) return { kind: "array", items: value.map(lowerLiteral) };
  if (kindOf(value) === "runtime") return lowerRuntime(value as RuntimeValue);
  const entries = Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, v]) => ({ key, value: lowerLiteral(v) }));
  return { kind: "map", entries };
}
