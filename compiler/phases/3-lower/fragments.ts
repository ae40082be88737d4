// ps`...` fragments → IR fragments. Author callbacks (get/test/set/safe/body) run here, with
// handles for their parameters; every interpolated value becomes a typed IR expression.
import { ts } from "ts-morph";
import { kindOf } from "../../../stdlib/api/brand.js";
import type { ExternDef, FnDef } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { handle, type Call, type Fragment, type RuntimeValue } from "../../../stdlib/api/values.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import type { Evaluator } from "../1-load/evaluate.js";
import type * as ir from "./ir.js";
import { paramName } from "./types.js";
import { literalProblem, lowerRuntime } from "./values.js";

/** What a fragment uses, so its module can require it. */
export interface Uses {
  /** Each function called, with where it is first called. */
  readonly fns: Map<FnDef, Span | undefined>;
  readonly externs: Set<ExternDef>;
}

export function newUses(): Uses {
  return { fns: new Map(), externs: new Set() };
}

/** Handles for a callback's parameters: `name` renders as `$Name`. */
export function handlesFor(props: Readonly<Record<string, PropType>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(props).map((p) => [p, handle(paramName(p))]));
}

/** Template text as PowerShell: `\`` is PowerShell's backtick and `\${` a literal `${`. */
export function templateText(raw: string): string {
  return raw.replace(/\\`/g, "`").replace(/\\\$\{/g, "${");
}

export class FragmentLowerer {
  constructor(
    private readonly ctx: CompileContext,
    private readonly ev: Evaluator,
  ) {}

  spanOf(site: import("../../../stdlib/api/brand.js").Site | undefined): Span | undefined {
    return this.ev.spanOf(site);
  }

  /** Runs an author callback that must return a fragment, and lowers it. */
  build(owner: string, part: string, span: Span | undefined, uses: Uses, callback: () => unknown): ir.Fragment | undefined {
    let result: unknown;
    try {
      result = callback();
    } catch (e) {
      this.ctx.diagnostics.add(diag("FragmentThrew", { part, owner, message: e instanceof Error ? e.message : String(e) }, this.ev.spanOfError(e) ?? span));
      return undefined;
    }
    if (kindOf(result) !== "fragment") {
      const got = result === undefined ? "undefined" : kindOf(result) ?? typeof result;
      this.ctx.diagnostics.add(diag("FragmentExpected", { part, owner, got }, span));
      return undefined;
    }
    return this.lower(result as Fragment, uses);
  }

  lower(fragment: Fragment, uses: Uses): ir.Fragment {
    const call = this.ev.callAt(fragment.site);
    const span = call?.span ?? this.ev.spanOf(fragment.site);
    // The `${...}` of each value, so a bad value is reported where it is written.
    const holes: (Span | undefined)[] = [];
    if (call && ts.isTaggedTemplateExpression(call.node) && ts.isTemplateExpression(call.node.template)) {
      for (const t of call.node.template.templateSpans) holes.push(this.ev.nodeSpan(call.file.fileName, t.expression));
    }
    const parts: ir.Part[] = [];
    fragment.strings.forEach((raw, i) => {
      const text = templateText(raw);
      if (text !== "") parts.push({ kind: "text", text });
      if (i < fragment.values.length) {
        const expr = this.expr(fragment.values[i], holes[i] ?? span, uses);
        if (expr) parts.push(expr);
      }
    });
    return { kind: "fragment", parts, ...(span ? { origin: span } : {}) };
  }

  expr(value: unknown, span: Span | undefined, uses: Uses): ir.Expr | undefined {
    const problem = literalProblem(value);
    if (problem) {
      this.ctx.diagnostics.add(diag("BadInterpolation", problem, span));
      return undefined;
    }
    if (value === null) return { kind: "null" };
    if (typeof value === "string") return { kind: "string", value };
    if (typeof value === "number") return { kind: "number", value };
    if (typeof value === "boolean") return { kind: "boolean", value };
    if (Array.isArray(value)) {
      const items = value.map((v) => this.expr(v, span, uses));
      return items.every((i) => i) ? { kind: "array", items: items as ir.Expr[] } : undefined;
    }
    switch (kindOf(value)) {
      case undefined: {
        const entries: { key: string; value: ir.Expr }[] = [];
        for (const key of Object.keys(value as object).sort()) {
          const v = this.expr((value as Record<string, unknown>)[key], span, uses);
          if (v) entries.push({ key, value: v });
        }
        return { kind: "map", entries };
      }
      case "handle":
        return { kind: "variable", name: (value as { name: string }).name };
      case "fragment":
        return { kind: "fragment", fragment: this.lower(value as Fragment, uses) };
      case "raw":
        return { kind: "raw", text: (value as { text: string }).text };
      case "runtime":
        return lowerRuntime(value as RuntimeValue);
      case "call":
        return this.#call(value as Call, uses);
      case "fn":
      case "extern":
        this.ctx.diagnostics.add(diag("BadInterpolation", { what: `the command ${(value as { definition?: { name?: string } }).definition?.name ?? ""}`.trimEnd(), hint: "call it with its arguments, e.g. ${getInstanceTag({ key: 'Name' })}" }, span));
        return undefined;
      default:
        this.ctx.diagnostics.add(diag("BadInterpolation", { what: `a ${kindOf(value)}`, hint: "only values, property handles, command calls, runtime values and fragments can be interpolated" }, span));
        return undefined;
    }
  }

  #call(call: Call, uses: Uses): ir.Expr | undefined {
    const def = call.target as FnDef | ExternDef;
    const isExtern = kindOf(def) === "extern";
    const span = this.ev.spanOf(call.site);
    if (isExtern) uses.externs.add(def as ExternDef);
    else if (!uses.fns.has(def as FnDef)) uses.fns.set(def as FnDef, span);
    const params = (def.params ?? {}) as Record<string, PropType>;
    const switches = new Set(isExtern ? ((def as ExternDef).switches ?? []) : []);
    const args: { name: string; value: ir.Expr }[] = [];
    const flags: { name: string; on: boolean }[] = [];
    for (const key of Object.keys(call.args).sort()) {
      const value = call.args[key];
      if (switches.has(key)) {
        if (typeof value !== "boolean") {
          this.ctx.diagnostics.add(diag("ArgumentInvalid", { command: def.name, message: `switch '${key}' takes true or false` }, span));
        } else {
          flags.push({ name: paramName(key), on: value });
        }
        continue;
      }
      if (!(key in params)) {
        this.ctx.diagnostics.add(diag("ArgumentInvalid", { command: def.name, message: `it has no parameter '${key}'` }, span));
        continue;
      }
      if (value === undefined) continue;
      const expr = this.expr(value, span, uses);
      if (expr) args.push({ name: paramName(key), value: expr });
    }
    for (const [key, type] of Object.entries(params)) {
      const required = !!type.key || (!type.optional && (type as { default?: unknown }).default === undefined);
      if (required && call.args[key] === undefined) {
        this.ctx.diagnostics.add(diag("ArgumentInvalid", { command: def.name, message: `parameter '${key}' is required` }, span));
      }
    }
    args.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { kind: "call", command: def.name, args, switches: flags };
  }
}
