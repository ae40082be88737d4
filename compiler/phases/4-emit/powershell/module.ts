// Author modules → <Module>.psm1 + <Module>.psd1.
import type * as ir from "../../3-lower/ir.js";
import { indent, oneLine } from "../../../util/text.js";
import { indentCode } from "../../../powershell/string-context.js";
import { GENERATED, powershellFile, type EmittedFile } from "../files.js";
import { render } from "../templates.js";
import { helpText, location, printParamBlock, typeName } from "./params.js";
import { printFragment, quoteString } from "./quote.js";

export interface FunctionView {
  readonly comment: string;
  readonly name: string;
  readonly synopsis: string;
  readonly help: readonly { readonly name: string; readonly text: string }[];
  readonly outputType: string;
  readonly params: string;
  readonly body: string;
}

function helpBlock(text: string): string {
  return indent(helpText(text.trim() === "" ? "(no description)" : text.trim()), "    ");
}

/** The commands a fragment calls, nested fragments and call arguments included. */
function calledCommands(fragment: ir.Fragment, out = new Set<string>()): Set<string> {
  const visit = (e: ir.Part): void => {
    switch (e.kind) {
      case "call":
        out.add(e.command);
        for (const a of e.args) visit(a.value);
        return;
      case "fragment":
        calledCommands(e.fragment, out);
        return;
      case "array":
        e.items.forEach(visit);
        return;
      case "map":
        for (const entry of e.entries) visit(entry.value);
        return;
      default:
        return;
    }
  };
  fragment.parts.forEach(visit);
  return out;
}

/**
 * `Import-FfModule` for each external module whose commands the fragments call: imported where it
 * is first needed, not as RequiredModules, so an earlier resource can install it and a module
 * that is missing fails only the resources that need it, with exit code 34 (docs/runtime.md).
 */
export function externImports(m: ir.Module, fragments: readonly ir.Fragment[]): string[] {
  const called = new Set<string>();
  for (const f of fragments) calledCommands(f, called);
  const modules = new Set(m.externs.filter((e) => !e.builtin && called.has(e.name)).map((e) => e.module));
  return m.externModules.filter((ref) => modules.has(ref.name)).map((ref) => `Import-FfModule -Name ${quoteString(ref.name)} -MinimumVersion ${quoteString(ref.version)}`);
}

function functionView(c: ModuleCommand, imports: readonly string[]): FunctionView {
  return {
    comment: c.comment,
    name: c.name,
    synopsis: helpBlock(c.synopsis),
    help: c.params.filter((p) => p.description).map((p) => ({ name: p.name, text: helpBlock(p.description!) })),
    outputType: c.outputType,
    params: indent(printParamBlock(c.params), "    "),
    body: indentCode([...imports, printFragment(c.body)].join("\n"), "    "),
  };
}

/** A function the module's .psm1 defines: an author's `fn`, or a resource's get, test, safe or set. */
export interface ModuleCommand {
  readonly name: string;
  readonly comment: string;
  readonly synopsis: string;
  readonly params: readonly ir.Param[];
  readonly outputType: string;
  readonly body: ir.Fragment;
}

/** The functions the module's .psm1 defines, in its order (nothing printed: the tests need only names and parameters). */
export function moduleCommands(m: ir.Module): ModuleCommand[] {
  const commands: ModuleCommand[] = [];
  for (const f of m.functions) {
    commands.push({ name: f.name, comment: `from ${location(f.origin)}`, synopsis: f.description ?? f.name, params: f.params, outputType: f.returns ? typeName(f.returns) : "object", body: f.body });
  }
  for (const r of m.resources) {
    const where = `resource ${r.name}, from ${location(r.origin)}`;
    const command = (name: string, what: string, synopsis: string, outputType: string, body: ir.Fragment): ModuleCommand => ({ name, comment: `${where}: ${what}`, synopsis, params: r.properties, outputType, body });
    commands.push(command(r.commands.get, "get", `Gets the current state of resource ${r.name}: ${r.description}`, "hashtable", r.get));
    commands.push(command(r.commands.test, "test", `Tests whether resource ${r.name} is in the desired state: ${r.description}`, "bool", r.test));
    if (r.safe && r.commands.safe) commands.push(command(r.commands.safe, "safe", `Tests whether it is safe to change resource ${r.name} now.`, "bool", r.safe));
    commands.push(command(r.commands.set, "set", `Sets resource ${r.name} to the desired state: ${r.description}`, "void", r.set));
  }
  return commands;
}

/** The module's functions as its .psm1 prints them (with the external modules each imports). */
function moduleFunctions(m: ir.Module): FunctionView[] {
  return moduleCommands(m).map((c) => functionView(c, externImports(m, [c.body])));
}

export function exportedFunctions(m: ir.Module): string[] {
  return moduleCommands(m)
    .map((f) => f.name)
    .sort();
}

export function requiredModule(ref: ir.ModuleRef): string {
  return `@{ ModuleName = ${quoteString(ref.name)}; ModuleVersion = ${quoteString(ref.version)}${ref.guid ? `; GUID = ${quoteString(ref.guid)}` : ""} }`;
}

export interface ManifestView {
  readonly name: string;
  readonly source: string;
  readonly version: string;
  readonly guid: string;
  readonly author: string;
  readonly description: string;
  readonly layer: string;
  readonly requires: readonly ir.ModuleRef[];
  readonly exports: readonly string[];
  readonly dscResources?: readonly string[];
}

export function manifest(v: ManifestView): string {
  return render("powershell/manifest.psd1", {
    source: v.source,
    generated: GENERATED,
    rootModule: quoteString(`${v.name}.psm1`),
    version: quoteString(v.version),
    guid: quoteString(v.guid),
    author: quoteString(v.author),
    description: quoteString(v.description),
    requires: v.requires.map(requiredModule),
    exports: v.exports.map(quoteString),
    dscResources: (v.dscResources ?? []).map(quoteString),
    sourceLiteral: quoteString(v.source),
    layerLiteral: quoteString(v.layer),
  });
}

export function emitModule(m: ir.Module): EmittedFile[] {
  const functions = moduleFunctions(m);
  const exports = functions.map((f) => f.name).sort();
  const psm1 = render("powershell/module.psm1", {
    source: m.source,
    generated: GENERATED,
    name: m.name,
    layer: m.layer,
    description: oneLine(m.description),
    functions,
    exports: exports.map(quoteString),
  });
  const psd1 = manifest({
    name: m.name,
    source: m.source,
    version: m.version,
    guid: m.guid,
    author: m.author,
    description: m.description,
    layer: m.layer,
    requires: m.requires,
    exports,
    dscResources: m.resources.map((r) => r.dsc.className).sort(),
  });
  return [powershellFile(`modules/${m.name}/${m.name}.psm1`, psm1, m.source), powershellFile(`modules/${m.name}/${m.name}.psd1`, psd1, m.source)];
}
