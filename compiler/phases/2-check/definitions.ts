// Finds every fn, extern and resource definition and attributes it to the module folder its
// defining file lives in; checks module, command and resource names.
import { kindOf } from "../../../stdlib/api/brand.js";
import type { ExternDef, FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import { APPROVED_VERBS, splitCommandName, VERB_SUGGESTIONS } from "../../util/verbs.js";
import type { Loaded, LoadedModule } from "../1-load/index.js";

export interface CheckedModule {
  readonly loaded: LoadedModule;
  readonly name: string;
  readonly layer: string;
  readonly fns: FnDef[];
  readonly resources: ResourceDef[];
}

export interface Definitions {
  readonly modules: readonly CheckedModule[];
  /** Definition object → the module it belongs to. */
  readonly moduleOf: ReadonlyMap<object, CheckedModule>;
  readonly externs: readonly ExternDef[];
}

const MODULE_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const RESOURCE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;
const VERSION = /^\d+\.\d+(\.\d+){0,2}$/;

/** A definition from an exported value: commands and resource types carry theirs in `.definition`. */
export function definitionOf(value: unknown): object | undefined {
  const kind = kindOf(value);
  if (kind === "fn" || kind === "extern" || kind === "resource") {
    const def: object = (value as { definition?: object }).definition ?? (value as object);
    return kindOf(def) === kind ? def : undefined;
  }
  return undefined;
}

/** The declared modules: names, versions and layers checked. */
export function collectModules(ctx: CompileContext, loaded: Loaded): CheckedModule[] {
  const modules: CheckedModule[] = [];
  const byName = new Map<string, CheckedModule>();
  for (const m of loaded.modules) {
    const { name, layer, version } = m.def;
    const span = m.span;
    if (typeof name !== "string" || !MODULE_NAME.test(name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "module", name: String(name), message: "use letters and digits, optionally dot-separated (e.g. Windows, Docutap.Emr)" }, span));
    }
    if (name === "Fleetform.Runtime" || byName.has(String(name).toLowerCase())) {
      const other = byName.get(String(name).toLowerCase());
      ctx.diagnostics.add(diag("DuplicateModuleName", { name: String(name) }, span, other?.loaded.span ? [{ message: "the other module is declared here", span: other.loaded.span }] : []));
      continue;
    }
    if (typeof version !== "string" || !VERSION.test(version)) {
      ctx.diagnostics.add(diag("VersionInvalid", { module: String(name), version: String(version) }, span));
    }
    if (!loaded.config.layers.includes(layer)) {
      ctx.diagnostics.add(diag("ModuleLayerUnknown", { module: String(name), layer: String(layer), layers: loaded.config.layers.join(", ") }, span));
    }
    const checked: CheckedModule = { loaded: m, name, layer, fns: [], resources: [] };
    modules.push(checked);
    byName.set(name.toLowerCase(), checked);
  }
  return modules.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Finds every definition and attributes it to the module that owns the file it was created in
 * (`ownerOf`: the module folder, or the one module importing a shared file).
 */
export function collectDefinitions(ctx: CompileContext, loaded: Loaded, modules: CheckedModule[], ownerOf: (file: string) => CheckedModule | undefined): Definitions {
  const ev = loaded.evaluator;

  // Every definition reachable from an export or from a configuration's resources.
  const defs = new Set<object>();
  for (const value of loaded.exported) {
    const def = definitionOf(value);
    if (def) defs.add(def);
  }
  for (const c of loaded.configurations) {
    for (const instance of Object.values(c.def.resources ?? {})) {
      if (kindOf(instance) === "instance") defs.add((instance as { resource: object }).resource);
    }
  }

  const moduleOf = new Map<object, CheckedModule>();
  const externs: ExternDef[] = [];
  const commandNames = new Map<string, Span | undefined>();
  const resourceNames = new Map<string, Span | undefined>();
  const ordered = [...defs].sort((a, b) => siteKey(a).localeCompare(siteKey(b)));
  for (const def of ordered) {
    const kind = kindOf(def)!;
    const named = def as { name: string; site?: import("../../../stdlib/api/brand.js").Site };
    const span = ev.spanOf(named.site);
    if (kind === "resource" && (def as ResourceDef).dsc) continue; // DSC's in-box resources belong to no module of ours
    if (kind === "extern") {
      externs.push(def as ExternDef);
      checkCommandName(ctx, named.name, span, false);
      continue;
    }
    const file = named.site?.file ?? "";
    const owner = ownerOf(file);
    if (!owner) {
      ctx.diagnostics.add(diag("DefinitionOutsideModule", { what: kind === "fn" ? "function" : "resource", name: String(named.name), file: ctx.rel(file) }, span));
      continue;
    }
    moduleOf.set(def, owner);
    if (kind === "fn") {
      owner.fns.push(def as FnDef);
      checkCommandName(ctx, named.name, span, true);
      noteDuplicate(ctx, commandNames, named.name, "functions", span);
    } else {
      owner.resources.push(def as ResourceDef);
      if (typeof named.name !== "string" || !RESOURCE_NAME.test(named.name)) {
        ctx.diagnostics.add(diag("NameInvalid", { what: "resource", name: String(named.name), message: "use PascalCase letters and digits, at most 64" }, span));
      }
      noteDuplicate(ctx, resourceNames, named.name, "resources", span);
    }
  }
  for (const m of modules) {
    m.fns.sort((a, b) => (a.name < b.name ? -1 : 1));
    m.resources.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return { modules, moduleOf, externs };
}

function siteKey(def: object): string {
  const site = (def as { site?: { file: string; line: number; column: number } }).site;
  return site ? `${site.file}\0${String(site.line).padStart(8, "0")}\0${String(site.column).padStart(8, "0")}` : "";
}

function noteDuplicate(ctx: CompileContext, seen: Map<string, Span | undefined>, name: string, what: string, span: Span | undefined): void {
  const key = String(name).toLowerCase();
  if (seen.has(key)) {
    const other = seen.get(key);
    ctx.diagnostics.add(diag("DuplicateName", { what, name: String(name) }, span, other ? [{ message: "the other one is defined here", span: other }] : []));
  } else {
    seen.set(key, span);
  }
}

export function checkCommandName(ctx: CompileContext, name: unknown, span: Span | undefined, ours: boolean): void {
  const parts = typeof name === "string" ? splitCommandName(name) : undefined;
  if (!parts) {
    ctx.diagnostics.add(diag("CommandNameInvalid", { name: String(name) }, span));
    return;
  }
  if (ours && !APPROVED_VERBS.has(parts.verb)) {
    const instead = VERB_SUGGESTIONS[parts.verb];
    ctx.diagnostics.add(diag("UnapprovedVerb", { name: String(name), verb: parts.verb, suggestion: instead ? `; use ${instead}` : " (see Get-Verb)" }, span));
  }
}
