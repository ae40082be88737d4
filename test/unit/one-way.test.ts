// One way to do each thing (README, "Working on fleetform"): the compiler's sources are read as
// TypeScript and each test fails when a second way comes back: a YAML writer besides
// phases/4-emit/yaml.ts, line/column arithmetic besides util/text.ts's LineIndex, a second `Io`,
// a PowerShell module manifest written in code instead of a Handlebars template.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const compilerDir = join(repoDir, "compiler");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

const sources = tsFiles(compilerDir).map((file) => {
  const text = readFileSync(file, "utf8");
  return { rel: relative(repoDir, file).split("\\").join("/"), text, ast: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) };
});

/** The names a file imports as values (not `import type`, not `type X`) from `module`. */
function valueImports(ast: ts.SourceFile, module: string): string[] {
  const names: string[] = [];
  for (const s of ast.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== module) continue;
    const clause = s.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name) names.push("default");
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push("*");
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
  }
  return names;
}

/**
 * The members a file takes from the yaml package loaded on first use (yaml.ts's `yamlPackage()`):
 * `yamlPackage().X` and `const { X } = yamlPackage()`; and whether it loads the package some other way.
 */
function lazyYamlUses(ast: ts.SourceFile): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "yamlPackage") {
      let parent = node.parent;
      while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
      if (ts.isPropertyAccessExpression(parent)) names.push(parent.name.text);
      else if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
        for (const e of parent.name.elements) names.push(((e.propertyName ?? e.name) as ts.Identifier).text);
      } else if (!ts.isReturnStatement(parent)) names.push("(the whole package)");
    }
    // require("yaml") / import("yaml") other than through yamlPackage()
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!) && node.arguments[0]!.text === "yaml") names.push("(loaded directly)");
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return names;
}

/** Every string and template literal of a file, with its line. */
function literals(ast: ts.SourceFile): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) out.push({ text: node.text, line: ast.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return out;
}

describe("one way to do each thing", () => {
  it("reads every source (the checks below see the compiler)", () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.map((s) => s.rel)).toContain("compiler/phases/4-emit/yaml.ts");
  });

  it("writes YAML only in phases/4-emit/yaml.ts: elsewhere the yaml package is only read with", () => {
    // What reading a template (plan, verify) needs; Document, Scalar, stringify and the rest write.
    const READING = new Set(["parse", "parseDocument", "parseAllDocuments", "visit", "isMap", "isSeq", "isScalar", "isPair", "isNode", "isDocument", "isAlias", "isCollection"]);
    // (imported, or taken from the package yaml.ts loads on first use: yamlPackage())
    const writers = sources
      .filter((s) => s.rel !== "compiler/phases/4-emit/yaml.ts")
      .flatMap((s) => [...valueImports(s.ast, "yaml"), ...lazyYamlUses(s.ast)].filter((name) => !READING.has(name)).map((name) => `${s.rel} uses ${name}`));
    expect(writers).toEqual([]);
    // The one module still holds the one option set.
    const yaml = sources.find((s) => s.rel === "compiler/phases/4-emit/yaml.ts")!;
    expect([...valueImports(yaml.ast, "yaml"), ...lazyYamlUses(yaml.ast)]).toContain("Document");
    expect(yaml.text.match(/\bToStringOptions = \{/g)).toHaveLength(1);
  });

  it("computes lines and columns only in util/text.ts's LineIndex", () => {
    const byHand = [/lastIndexOf\(\s*["']\\n["']\s*\)/, /split\(\s*["']\\n["']\s*\)\.length/, /\blineStarts\b/, /charCodeAt\([^)]*\)\s*===\s*10\b/];
    const found = sources
      .filter((s) => s.rel !== "compiler/util/text.ts")
      .flatMap((s) => s.text.split("\n").flatMap((line, i) => (byHand.some((re) => re.test(line)) ? [`${s.rel}:${i + 1}: ${line.trim()}`] : [])));
    expect(found).toEqual([]);
  });

  it("defines the CLI's Io once", () => {
    const defined = sources.flatMap((s) =>
      s.ast.statements.filter((st) => (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === "Io").map(() => s.rel),
    );
    expect(defined).toHaveLength(1);
  });

  it("writes every PowerShell module manifest (.psd1) from a template, none in code", () => {
    // Keys only a module manifest has; the templates (*.psd1.hbs) hold them, no TypeScript literal does.
    const MANIFEST_KEY = /\b(?:RootModule|FunctionsToExport|CmdletsToExport|AliasesToExport)\b/;
    const found = sources.flatMap((s) => literals(s.ast).filter((l) => MANIFEST_KEY.test(l.text)).map((l) => `${s.rel}:${l.line}`));
    expect(found).toEqual([]);
    const templates = ["powershell/manifest.psd1.hbs", "pester/stub.psd1.hbs"].map((t) => readFileSync(join(compilerDir, "phases", "4-emit", t), "utf8"));
    for (const t of templates) expect(t).toMatch(/^ {4}RootModule = \{\{\{rootModule\}\}\}$/m);
  });
});
