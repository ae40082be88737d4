// One mistake, one diagnostic: when the type check fails, fleetform's own checks still run, and
// a mistake both see (a misspelt dependsOn id, a number where a string goes, a bad schedule) would
// be reported twice. fleetform's diagnostic is the one kept: it points at the mistake itself (the
// typo, not the resource's key) and says what is wrong in a line, where TypeScript gives a wall
// of generic types.
import type { ts } from "ts-morph";
import { typescript } from "../util/typescript.js";
import { LineIndex } from "../util/text.js";
import type { Diagnostic, Span } from "./diagnostic.js";
import { messages } from "./messages.js";

/** tsc's errors about properties an argument lacks ("Property 'x' is missing in type ...", "... is missing the following properties ...", "Argument of type ... is not assignable"). */
const MISSING = new Set(["TS2741", "TS2739", "TS2740", "TS2345"]);

/**
 * The type errors that say the same as one of `own` (fleetform's errors): those at a property
 * whose assignment (or at an expression that) holds the span of one of ours. `text` gives a file's source.
 */
export function typeErrorsCoveredBy(typeErrors: readonly Diagnostic[], own: readonly Diagnostic[], text: (file: string) => string | undefined): Set<Diagnostic> {
  const ts = typescript();
  const covered = new Set<Diagnostic>();
  const ours = own.filter((d) => d.severity === "error" && d.span && !d.code.startsWith("TS"));
  if (ours.length === 0) return covered;
  /** Per file: its syntax tree, and the property assignments (name and value) of our misspelt options in it. */
  const parsed = new Map<string, { file: ts.SourceFile; lines: LineIndex; misspelt: readonly (readonly [number, number])[] } | undefined>();
  // The properties whose type's `default` or `optional` is misspelt (FF2106, "did you mean"): tsc's
  // "Property 'x' is missing" at an instance that leaves one out follows from the misspelling, in
  // whatever file (fleetform does not report the property missing: misspeltOptionality).
  const optionality = new Set(
    ours
      .filter((d) => d.code === messages.PropertyUnknown.code && (d.notes ?? []).some((n) => /^did you mean '(default|optional)'\?$/.test(n.message)))
      .map((d) => /^t\.\w+\(\) of property '([^']+)' of /.exec(d.message)?.[1])
      .filter((name) => name !== undefined),
  );
  const missingOne = (t: Diagnostic): boolean =>
    MISSING.has(t.code) && [t.message, ...(t.notes ?? []).map((n) => n.message)].some((m) => [...optionality].some((name) => m.startsWith(`Property '${name}' is missing in type `)));
  for (const t of typeErrors) {
    const span = t.span;
    if (optionality.size > 0 && missingOne(t)) {
      covered.add(t);
      continue;
    }
    if (!span || !ours.some((d) => d.span!.file === span.file)) continue;
    if (!parsed.has(span.file)) {
      const source = text(span.file);
      if (source === undefined) parsed.set(span.file, undefined);
      else {
        const file = ts.createSourceFile(span.file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
        const lines = new LineIndex(source);
        const misspelt = ours.filter((d) => d.code === messages.PropertyUnknown.code && d.span!.file === span.file).map((d) => propertyAssignmentAt(file, lines.offset(d.span!.start.line, d.span!.start.column))).filter((r) => r !== undefined);
        parsed.set(span.file, { file, lines, misspelt });
      }
    }
    const p = parsed.get(span.file);
    if (!p) continue;
    const offset = p.lines.offset(span.start.line, span.start.column);
    // A misspelt option's value has no type to be checked against (its callback's parameters are
    // implicitly any): what tsc says inside it follows from the misspelling, reported as FF2106.
    if (p.misspelt.some(([start, end]) => offset >= start && offset < end)) {
      covered.add(t);
      continue;
    }
    // tsc reports a missing option at the call's argument (the object that lacks it), where we report
    // it at the call (`defineModule`, `fn`, `AppPool`): ours says which option, and what it must be.
    if (MISSING.has(t.code)) {
      const callee = calleeOfArgumentAt(p.file, offset);
      if (callee !== undefined && ours.some((d) => d.span!.file === span.file && d.code !== messages.DefinitionOutsideModule.code && p.lines.offset(d.span!.start.line, d.span!.start.column) === callee)) {
        covered.add(t);
        continue;
      }
    }
    const region = regionAt(p.file, offset);
    if (!region) continue;
    const [start, end] = region;
    const inside = (s: Span): boolean => s.file === span.file && p.lines.offset(s.start.line, s.start.column) >= start && p.lines.offset(s.end.line, s.end.column) <= end;
    if (ours.some((d) => inside(d.span!))) covered.add(t);
  }
  return covered;
}

/**
 * What a type error at `offset` is about: TypeScript puts an assignability error at a property's
 * name (`iis: Feature(...)`, `name: 42`): the region is then the whole property assignment.
 * Elsewhere only a literal or a name that starts there counts (an error at an object literal's
 * `{` is about what the object lacks, not about what is inside it).
 */
function regionAt(file: ts.SourceFile, offset: number): [number, number] | undefined {
  const ts = typescript();
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (offset < node.getStart(file) || offset >= node.end) return;
    if (node.getStart(file) === offset) found = node;
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found) return undefined;
  const parent = found.parent;
  if (parent && (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) && parent.name === found) return [parent.getStart(file), parent.end];
  // (the value of a `${...}`: what tsc says of its type, FF3001 says of the value)
  if (parent && ts.isTemplateSpan(parent) && parent.expression === found) return [found.getStart(file), found.end];
  if (ts.isLiteralExpression(found) || ts.isIdentifier(found) || ts.isNoSubstitutionTemplateLiteral(found)) return [found.getStart(file), found.end];
  return undefined;
}

/** The property assignment (its name and value) whose name starts at `key`, as [start, end) offsets. */
function propertyAssignmentAt(file: ts.SourceFile, key: number): readonly [number, number] | undefined {
  const ts = typescript();
  let found: readonly [number, number] | undefined;
  const visit = (node: ts.Node): void => {
    if (found || key < node.pos || key >= node.end) return;
    if (ts.isPropertyAssignment(node) && node.name.getStart(file) === key) found = [node.getStart(file), node.end];
    else ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Where the callee of a call starts (its name, for `x.name(...)`) when `offset` starts an argument of
 * that call; undefined otherwise.
 */
function calleeOfArgumentAt(file: ts.SourceFile, offset: number): number | undefined {
  const ts = typescript();
  let callee: number | undefined;
  const visit = (node: ts.Node): void => {
    if (callee !== undefined || offset < node.getStart(file) || offset >= node.end) return;
    if (ts.isCallExpression(node) && node.arguments.some((a) => a.getStart(file) === offset)) {
      const name = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
      callee = name.getStart(file);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return callee;
}
