// The option lists the checks use to find a misspelt option (compiler/phases/unknown-keys.ts) are
// the options stdlib/api/define.ts declares: read from that file, so an option added to the API
// without the list (which would then report it as unknown) fails here.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { OPTIONS } from "../../compiler/phases/unknown-keys.js";

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const definePath = join(repoDir, "stdlib", "api", "define.ts");
const define = ts.createSourceFile(definePath, readFileSync(definePath, "utf8"), ts.ScriptTarget.Latest, true);

/** The property names an interface of define.ts declares. */
function declared(name: string): string[] {
  const found = define.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`stdlib/api/define.ts declares no interface ${name}`);
  expect(found.heritageClauses ?? [], `${name} extends nothing (its inherited options would be missed here)`).toEqual([]);
  return found.members.filter(ts.isPropertySignature).map((m) => m.name.getText(define));
}

describe("the options of each authoring call", () => {
  const interfaces: Record<keyof typeof OPTIONS, string> = {
    config: "ConfigOptions",
    module: "ModuleOptions",
    fn: "FnOptions",
    extern: "ExternOptions",
    resource: "ResourceOptions",
    configuration: "ConfigurationOptions",
  };
  for (const [kind, name] of Object.entries(interfaces) as [keyof typeof OPTIONS, string][]) {
    it(`${kind}: the properties of ${name}`, () => {
      expect([...OPTIONS[kind]].sort()).toEqual(declared(name).sort());
    });
  }
});
