// param() blocks, help comments and type names, shared by functions, resources and tests.
import type * as ir from "../../3-lower/ir.js";
import { indent } from "../../../util/text.js";
import { printExpr, quoteString } from "./quote.js";
import { FLAG_OPTIONS } from "../../3-lower/types.js";

export function typeName(type: ir.Type): string {
  switch (type.kind) {
    case "string":
    case "enum":
    case "script":
    case "secret":
      return "string";
    case "credential":
      return "System.Management.Automation.PSCredential";
    case "int":
      return "int";
    case "bool":
      return "bool";
    case "map":
      return "hashtable";
    case "array": {
      const item = typeName(type.items);
      return item === "hashtable" || item.endsWith("[]") ? "object[]" : `${item}[]`;
    }
  }
}

function validation(type: ir.Type): string[] {
  switch (type.kind) {
    case "string": {
      const out: string[] = [];
      if (type.pattern) {
        // The translation carries the flags itself; 'None' also turns off ValidatePattern's default IgnoreCase.
        out.push(`[ValidatePattern(${quoteString(type.pattern.dotnet)}, Options = 'None')]`);
      }
      if (type.minLength !== undefined || type.maxLength !== undefined) {
        out.push(`[ValidateLength(${type.minLength ?? 0}, ${type.maxLength ?? 2147483647})]`);
      }
      return out;
    }
    case "int":
      return type.min !== undefined || type.max !== undefined ? [`[ValidateRange(${type.min ?? -2147483648}, ${type.max ?? 2147483647})]`] : [];
    case "enum":
      return [`[ValidateSet(${type.values.map(quoteString).join(", ")})]`];
    default:
      return [];
  }
}

/** One parameter: attributes, type and name, each on its own line. */
/** The parameter type DSC binds: hashtables arrive as MSFT_KeyValuePair CimInstance arrays. */
export function dscTypeName(type: ir.Type): string {
  return type.kind === "map" ? "Microsoft.Management.Infrastructure.CimInstance[]" : typeName(type);
}

/**
 * What a mandatory parameter must be told to accept that its property's type allows: PowerShell
 * refuses an empty string (also as an array's item) and an empty array for a mandatory parameter,
 * and `t.string()` allows "" as `t.array()` allows [] (a length or pattern, checked where the value
 * is written, is what refuses them). Not for a string that its validation refuses empty anyway.
 */
function allowEmpty(type: ir.Type, printed: string): string[] {
  const out: string[] = [];
  if (printed.endsWith("[]")) out.push("[AllowEmptyCollection()]");
  const item = type.kind === "array" ? type.items : type;
  const refusesEmpty = item.kind === "string" && ((item.minLength ?? 0) > 0 || (item.pattern !== undefined && refuses(item.pattern, "")));
  if ((item.kind === "string" || item.kind === "script" || item.kind === "secret") && !refusesEmpty) out.push("[AllowEmptyString()]");
  return out;
}

/** ir.Pattern's RegexOptions names back as JavaScript flags (lowerPattern's map, inverted). */
const OPTION_FLAGS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(FLAG_OPTIONS).map(([flag, option]) => [option, flag]));

/** Whether a property's pattern refuses a text (as JavaScript reads it, which the build makes .NET agree with). */
function refuses(pattern: ir.Pattern, text: string): boolean {
  try {
    return !new RegExp(pattern.source, pattern.options.map((o) => OPTION_FLAGS[o] ?? "").join("")).test(text);
  } catch {
    return false;
  }
}

export function printParam(p: ir.Param, types: (t: ir.Type) => string = typeName, compact = false): string {
  // (what a mandatory parameter allows, on the line of its Parameter attribute)
  const lines = [p.mandatory ? `[Parameter(Mandatory = $true)]${allowEmpty(p.type, types(p.type)).join("")}` : "[Parameter()]", ...validation(p.type)];
  lines.push(`[${types(p.type)}]$${p.name}${p.default && !p.mandatory ? ` = ${printExpr(p.default)}` : ""}`);
  return lines.join(compact ? " " : "\n");
}

/** A param() block, indented for a function body; compact: one line per parameter, no blank lines. */
export function printParamBlock(params: readonly ir.Param[], types: (t: ir.Type) => string = typeName, { compact = false } = {}): string {
  if (params.length === 0) return "param()";
  return `param(\n${indent(params.map((p) => printParam(p, types, compact)).join(compact ? ",\n" : ",\n\n"), "    ")}\n)`;
}

/**
 * Text safe inside a <# #> help comment (PowerShell's own generator escapes the same way), and still
 * help: a line whose first character after whitespace (.NET's, NEL included) is a dot is a help
 * keyword to PowerShell's help parser (`.SYNOPSIS` would start a section; an unknown one, `.NET`,
 * makes the whole comment not help), so that dot gets a backtick before it, as `<#` and `#>` do.
 */
export function helpText(text: string): string {
  return text
    .replace(/<#/g, "<`#")
    .replace(/#>/g, "#`>")
    .replace(/\r\n?/g, "\n")
    .replace(/^([\s\u0085]*)\./gm, "$1`.");
}

export function location(origin: { file: string; start: { line: number; column: number } } | undefined): string {
  return origin ? `${origin.file}:${origin.start.line}:${origin.start.column}` : "";
}
