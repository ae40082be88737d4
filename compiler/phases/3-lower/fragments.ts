// ps`...` fragments → IR fragments. Author callbacks (get/test/set/safe/body) run here, with
// handles for their parameters; every interpolated value becomes a typed IR expression.
import { kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { ExternDef, FnDef } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import type { Call, Fragment, RuntimeValue } from "../../../stdlib/api/values.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type { SpanLocator, TemplateHole } from "../1-load/locator.js";
import { MAX_NESTING } from "../1-load/nesting.js";
import { taggedTemplateAt } from "../1-load/lexical.js";
import { LineIndex } from "../../util/text.js";
import { isTimeout, runEachWithTimeout, type Outcome } from "../1-load/time-limit.js";
import { commandNameProblems } from "../../powershell/command-names.js";
import { valueProblem } from "../2-check/values.js";
import { reportUnknownKeys } from "../unknown-keys.js";
import { expandableText, nestedStringLiteral, StringContextScanner } from "../../powershell/string-context.js";
import { printLiteral } from "../../powershell/literals.js";
import { runtimeCall, runtimeNameProblem, shown } from "../../util/names.js";
import type * as ir from "./ir.js";
import { isSecretHandle, paramName } from "../1-load/callbacks.js";
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

/** Template text as PowerShell: `\`` is PowerShell's backtick and `\${` a literal `${`. */
export function templateText(raw: string): string {
  return raw.replace(/\\`/g, "`").replace(/\\\$\{/g, "${");
}

/** Why a value cannot stand where PowerShell would read it as text (FF3001's hint). */
const INERT_CONTEXT = {
  verbatim: "it stands inside a single-quoted PowerShell string, where it would be the text of its literal (quotes included) and a ' in it would end the string; end the string before ${...}, or use a double-quoted one",
  comment: "it stands inside a PowerShell comment, where a line break or #> in it would end the comment; move it out of the comment",
} as const;

/** A runtime value's name is quoted inside its call: in a string only one without quotes or parentheses, which the string's scan would count. */
const STRING_SAFE_NAME = /^[^()'"`$\u2018-\u201E]*$/;

const IN_STRING_HINT =
  "inside a double-quoted PowerShell string only literal values, properties and runtime values can stand (PowerShell cannot nest code with strings of its own there safely); assign it to a variable before the string ($x = ...) and write $x in it";

/**
 * A value inside an expandable string, as that string's text: a literal as its text with every
 * character escaped (ps.raw as written), a property as `$($Name)`, a runtime value as a
 * subexpression of its call; what else would be code (a fragment, a call) or not one text (a map)
 * is refused: what it is, for FF3001.
 */
function expandablePart(expr: ir.Expr): ir.Part | string {
  const text = (e: ir.Expr): string | undefined => {
    switch (e.kind) {
      case "string":
        return expandableText(e.value);
      case "number":
        return Object.is(e.value, -0) ? "0" : String(e.value);
      case "boolean":
        return e.value ? "True" : "False";
      case "null":
        return "";
      case "array": {
        // (PowerShell joins an array in a string with spaces, $OFS's default)
        const items = e.items.map(text);
        return items.every((t) => t !== undefined) ? items.join(" ") : undefined;
      }
      default:
        return undefined;
    }
  };
  const subexpression = (e: ir.Expr): ir.Part => ({ kind: "fragment", fragment: { kind: "fragment", parts: [{ kind: "text", text: "$(" }, e, { kind: "text", text: ")" }] } });
  if (expr.kind === "raw") return expr;
  if (expr.kind === "variable") return subexpression(expr);
  if (expr.kind === "runtime") return STRING_SAFE_NAME.test(expr.name) ? subexpression(expr) : `runtime value '${expr.name}'`;
  const literal = text(expr);
  if (literal !== undefined) return { kind: "raw", text: literal };
  return expr.kind === "fragment" || expr.kind === "script" ? "a ps`...` fragment" : expr.kind === "call" ? `a call of ${expr.command}` : expr.kind === "map" ? "a map" : "an array holding a map";
}

/**
 * A value in code inside an expandable string's `$(...)`: literals printed with nestedStringLiteral
 * (ps.raw as written), properties and runtime values as they are; a fragment or a call, whose code
 * has strings of its own, is refused: what it is, for FF3001.
 */
function nestedPart(expr: ir.Expr): ir.Part | string {
  if (expr.kind === "raw" || expr.kind === "variable") return expr;
  if (expr.kind === "runtime") return STRING_SAFE_NAME.test(expr.name) ? expr : `runtime value '${expr.name}'`;
  const printed = printLiteral(expr, nestedStringLiteral);
  if (printed !== undefined) return { kind: "raw", text: printed };
  return expr.kind === "fragment" || expr.kind === "script" ? "a ps`...` fragment" : `a call of ${(expr as { command?: string }).command ?? "a command"}`;
}

export class FragmentLowerer {
  /** The definitions made while the author's files were evaluated: the ones the check phase saw. */
  readonly #evaluated: ReadonlySet<object>;
  /** Definitions made later (inside callbacks), each reported once. */
  readonly #late = new Set<object>();
  /** The definition site behind each span handed out by spanOf, to find a definition's properties. */
  readonly #sites = new WeakMap<Span, Site>();

  constructor(
    private readonly ctx: CompileContext,
    private readonly ev: SpanLocator,
    evaluated: Iterable<object>,
  ) {
    this.#evaluated = new Set(evaluated);
  }

  /** Outcomes of callbacks run ahead of their build() (runAhead), by definition and part. */
  readonly #ahead = new Map<object, Map<string, Outcome>>();

  /**
   * Runs author callbacks that build() will ask for (`def` and `part` as build() gets them), all
   * under one time-limit window (runEachWithTimeout) instead of one per callback.
   */
  runAhead(calls: readonly { readonly def: object; readonly part: string; readonly callback: () => unknown }[]): void {
    this.#ahead.clear();
    const outcomes = runEachWithTimeout(
      calls.map((c) => c.callback),
      this.ctx.options.evalTimeout,
    );
    calls.forEach((c, i) => {
      let parts = this.#ahead.get(c.def);
      if (!parts) this.#ahead.set(c.def, (parts = new Map()));
      parts.set(c.part, outcomes[i]!);
    });
  }

  spanOf(site: Site | undefined): Span | undefined {
    const span = this.ev.spanOf(site);
    if (span && site) this.#sites.set(span, site);
    return span;
  }

  /**
   * Runs an author callback that must return a fragment, and lowers it. `span` is the definition's
   * (from spanOf): problems are reported at the callback's property (`get:`, `body:`) in it.
   */
  build(def: object, owner: string, part: string, span: Span | undefined, uses: Uses, callback: () => unknown): ir.Fragment | undefined {
    const site = span ? this.#sites.get(span) : undefined;
    // (where a problem is reported: found only for one)
    const at = (): Span | undefined => this.ev.propertySpan(site, [part], { at: "name" }) ?? span;
    const outcome = this.#ahead.get(def)?.get(part) ?? runEachWithTimeout([callback], this.ctx.options.evalTimeout)[0]!;
    this.#ahead.get(def)?.delete(part);
    const result = outcome.ok ? outcome.value : undefined;
    if (!outcome.ok) {
      const e = outcome.error;
      if (isTimeout(e)) {
        this.ctx.diagnostics.add(diag("EvaluationTimeout", { file: `the ${part} of ${owner}`, ms: this.ctx.options.evalTimeout }, at()));
        return undefined;
      }
      this.ctx.diagnostics.add(diag("FragmentThrew", { part, owner, message: e instanceof Error ? e.message : String(e) }, this.ev.spanOfError(e) ?? at()));
      return undefined;
    }
    if (kindOf(result) === "fragment" && fragmentDepth(result as Fragment) > MAX_NESTING) {
      this.ctx.diagnostics.add(diag("NestingTooDeep", { what: `the ${part} of ${owner}`, limit: `more than ${MAX_NESTING} levels`, where: " of ps`...` fragments inside each other" }, at()));
      return undefined;
    }
    if (kindOf(result) !== "fragment") {
      const got = result === undefined ? "undefined" : result === null ? "null" : (kindOf(result) ?? (Array.isArray(result) ? "an array" : typeof result));
      this.ctx.diagnostics.add(diag("FragmentExpected", { part, owner, got }, at()));
      return undefined;
    }
    return this.lower(result as Fragment, uses);
  }

  lower(fragment: Fragment, uses: Uses): ir.Fragment {
    // The `${...}` of each value, so a bad value is reported where it is written.
    const { span, holes } = this.ev.templateAt(fragment.site);
    const parts: ir.Part[] = [];
    // Where each value stands in PowerShell's syntax (see string-context.ts).
    const scanner = new StringContextScanner();
    // `C:\Logs\${name}.log`: JavaScript's `\$` escape leaves PowerShell the variable ${name} joined
    // to the path, where the value was meant (a warning: `\${env:X}` apart from text is a variable on purpose).
    for (const [i, raw] of fragment.strings.entries()) {
      const found = /([\w.:)\]-]+)\\\$\{([A-Za-z_]\w*)\}/.exec(raw);
      if (!found) continue;
      const [written, before, name] = found as unknown as [string, string, string];
      // Inside a single-quoted string PowerShell reads no variable: the text stays as written.
      // (the strings before it read as the loop below reads them)
      const before$ = new StringContextScanner();
      for (const earlier of fragment.strings.slice(0, i)) before$.read(templateText(earlier));
      before$.read(templateText(raw.slice(0, found.index + before.length)));
      const printed = `${before}\${${name}}`;
      const [effect, advice] =
        before$.context === "verbatim"
          ? [`inside single quotes PowerShell reads no variable: the string holds the text '${printed}' as written, not the value of ${name}`, `write the string in double quotes with '${before}\\$(\${${name}})' in it`]
          : [`PowerShell reads '${printed}': the backslash is gone, and \${${name}} is PowerShell's variable joined to the text before it`, `write '${before}\\$(\${${name}})' (JavaScript keeps '\\$(' as written, and PowerShell reads a subexpression)`];
      const at = rawSpan((file) => this.ctx.sources.get(file), span, holes, i, raw, found.index + before.length, 3 + name.length + 1);
      this.ctx.diagnostics.add(diag("BracedVariableAfterPath", { written, effect, advice }, at ?? span));
      break;
    }
    fragment.strings.forEach((raw, i) => {
      const text = templateText(raw);
      if (text !== "") parts.push({ kind: "text", text });
      scanner.read(text);
      if (i < fragment.values.length) {
        const hole = holes[i];
        const at = hole?.span ?? span;
        // (text pasted with ps.raw is PowerShell text where it is written, in a string or not)
        const context = kindOf(fragment.values[i]) === "raw" ? "code" : scanner.context;
        if (context === "verbatim" || context === "comment") {
          const value = fragment.values[i];
          const what = kindOf(value) === "handle" ? `property $${(value as { name: string }).name}` : "a value";
          this.ctx.diagnostics.add(diag("BadInterpolation", { what, hint: INERT_CONTEXT[context] }, at));
          scanner.value();
          return;
        }
        const expr = this.expr(fragment.values[i], at, uses, hole);
        if (expr && context === "expandable") {
          // Inside an expandable string a literal's quotes would be text and a $(...) in it would
          // run: a value goes in as the string's own text ("Greeting: it's `$(x)").
          const inString = expandablePart(expr);
          if (typeof inString === "string") this.ctx.diagnostics.add(diag("BadInterpolation", { what: inString, hint: IN_STRING_HINT }, at));
          else parts.push(inString);
        } else if (expr && context === "nested") {
          const nested = nestedPart(expr);
          if (typeof nested === "string") this.ctx.diagnostics.add(diag("BadInterpolation", { what: nested, hint: IN_STRING_HINT }, at));
          else parts.push(nested);
        } else if (expr) parts.push(expr);
        if (expr?.kind === "raw") scanner.read(expr.text);
        else scanner.value();
      }
    });
    return { kind: "fragment", parts, ...(span ? { origin: span } : {}) };
  }

  /** A value as an IR expression; `written` is the `${...}` that gave it, when known (for messages). */
  expr(value: unknown, span: Span | undefined, uses: Uses, written?: TemplateHole): ir.Expr | undefined {
    const kind = kindOf(value);
    if (kind === "fn" || kind === "extern") {
      this.ctx.diagnostics.add(diag("BadInterpolation", commandNotCalled(value as CommandValue, written), span));
      return undefined;
    }
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
      case "runtime": {
        // The same names as in property values (2-check), so a name means the same everywhere.
        const r = value as RuntimeValue;
        const rule = runtimeNameProblem(r.source, r.name);
        if (rule) {
          this.ctx.diagnostics.add(diag("RuntimeNameInvalid", { call: runtimeCall(r.source), name: shown(r.name), rule }, this.ev.spanOf(r.site) ?? span));
          return undefined;
        }
        return lowerRuntime(r);
      }
      case "call":
        return this.#call(value as Call, uses);
      default:
        this.ctx.diagnostics.add(diag("BadInterpolation", { what: `${/^[aeiou]/.test(String(kindOf(value))) ? "an" : "a"} ${kindOf(value)}`, hint: "only values, property handles, command calls, runtime values and fragments can be interpolated" }, span));
        return undefined;
    }
  }

  #call(call: Call, uses: Uses): ir.Expr | undefined {
    const def = call.target as FnDef | ExternDef;
    const isExtern = kindOf(def) === "extern";
    const span = this.ev.spanOf(call.site);
    if (!this.#evaluated.has(def)) this.#checkLate(def, span);
    if (isExtern) uses.externs.add(def as ExternDef);
    else if (!uses.fns.has(def as FnDef)) uses.fns.set(def as FnDef, span);
    const params = (def.params ?? {}) as Record<string, PropType>;
    const switches = new Set(isExtern ? ((def as ExternDef).switches ?? []) : []);
    const args: { name: string; value: ir.Expr }[] = [];
    const flags: { name: string; on: boolean }[] = [];
    // A misspelt argument: once, at its key, with the parameter it likely means (not again as that parameter missing).
    const keySpan = (key: string): Span | undefined => this.ev.propertySpan(call.site, [key], { at: "name" }) ?? span;
    const meant = reportUnknownKeys(this.ctx, call.args, [...Object.keys(params), ...switches], `${isExtern ? "extern" : "function"} ${String(def.name)}`, keySpan, "parameter");
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
      if (!(key in params)) continue; // reported above
      if (value === undefined) continue;
      // A value written as it is (not a property, a runtime value or a fragment) must be one the
      // parameter takes: its [ValidatePattern()], [ValidateRange()] or [ValidateSet()] would refuse it on every run.
      const type = params[key]!;
      const problem = literal(value)
        ? valueProblem(type, value)
        : isSecretHandle(value) && type.type !== "secret" && type.type !== "credential"
          ? `a secret property ($${(value as { name: string }).name}) can only be passed to a t.secret() or t.credential() parameter, which keeps it out of logs and reports`
          : undefined;
      if (problem) {
        this.ctx.diagnostics.add(diag("ArgumentInvalid", { command: def.name, message: `parameter '${key}': ${problem}` }, this.ev.propertySpan(call.site, [key]) ?? span));
        continue;
      }
      const expr = this.expr(value, span, uses);
      if (expr) args.push({ name: paramName(key), value: expr });
    }
    for (const [key, type] of Object.entries(params)) {
      const required = !!type.key || (!type.optional && (type as { default?: unknown }).default === undefined);
      if (required && call.args[key] === undefined && !meant.has(key)) {
        this.ctx.diagnostics.add(diag("ArgumentInvalid", { command: def.name, message: `parameter '${key}' is required` }, span));
      }
    }
    args.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { kind: "call", command: def.name, args, switches: flags };
  }

  /**
   * A command defined after evaluation (inside a callback) or outside the author's sources, which
   * the check phase could not see: its name is checked here, and a fn cannot be emitted by any module.
   */
  #checkLate(def: FnDef | ExternDef, callSpan: Span | undefined): void {
    if (this.#late.has(def)) return;
    this.#late.add(def);
    const nameSpan = this.ev.optionSpan(def.site, ["name"]) ?? callSpan;
    const isExtern = kindOf(def) === "extern";
    for (const d of commandNameProblems(def.name, () => nameSpan, { ours: !isExtern })) this.ctx.diagnostics.add(d);
    if (isExtern) return;
    const file = def.site?.file;
    if (file !== undefined && this.ev.isSource(file)) {
      this.ctx.diagnostics.add(diag("FunctionTooLate", { name: String(def.name) }, nameSpan));
    } else {
      this.ctx.diagnostics.add(diag("DefinitionOutsideModule", { what: "function", name: String(def.name), file: file === undefined ? "an unknown file" : this.ctx.rel(file) }, callSpan));
    }
  }
}

/** A value written as it is: a string, number, boolean, or an array or plain object of them. */
function literal(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every(literal);
  return typeof value === "object" && value !== null && kindOf(value) === undefined && Object.values(value).every(literal);
}

/** A fn or extern as authors hold it: callable, with its definition. */
type CommandValue = { readonly definition?: { readonly name?: unknown; readonly params?: unknown } };

/** BadInterpolation for a command interpolated without a call: how to call it, by the name the author wrote. */
function commandNotCalled(value: CommandValue, written: TemplateHole | undefined): { what: string; hint: string } {
  const name = typeof value.definition?.name === "string" ? value.definition.name : undefined;
  const callee = written?.name ?? (name ? camelCase(name) : "command");
  const params = value.definition?.params;
  const args = typeof params === "object" && params !== null && Object.keys(params).length > 0 ? `{ ${Object.keys(params).map((p) => `${p}: ...`).join(", ")} }` : "{}";
  return { what: name ? `the command ${name}` : "a command", hint: `call it with its arguments, e.g. \${${callee}(${args})}` };
}

/** `Get-OsBuild` → `getOsBuild`. */
function camelCase(command: string): string {
  const joined = command.replace(/[^A-Za-z0-9]+/g, "");
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

/** How deep fragments nest in a fragment (1: none inside it), counted without recursion. */
function fragmentDepth(root: Fragment): number {
  let deepest = 0;
  const stack: [Fragment, number][] = [[root, 1]];
  const seen = new Set<Fragment>();
  while (stack.length > 0) {
    const [f, depth] = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING) return deepest;
    for (const v of f.values) if (kindOf(v) === "fragment") stack.push([v as Fragment, depth + 1]);
  }
  return deepest;
}

/**
 * The span in the source of `length` characters at `offset` in the raw text of a template's `i`th
 * string (raw text is the source's characters, line breaks as \n): it starts past the opening
 * backtick, or past the `${...}` before it.
 */
function rawSpan(textOf: (file: string) => string | undefined, template: Span | undefined, holes: readonly TemplateHole[], i: number, raw: string, offset: number, length: number): Span | undefined {
  if (!template) return undefined;
  let start: { line: number; column: number } | undefined;
  if (i === 0) {
    const text = textOf(template.file);
    const lines = text === undefined ? undefined : new LineIndex(text);
    const found = text === undefined ? undefined : taggedTemplateAt(text, lines!.offset(template.start.line, template.start.column));
    if (found) start = lines!.position(found.open + 1);
  } else {
    start = holes[i - 1]?.span.end;
  }
  if (!start) return undefined;
  const from = start;
  const advance = (by: number): { line: number; column: number } => {
    const lines = raw.slice(0, by).split("\n");
    return lines.length === 1 ? { line: from.line, column: from.column + by } : { line: from.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
  };
  return { file: template.file, start: advance(offset), end: advance(offset + length) };
}
