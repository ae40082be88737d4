// Property types (t.*) → IR types and parameters.
import type { PropType } from "../../../stdlib/api/types.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type * as ir from "./ir.js";
import { lowerLiteral } from "./values.js";
import { toDotNetPattern } from "../../util/dotnet-regex.js";
import { paramName } from "../1-load/callbacks.js";

export function lowerType(ctx: CompileContext, type: PropType, span: Span | undefined): ir.Type {
  switch (type.type) {
    case "string":
      return {
        kind: "string",
        ...(type.pattern ? { pattern: lowerPattern(ctx, type.pattern, span) } : {}),
        ...(type.minLength !== undefined ? { minLength: type.minLength } : {}),
        ...(type.maxLength !== undefined ? { maxLength: type.maxLength } : {}),
      };
    case "int":
      return { kind: "int", ...(type.min !== undefined ? { min: type.min } : {}), ...(type.max !== undefined ? { max: type.max } : {}) };
    case "bool":
      return { kind: "bool" };
    case "enum":
      return { kind: "enum", values: [...type.values] };
    case "array":
      return { kind: "array", items: lowerType(ctx, type.items as PropType, span) };
    case "map":
      return { kind: "map", values: lowerType(ctx, type.values as PropType, span) };
    case "script":
      return { kind: "script" };
    case "secret":
      return { kind: "secret" };
    case "credential":
      return { kind: "credential" };
  }
}

/** JavaScript flags as the RegexOptions names ir.Pattern keeps. */
export const FLAG_OPTIONS: Readonly<Record<string, string>> = { i: "IgnoreCase", m: "Multiline", s: "Singleline" };

/**
 * A JavaScript RegExp as a .NET pattern that accepts the same strings: `source`/`options` keep the
 * JavaScript pattern (flags as RegexOptions names), `dotnet` is its translation for RegexOptions.None.
 */
export function lowerPattern(ctx: CompileContext, pattern: RegExp, span: Span | undefined): ir.Pattern {
  const translated = toDotNetPattern(pattern.source, pattern.flags);
  if (!translated.ok) ctx.diagnostics.add(diag("PatternNotPortable", { pattern: pattern.source, flags: pattern.flags, message: translated.problem }, span));
  return {
    source: pattern.source,
    options: [...pattern.flags].filter((f) => f in FLAG_OPTIONS).map((f) => FLAG_OPTIONS[f]!),
    dotnet: translated.ok ? translated.pattern : "(?!)",
  };
}

export function lowerParams(ctx: CompileContext, props: Readonly<Record<string, PropType>>, span: Span | undefined): ir.Param[] {
  const params: ir.Param[] = [];
  const seen = new Map<string, string>();
  // Keys first (as DSC lists them), then the rest, each by name.
  const entries = Object.entries(props).sort(([a, ta], [b, tb]) => Number(!!tb.key) - Number(!!ta.key) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [property, type] of entries) {
    const name = paramName(property);
    const clash = seen.get(name.toLowerCase());
    if (clash !== undefined) {
      ctx.diagnostics.add(diag("DuplicateName", { what: "properties (PowerShell parameter names ignore case)", name: `${clash}/${property}` }, span));
      continue;
    }
    seen.set(name.toLowerCase(), property);
    const def = (type as { default?: unknown }).default;
    params.push({
      kind: "param",
      name,
      property,
      type: lowerType(ctx, type, span),
      mandatory: !!type.key || (!type.optional && def === undefined),
      key: !!type.key,
      ...(def !== undefined ? { default: lowerLiteral(def) } : {}),
      ...(type.description ? { description: type.description } : {}),
    });
  }
  return params;
}
