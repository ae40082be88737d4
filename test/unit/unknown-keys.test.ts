// The option lists the checks use to find a misspelt option (compiler/phases/unknown-keys.ts) are
// the options stdlib/api/define.ts declares: read from that file, so an option added to the API
// without the list (which would then report it as unknown) fails here.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { OPTIONS, TYPE_OPTIONS } from "../../compiler/phases/unknown-keys.js";

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const definePath = join(repoDir, "stdlib", "api", "define.ts");
const define = ts.createSourceFile(definePath, readFileSync(definePath, "utf8"), ts.ScriptTarget.Latest, true);
const typesPath = join(repoDir, "stdlib", "api", "types.ts");
const types = ts.createSourceFile(typesPath, readFileSync(typesPath, "utf8"), ts.ScriptTarget.Latest, true);

/** The property names an interface of define.ts declares, with those of the interfaces of define.ts it extends. */
function declared(name: string): string[] {
  const found = define.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`stdlib/api/define.ts declares no interface ${name}`);
  const bases = (found.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(define)));
  return [...found.members.filter(ts.isPropertySignature).map((m) => m.name.getText(define)), ...bases.flatMap(declared)];
}

/** The options of a t.* type: the properties of its interface in types.ts and of what it extends there, less TypeBase's and its positional argument's. */
function typeOptions(name: string): string[] {
  const found = types.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`stdlib/api/types.ts declares no interface ${name}`);
  const own = found.members.filter(ts.isPropertySignature).map((m) => m.name.getText(types));
  const inherited = (found.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(types))).filter((base) => base !== "TypeBase");
  return [...own, ...inherited.flatMap(typeOptions)];
}

describe("the options of each authoring call", () => {
  const interfaces: Record<keyof typeof OPTIONS, string> = {
    config: "ConfigOptions",
    module: "ModuleOptions",
    fn: "FnOptions",
    extern: "ExternOptions",
    resource: "ResourceOptions",
    configuration: "ConfigurationOptions",
    instance: "ScriptInstanceOptions",
  };
  for (const [kind, name] of Object.entries(interfaces) as [keyof typeof OPTIONS, string][]) {
    it(`${kind}: the properties of ${name}`, () => {
      expect([...OPTIONS[kind]].sort()).toEqual(declared(name).sort());
    });
  }
});

describe("the options of each t.* type", () => {
  // (their interfaces in types.ts; the values of t.enum and t.map and the items of t.array are arguments, not options)
  const interfaces: Record<keyof typeof TYPE_OPTIONS, { name: string; argument?: string }> = {
    string: { name: "StringType" },
    int: { name: "IntType" },
    bool: { name: "BoolType" },
    enum: { name: "EnumType", argument: "values" },
    array: { name: "ArrayType", argument: "items" },
    map: { name: "MapType", argument: "values" },
    script: { name: "ScriptType" },
    secret: { name: "SecretType" },
    credential: { name: "CredentialType" },
  };
  it("every t.* type is listed", () => {
    const made = types.statements.flatMap((s) => (ts.isVariableStatement(s) ? s.declarationList.declarations : [])).find((d) => d.name.getText(types) === "t");
    const methods = (made?.initializer && ts.isObjectLiteralExpression(made.initializer) ? made.initializer.properties : []).map((p) => p.name!.getText(types));
    expect(methods.sort()).toEqual(Object.keys(TYPE_OPTIONS).sort());
  });
  for (const [kind, { name, argument }] of Object.entries(interfaces) as [keyof typeof TYPE_OPTIONS, { name: string; argument?: string }][]) {
    it(`t.${kind}: the properties of ${name}`, () => {
      expect([...new Set(TYPE_OPTIONS[kind])].sort()).toEqual([...new Set(typeOptions(name))].filter((o) => o !== argument).sort());
    });
  }
});
