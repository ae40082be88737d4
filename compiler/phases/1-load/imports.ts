// The import declarations of the author's files, from a parse (no type checker): static imports,
// `export ... from` and import-equals, each marked type-only or not. Files reached only through
// type-only imports are not evaluated, so they are read and parsed here. dynamic import() is an error.
import { dirname, resolve } from "node:path";
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type { Evaluator, ImportedNames } from "./evaluate.js";
import { declarationsOf, type Range, type WrittenDeclaration } from "./lexical.js";
import { firstCandidate, resolveSource } from "./sources.js";

export interface FileImport {
  /** The imported author file (absolute). */
  readonly target: string;
  readonly typeOnly: boolean;
  /** The import or export declaration's span. */
  readonly span: Span;
}

/** An import as the file's text says it, before resolution (kept with the text: see SyntaxTrees.derived). */
interface WrittenImport {
  readonly specifier: string;
  readonly typeOnly: boolean;
  readonly span: Span;
  /**
   * The names of the target's exports the file reads at run time ("*": any of them, through a
   * namespace, `export *` or `require`). Absent in what an older build kept: read as "*".
   */
  readonly names?: readonly string[] | "*";
}

/**
 * A file's imports and its dynamic import() problems. What the text says is kept while it is
 * unchanged (and in the persistent cache); the specifiers are resolved against the files there are now.
 */
function fileImports(ctx: CompileContext, ev: Evaluator, file: string): FileImport[] {
  const { imports, dynamic } = written(ev, file);
  for (const span of dynamic) ctx.diagnostics.add(diag("DynamicImport", {}, span));
  const out: FileImport[] = [];
  for (const i of imports) {
    const target = resolveImport(ctx, file, i.specifier);
    if (target) out.push({ target, typeOnly: i.typeOnly, span: i.span });
  }
  return out;
}

/**
 * resolveSource; in a watch session, an import that resolved to the first file it may mean is kept
 * until a file is added, removed or renamed (the watcher sees a source removed; no file added can
 * come before it).
 */
function resolveImport(ctx: CompileContext, file: string, specifier: string): string | undefined {
  if (!ctx.cache) return resolveSource(resolve(dirname(file), specifier));
  let target: string | undefined;
  // (kept by the importing file and the specifier: a kept answer costs no path to be made)
  const kept = ctx.cache.listed("import", `${file}\0${specifier}`, () => {
    const base = resolve(dirname(file), specifier);
    target = resolveSource(base);
    return target !== undefined && firstCandidate(base, target) ? target : undefined;
  });
  // (listed() ran the callback whenever nothing was kept)
  return kept ?? target;
}

/** What a file's text says it imports (parseImports), kept with the text (and in the persistent cache, apart). */
function written(ev: Evaluator, file: string): ReturnType<typeof parseImports> {
  return ev.syntax.derived(file, "imports", () => parseImports(ev, file), "apart");
}

/**
 * A file's import declarations, its dynamic import()s, and the relative specifiers it passes to a
 * `require(...)` call (it reads any name of those: absent in what an older build kept).
 */
function parseImports(ev: Evaluator, file: string): { imports: WrittenImport[]; dynamic: Span[]; required?: string[] } {
  const source = ev.sources.get(file);
  if (!source) return { imports: [], dynamic: [], required: [] };
  // (read off the text where it is plain enough, see lexical.ts; from TypeScript's syntax tree otherwise)
  const lexical = declarationsOf(source.text);
  const { declarations, dynamic, required } = lexical ? { declarations: lexical, dynamic: [], required: [] } : declarationsFromTree(ev.syntax.tree(file)!);
  const span = (r: Range): Span => ({ file: source.rel, start: source.lines.position(r.start), end: source.lines.position(r.end) });
  return { imports: declarations.map((d) => ({ specifier: d.specifier, typeOnly: d.typeOnly, span: span(d), names: d.names })), dynamic: dynamic.map(span), required };
}

/**
 * A file's relative import declarations (with its statement's range), its dynamic import()s and
 * the relative specifiers it passes to `require(...)`, from its syntax tree (with no parent pointers).
 */
export function declarationsFromTree(sf: ts.SourceFile): { declarations: WrittenDeclaration[]; dynamic: Range[]; required: string[] } {
  const ts = typescript();
  const declarations: WrittenDeclaration[] = [];
  const dynamic: Range[] = [];
  const required: string[] = [];
  const range = (node: ts.Node): Range => ({ start: node.getStart(sf), end: node.end });
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, node: ts.Node, names: readonly string[] | "*"): void => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) return;
    declarations.push({ ...range(node), specifier: specifier.text, typeOnly, names: typeOnly ? [] : names });
  };
  // (`import { a as b }` reads `a`; an element marked `type` reads nothing)
  const elementNames = (elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]): string[] =>
    elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      const names = !clause || (named && ts.isNamespaceImport(named)) ? "*" : [...(clause.name ? ["default"] : []), ...(named ? elementNames(named.elements) : [])];
      // (an import for its side effects, `import "./x"` or `import {} from "./x"`, reads what the file did: all of it)
      add(statement.moduleSpecifier, allTypes, statement, names !== "*" && names.length === 0 && !allTypes ? "*" : names);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      const clause = statement.exportClause;
      const allTypes = statement.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      add(statement.moduleSpecifier, allTypes, statement, clause && ts.isNamedExports(clause) ? elementNames(clause.elements) : "*");
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      add(statement.moduleReference.expression, statement.isTypeOnly, statement, "*");
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) dynamic.push(range(node));
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") {
      const specifier = node.arguments[0];
      if (specifier && ts.isStringLiteralLike(specifier) && specifier.text.startsWith(".")) required.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { declarations, dynamic, required };
}

/**
 * What `file` reads of each author file it imports at run time (by target), from its import
 * declarations (kept with its text). Reports nothing: collectImports reports the file's problems.
 */
export function importedNames(ctx: CompileContext, ev: Evaluator, file: string): Map<string, ImportedNames> {
  const { imports, required } = written(ev, file);
  const out = new Map<string, ImportedNames>();
  const add = (specifier: string, names: readonly string[] | "*"): void => {
    const target = resolveImport(ctx, file, specifier);
    if (!target) return;
    const before = out.get(target);
    if (before === "*" || names === "*") out.set(target, "*");
    else out.set(target, new Set([...(before ?? []), ...names]));
  };
  for (const i of imports) add(i.specifier, i.names ?? "*");
  // (a file kept by an older build has no list of its require() calls: each target read whole)
  if (!required) for (const target of out.keys()) out.set(target, "*");
  for (const specifier of required ?? []) add(specifier, "*");
  return out;
}

/**
 * Imports of every file evaluating `roots` reached, and of the files type-only imports lead to; not
 * of a file only a callback required (a watch session may have one evaluated from an earlier
 * build's lowering: a build from scratch evaluates it after this, while fragments are built).
 */
export function collectImports(ctx: CompileContext, ev: Evaluator, roots: readonly string[]): Map<string, FileImport[]> {
  const imports = new Map<string, FileImport[]>();
  const queue = [...ev.loader.reachedFrom(roots)].filter((f) => ev.sources.has(f)).sort();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (imports.has(file)) continue;
    if (!ev.sources.has(file) && !ev.loader.readUnevaluated(file)) continue;
    const list = fileImports(ctx, ev, file);
    imports.set(file, list);
    for (const i of list) if (!imports.has(i.target)) queue.push(i.target);
  }
  return imports;
}
