// The import declarations of the author's files, from a parse (no type checker): static imports,
// `export ... from` and import-equals, each marked type-only or not. Files reached only through
// type-only imports are not evaluated, so they are read and parsed here. dynamic import() is an error.
import { dirname, resolve } from "node:path";
import { ts } from "ts-morph";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type { Evaluator } from "./evaluate.js";
import { resolveSource } from "./sources.js";

export interface FileImport {
  /** The imported author file (absolute). */
  readonly target: string;
  readonly typeOnly: boolean;
  /** The import or export declaration. */
  readonly node: ts.Node;
}

/** A file's imports and its dynamic import() problems, from its text alone (kept while it is unchanged). */
function fileImports(ctx: CompileContext, ev: Evaluator, file: string): FileImport[] {
  const { imports, problems } = ev.syntax.derived(file, "imports", () => {
    const problems: Diagnostic[] = [];
    return { imports: parseImports(ev, file, problems), problems };
  });
  for (const d of problems) ctx.diagnostics.add(d);
  return imports;
}

function parseImports(ev: Evaluator, file: string, problems: Diagnostic[]): FileImport[] {
  const sf = ev.syntax.tree(file);
  if (!sf) return [];
  const out: FileImport[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, node: ts.Node): void => {
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) return;
    const target = resolveSource(resolve(dirname(file), specifier.text));
    if (target) out.push({ target, typeOnly, node });
  };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      add(statement.moduleSpecifier, allTypes, statement);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      const clause = statement.exportClause;
      const allTypes = statement.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      add(statement.moduleSpecifier, allTypes, statement);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      add(statement.moduleReference.expression, statement.isTypeOnly, statement);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      problems.push(diag("DynamicImport", {}, ev.locator.nodeSpan(file, node)));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Imports of every evaluated file, and of the files type-only imports lead to. */
export function collectImports(ctx: CompileContext, ev: Evaluator): Map<string, FileImport[]> {
  const imports = new Map<string, FileImport[]>();
  const queue = [...ev.sources.keys()].sort();
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
