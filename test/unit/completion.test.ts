// What authors see in their editor, through TypeScript's language service (ts-morph's bundled
// TypeScript) over a fixture config repo: property names, enum values and dependsOn ids are
// offered, hovers show TSDoc, and a misspelt dependsOn id is a type error.
import { join } from "node:path";
import { Project, ts } from "ts-morph";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/pwsh.js";

const fixture = join(repoRoot, "test", "fixtures", "completion");
const site = join(fixture, "configurations", "site.ts");
let project: Project;
let ls: ts.LanguageService;
let text: string;

function names(pos: number): string[] {
  return (ls.getCompletionsAtPosition(site, pos, {})?.entries ?? []).map((e) => e.name);
}

function at(needle: string, delta: number): number {
  const i = text.indexOf(needle);
  expect(i, needle).toBeGreaterThanOrEqual(0);
  return i + delta;
}

beforeAll(() => {
  // lib/ holds the package's .d.ts files ("fleetform" resolves to them): `npm test` builds it first.
  project = new Project({ tsConfigFilePath: join(fixture, "tsconfig.json") });
  ls = project.getLanguageService().compilerObject;
  text = project.getSourceFileOrThrow(site).getFullText();
});

describe("completion in a configuration", () => {
  it("offers a resource's property names", () => {
    // An empty properties object: both properties are offered.
    const source = text.replace('ServiceState({ serviceName: "WAS", startupType: "Manual" }', "ServiceState({  }");
    const file = project.createSourceFile(site.replace("site.ts", "scratch-props.ts"), source, { overwrite: true });
    try {
      const pos = source.indexOf("ServiceState({  }") + "ServiceState({ ".length;
      const offered = (ls.getCompletionsAtPosition(file.getFilePath(), pos, {})?.entries ?? []).map((e) => e.name);
      expect(offered).toEqual(expect.arrayContaining(["serviceName", "startupType"]));
    } finally {
      project.removeSourceFile(file);
    }
  });

  it("offers an enum property's values", () => {
    expect(names(at('startupType: "Automatic"', 'startupType: "'.length))).toEqual(["Automatic", "Manual", "Disabled"]);
  });

  it("offers the configuration's own resource ids in dependsOn", () => {
    // With the id already typed: the language service offers what is typed (D is inferred from it),
    // so this shows the literal is completed, not that the other ids are offered.
    expect(names(at('dependsOn: ["w3svc"]', 'dependsOn: ["'.length))).toContain("w3svc");
  });

  // In an empty string nothing but "" is offered: the ids of `resources` are still being inferred
  // where the instance call's options are completed (same with TypeScript 7, completion-lsp.test.ts).
  it.todo("offers the configuration's own resource ids in an empty dependsOn string");

  it("shows TSDoc in hovers: the resource's own doc comment and the API's", () => {
    const resource = ls.getQuickInfoAtPosition(site, at("ServiceState({ serviceName: \"W3SVC\"", 2));
    expect(ts.displayPartsToString(resource?.documentation)).toContain("A Windows service runs with the desired start mode");
    const schedule = ls.getQuickInfoAtPosition(site, at("schedule:", 2));
    expect(ts.displayPartsToString(schedule?.documentation)).toMatch(/rate\(30 minutes\)/);
    const targets = ls.getQuickInfoAtPosition(site, at("targets:", 2));
    expect(ts.displayPartsToString(targets?.documentation)).toMatch(/case-sensitive/);
  });
});

describe("completion in a module", () => {
  const moduleFile = join(fixture, "modules", "base", "index.ts");

  it("offers the layers of the registered fleetform.config.ts", () => {
    const source = project.getSourceFileOrThrow(moduleFile).getFullText();
    const pos = source.indexOf('layer: "platform"') + 'layer: "'.length;
    expect(pos).toBeGreaterThan(10);
    const offered = (ls.getCompletionsAtPosition(moduleFile, pos, {})?.entries ?? []).map((e) => e.name);
    expect(offered).toEqual(["platform", "role"]);
  });

  it("rejects a layer the config does not declare", () => {
    const source = project.getSourceFileOrThrow(moduleFile).getFullText().replace('layer: "platform"', 'layer: "platfrom"');
    const file = project.createSourceFile(join(fixture, "modules", "base", "scratch.ts"), source, { overwrite: true });
    try {
      const errors = file.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"));
      expect(errors.join("\n")).toMatch(/"platfrom"' is not assignable to type '"platform" \| "role"'/);
    } finally {
      project.removeSourceFile(file);
    }
  });
});

describe("type errors that catch mistakes", () => {
  function errorsFor(source: string): string[] {
    const file = project.createSourceFile(join(fixture, "configurations", "scratch.ts"), source, { overwrite: true });
    try {
      return file.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"));
    } finally {
      project.removeSourceFile(file);
    }
  }


  it("rejects a misspelt dependsOn id, suggesting the right one", () => {
    const errors = errorsFor(text.replace('dependsOn: ["w3svc"]', 'dependsOn: ["w3svcc"]'));
    expect(errors.join("\n")).toMatch(/"w3svcc"' is not assignable to type '"w3svc" \| "was"'/);
    expect(errors.join("\n")).toMatch(/Did you mean '"w3svc"'\?/);
  });

  it("rejects an enum value outside the set and a literal where a secret is expected", () => {
    expect(errorsFor(text.replace('startupType: "Manual"', 'startupType: "Sometimes"')).join("\n")).toMatch(/"Sometimes"/);
  });

  it("accepts the fixture as written", () => {
    expect(errorsFor(text)).toEqual([]);
  });
});
