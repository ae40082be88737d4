import { kindOf } from "../../../stdlib/api/brand.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { toDotNetPattern } from "../../util/dotnet-regex.js";
import { shown } from "../../util/names.js";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `'${shown(value.length > 40 ? value.slice(0, 40) + "..." : value)}'`;
  if (typeof value === "object") return kindOf(value) ? `a ${kindOf(value)}` : "an object";
  return `${typeof value} ${String(value)}`;
}

/** Why `value` is not a valid value of a property of type `type`, or undefined when it is. */
export function valueProblem(type: PropType, value: unknown): string | undefined {
  if (kindOf(value) === "runtime") {
    const runtime = value as { secure?: boolean; source?: string };
    // Secrets go only into secret properties, and secret properties take only secrets.
    if (type.type === "credential") return runtime.source === "secretsManager" ? undefined : "a credential comes from a Secrets Manager secret holding Username and Password: secret(id)";
    if (type.type === "secret") return runtime.secure ? undefined : "a secret takes a secret reference: ssmParameter(name, { secure: true }) or secret(id)";
    if (runtime.secure) return "a secret reference can only go into a t.secret() or t.credential() property, which keeps it out of logs";
    return type.type === "array" || type.type === "map" || type.type === "script" ? `a runtime value gives one string; this property is ${type.type === "array" ? "an array" : type.type === "map" ? "a map" : "a script"}` : undefined;
  }
  if (type.type === "secret" || type.type === "credential") {
    // Never echo the value: it may be a real secret written by mistake.
    return `a ${type.type} property takes only a reference (${type.type === "secret" ? "ssmParameter(name, { secure: true }) or secret(id)" : "secret(id)"}), never a literal value`;
  }
  switch (type.type) {
    case "string": {
      if (typeof value !== "string") return `expected a string, got ${describe(value)}`;
      if (type.minLength !== undefined && value.length < type.minLength) return `must be at least ${type.minLength} characters`;
      if (type.maxLength !== undefined && value.length > type.maxLength) return `must be at most ${type.maxLength} characters`;
      if (type.pattern instanceof RegExp && !new RegExp(type.pattern.source, type.pattern.flags.replace(/[gy]/g, "")).test(value)) return `${describe(value)} does not match /${type.pattern.source}/${type.pattern.flags}`;
      return undefined;
    }
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) return `expected a 32-bit whole number, got ${describe(value)}`;
      if (type.min !== undefined && value < type.min) return `must be at least ${type.min}`;
      if (type.max !== undefined && value > type.max) return `must be at most ${type.max}`;
      return undefined;
    case "bool":
      return typeof value === "boolean" ? undefined : `expected true or false, got ${describe(value)}`;
    case "enum":
      return typeof value === "string" && type.values.includes(value) ? undefined : `expected one of ${type.values.map((v) => `'${String(v)}'`).join(", ")}, got ${describe(value)}`;
    case "array": {
      if (!Array.isArray(value)) return `expected an array, got ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const p = valueProblem(type.items as PropType, value[i]);
        if (p) return `item ${i}: ${p}`;
      }
      return undefined;
    }
    case "script":
      return typeof value === "string" || kindOf(value) === "fragment" ? undefined : `expected a ps\`...\` fragment or a string of PowerShell, got ${describe(value)}`;
    case "map": {
      if (typeof value !== "object" || value === null || Array.isArray(value) || kindOf(value)) return `expected an object of values, got ${describe(value)}`;
      for (const [k, v] of Object.entries(value)) {
        if (k === "") return "map keys must not be empty";
        const p = valueProblem(type.values as PropType, v);
        if (p) return `key '${k}': ${p}`;
      }
      return undefined;
    }
  }
}

/**
 * Why a JavaScript pattern cannot be a PowerShell (.NET) pattern that means the same; empty when it
 * can (it is then emitted as its translation, see compiler/util/dotnet-regex.ts).
 */
export function patternProblems(pattern: RegExp): string[] {
  const translated = toDotNetPattern(pattern.source, pattern.flags);
  return translated.ok ? [] : [translated.problem];
}
