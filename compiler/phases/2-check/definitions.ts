// Finds every fn, extern and resource definition and attributes it to the module folder its
// defining file lives in; checks module, command and resource names, and property types.
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import { isDefinitionKind, kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { ExternDef, FnDef, ResourceDef } from "../../../stdlib/api/define.js";
import type { PropType } from "../../../stdlib/api/types.js";
import { located, type Span, type Where } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type { SourceLocator } from "../1-load/locator.js";
import type { Loaded, LoadedModule } from "../1-load/index.js";
import { patternProblems } from "./values.js";
import { OPTIONS, optionLeftOut, reportUnknownKeys, typeOptions } from "../unknown-keys.js";
import { EXTERN_MODULE, EXTERN_MODULE_RULE, identifierProblem, reservedDeviceName, shown, unsafeCharacter } from "../../util/names.js";
import { inboxCommand, inboxModule } from "../../powershell/link.js";
import { closest } from "../../util/text.js";
import { commandNameProblems } from "../../powershell/command-names.js";

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

/** A version PowerShell takes for a module ([version]: two to four numbers, each an Int32). */
export function isModuleVersion(version: unknown): version is string {
  return typeof version === "string" && VERSION.test(version) && version.split(".").every((n) => Number(n) <= 2147483647);
}
/** The runtime module every generated module requires. */
const RESERVED_MODULE = "fleetform.runtime";

/** A definition from an exported value: commands and resource types carry theirs in `.definition`. */
export function definitionOf(value: unknown): object | undefined {
  const kind = kindOf(value);
  if (isDefinitionKind(kind)) {
    const def: object = (value as { definition?: object }).definition ?? (value as object);
    return kindOf(def) === kind ? def : undefined;
  }
  return undefined;
}

/** The declared modules: names, versions and layers checked. */
export function collectModules(ctx: CompileContext, loaded: Loaded): CheckedModule[] {
  const ev = loaded.locator;
  const modules: CheckedModule[] = [];
  const byName = new Map<string, CheckedModule>();
  for (const m of loaded.modules) {
    const { name, layer, version, description, author } = m.def;
    const site = m.def.site;
    const label = String(name);
    // (found only for a problem: a span is read from the file's kept results, or its syntax tree)
    const nameSpan = (): Span | undefined => ev.optionSpan(site, ["name"]);
    // (a misspelt option is reported once, at the misspelling: not again as the option it means, missing)
    const given = m.def as unknown as Record<string, unknown>;
    const owner = typeof name === "string" ? `module '${name}'` : "this module";
    const meant = reportUnknownKeys(ctx, given, OPTIONS.module, owner, (key) => ev.propertySpan(site, [key], { at: "name" }) ?? ev.spanOf(site));
    const leftOut = (key: string, expected: string): boolean => optionLeftOut(ctx, given, key, meant, owner, expected, () => ev.spanOf(site));
    if (leftOut("name", "a module name: letters and digits, optionally dot-separated (e.g. Windows, Docutap.Emr)")) {
      // reported (left out, or misspelt)
    } else if (typeof name !== "string" || !MODULE_NAME.test(name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "module name", name: label, message: "use letters and digits, optionally dot-separated (e.g. Windows, Docutap.Emr)" }, nameSpan()));
    } else if (reservedDeviceName(name)) {
      ctx.diagnostics.add(diag("ReservedDeviceName", { what: "module name", name, device: reservedDeviceName(name)! }, nameSpan()));
    } else if (name.toLowerCase() === RESERVED_MODULE) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "module name", name, message: "it is the name of fleetform's runtime module" }, nameSpan()));
    } else if (inboxModule(name)) {
      // Installed under Program Files, it would come before Windows' own on PSModulePath.
      ctx.diagnostics.add(diag("ShadowsInbox", { what: "module", name, inbox: `module ${inboxModule(name)!}` }, nameSpan()));
    } else if (byName.has(name.toLowerCase())) {
      // The module still owns its folder (so its definitions are not reported as outside any module).
      const other = byName.get(name.toLowerCase())!;
      const otherSpan = ev.optionSpan(other.loaded.def.site, ["name"]);
      ctx.diagnostics.add(diag("DuplicateModuleName", { name }, nameSpan(), otherSpan ? [{ message: `the other module named '${other.name}' is declared here`, span: otherSpan }] : []));
    }
    if (!leftOut("version", "a PowerShell module version (e.g. 1.0.0)") && !isModuleVersion(version)) {
      ctx.diagnostics.add(diag("VersionInvalid", { what: "module", name: label, version: String(version) }, ev.optionSpan(site, ["version"])));
    }
    if (!leftOut("layer", `one of the layers of fleetform.config.ts (${loaded.config.layers.join(", ")})`) && (typeof layer !== "string" || !loaded.config.layers.includes(layer))) {
      const near = typeof layer === "string" ? closest(layer, loaded.config.layers) : undefined;
      ctx.diagnostics.add(diag("ModuleLayerUnknown", { module: label, layer: String(layer), layers: loaded.config.layers.join(", ") }, ev.optionSpan(site, ["layer"]), near ? [{ message: `did you mean '${near}'?` }] : []));
    }
    if (!leftOut("description", "a string") && typeof description !== "string") {
      ctx.diagnostics.add(diag("OptionInvalid", { owner: `module '${label}'`, option: "description", expected: "a string" }, ev.optionSpan(site, ["description"])));
    }
    if (author !== undefined && typeof author !== "string") {
      ctx.diagnostics.add(diag("OptionInvalid", { owner: `module '${label}'`, option: "author", expected: "a string" }, ev.optionSpan(site, ["author"])));
    }
    const checked: CheckedModule = { loaded: m, name: label, layer: String(layer), fns: [], resources: [] };
    modules.push(checked);
    if (!byName.has(label.toLowerCase())) byName.set(label.toLowerCase(), checked);
  }
  return modules.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Names already taken by functions and resources (case-insensitively, as PowerShell sees them). */
export interface TakenNames {
  /** Name → where it was taken (found only for a clash: finding a span walks the file's syntax tree). */
  readonly functions: Map<string, () => Span | undefined>;
  readonly resources: Map<string, () => Span | undefined>;
}

/**
 * Finds every definition and attributes it to the module that owns the file it was created in
 * (`ownerOf`: the module folder, or the one module importing a shared file). Every fn and
 * resource made while the author's files were evaluated counts, exported or not: a module emits
 * the functions defined in its folder, so one called only inside the module needs no export.
 */
export function collectDefinitions(ctx: CompileContext, loaded: Loaded, modules: CheckedModule[], ownerOf: (file: string) => CheckedModule | undefined): Definitions {
  const ev = loaded.locator;

  const defs = new Set<object>(loaded.definitions);
  for (const value of loaded.exported) {
    const def = definitionOf(value);
    if (def) defs.add(def);
  }
  for (const c of loaded.configurations) {
    const resources = c.def.resources;
    if (typeof resources !== "object" || resources === null) continue;
    for (const instance of Object.values(resources)) {
      if (kindOf(instance) === "instance") defs.add((instance as { resource: object }).resource);
    }
  }

  const moduleOf = new Map<object, CheckedModule>();
  const externs: ExternDef[] = [];
  const taken: TakenNames = { functions: new Map(), resources: new Map() };
  const ordered = bySite(ctx, defs);
  for (const def of ordered) {
    if (kindOf(def) === "resource" && (def as ResourceDef).dsc) continue; // DSC's in-box resources belong to no module of ours
    const owner = checkDefinition(ctx, ev, def, ownerOf, taken);
    if (kindOf(def) === "extern") externs.push(def as ExternDef);
    if (!owner) continue;
    moduleOf.set(def, owner);
    if (kindOf(def) === "fn") owner.fns.push(def as FnDef);
    else owner.resources.push(def as ResourceDef);
  }
  const byName = (a: { name: unknown }, b: { name: unknown }): number => (String(a.name) < String(b.name) ? -1 : 1);
  for (const m of modules) {
    m.fns.sort(byName);
    m.resources.sort(byName);
  }
  return { modules, moduleOf, externs };
}

/**
 * Checks one fn, extern or resource definition (names, property types, patterns) and returns the
 * module a fn or resource belongs to (undefined, reported, when it is outside every module; always
 * undefined for an extern). Used by collectDefinitions.
 */
function checkDefinition(ctx: CompileContext, ev: SourceLocator, def: object, ownerOf: (file: string) => CheckedModule | undefined, taken: TakenNames): CheckedModule | undefined {
  // What looks at the definition alone is reused by a watch rebuild while its file is unchanged.
  ctx.memo("check: definition", def, [def], () => checkDefinitionItself(ctx, ev, def));
  const kind = kindOf(def);
  if (kind === "extern") return undefined;
  const named = def as { name: unknown; site?: Site };
  const label = String(named.name);
  const file = named.site?.file ?? "";
  const owner = ownerOf(file);
  if (!owner) {
    ctx.diagnostics.add(diag("DefinitionOutsideModule", { what: kind === "fn" ? "function" : "resource", name: label, file: ctx.rel(file) }, ev.spanOf(named.site)));
    return undefined;
  }
  const twice = (kind === "fn" ? taken.functions : taken.resources).has(label.toLowerCase());
  noteDuplicate(ctx, kind === "fn" ? taken.functions : taken.resources, label, kind === "fn" ? "functions" : "resources", () => ev.optionSpan(named.site, ["name"]));
  // A resource's generated functions are functions too: a fn of that name would be a second
  // function of the same name in the module (one silently replacing the other). (A resource
  // named twice is that one error.)
  if (kind === "resource" && !twice && typeof named.name === "string" && RESOURCE_NAME.test(named.name)) {
    for (const generated of [`Get-${named.name}Resource`, `Test-${named.name}Resource`, `Set-${named.name}Resource`, `Test-${named.name}ResourceSafety`]) {
      noteDuplicate(ctx, taken.functions, generated, "functions", () => ev.optionSpan(named.site, ["name"]));
    }
  }
  return owner;
}

/** Names, property types and patterns of one definition. */
function checkDefinitionItself(ctx: CompileContext, ev: SourceLocator, def: object): void {
  const kind = kindOf(def);
  const named = def as { name: unknown; site?: Site; description?: unknown };
  const site = named.site;
  const nameSpan = (): Span | undefined => ev.optionSpan(site, ["name"]);
  const label = String(named.name);
  // (a misspelt option is reported once, at the misspelling: not again as the option it means, missing)
  const what = kind === "fn" ? "function" : kind === "extern" ? "extern" : "resource";
  const given = def as Record<string, unknown>;
  const owner = typeof named.name === "string" ? `${what} '${named.name}'` : `this ${what}`;
  const meant = reportUnknownKeys(ctx, given, OPTIONS[kind as "fn" | "extern" | "resource"], owner, (key) => ev.propertySpan(site, [key], { at: "name" }) ?? ev.spanOf(site));
  /** Left out because misspelt: reported as the misspelling. */
  const missing = (key: string): boolean => given[key] === undefined && meant.has(key);
  const leftOut = (key: string, expected: string): boolean => optionLeftOut(ctx, given, key, meant, owner, expected, () => ev.spanOf(site));
  if (kind === "extern") {
    const e = def as ExternDef;
    if (!leftOut("name", "the command's name (e.g. Get-EC2Tag)")) checkCommandName(ctx, named.name, nameSpan, { ours: false });
    if (leftOut("module", "the name of the PowerShell module that provides it")) {
      // reported (left out, or misspelt)
    } else if (typeof e.module !== "string" || e.module === "") {
      ctx.diagnostics.add(diag("OptionInvalid", { owner: `extern '${label}'`, option: "module", expected: "the name of the PowerShell module that provides it" }, ev.optionSpan(site, ["module"])));
    } else if (!EXTERN_MODULE.test(e.module)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: `module of extern '${label}'`, name: shown(e.module), message: EXTERN_MODULE_RULE }, ev.optionSpan(site, ["module"])));
    }
    if (e.version !== undefined && !isModuleVersion(e.version)) {
      ctx.diagnostics.add(diag("VersionInvalid", { what: `module '${String(e.module)}' of extern`, name: label, version: String(e.version) }, ev.optionSpan(site, ["version"])));
    }
    if (!leftOut("params", "an object of t.* types ({} for none)")) checkProps(ctx, ev, site, "params", e.params, `extern '${label}'`);
    checkSwitches(ctx, ev, site, e.switches, e.params, `extern '${label}'`);
    return;
  }
  // (a resource's description is required: its help and the reports say what it ensures)
  if (kind === "resource" ? leftOut("description", "a string saying the state it ensures (e.g. \"The time zone is the desired one\")") : named.description === undefined) {
    // reported, or (a fn's) optional
  } else if (typeof named.description !== "string") {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: `${what} '${label}'`, option: "description", expected: "a string" }, ev.optionSpan(site, ["description"])));
  }
  /** A callback option: left out (when required) or not a function, reported; true when it is one. */
  const callback = (key: string, required: boolean, expected: string): boolean => {
    if (required ? leftOut(key, expected) : given[key] === undefined) return false;
    if (typeof given[key] === "function") return true;
    ctx.diagnostics.add(diag("OptionInvalid", { owner, option: key, expected }, ev.optionSpan(site, [key])));
    return false;
  };
  if (kind === "fn") {
    if (!leftOut("name", "a Verb-Noun command name with an approved verb (e.g. Get-AppPoolState)")) checkCommandName(ctx, named.name, nameSpan, { ours: true });
    if (!leftOut("params", "an object of t.* types ({} for none)")) checkProps(ctx, ev, site, "params", (def as FnDef).params, `function '${label}'`);
    callback("body", true, "a function of its parameters returning a ps`...` fragment (e.g. ({ name }) => ps`...`)");
  } else {
    if (leftOut("name", "a PascalCase name of letters and digits, at most 64 (e.g. AppPool)")) {
      // reported (left out, or misspelt)
    } else if (typeof named.name !== "string" || !RESOURCE_NAME.test(named.name)) {
      ctx.diagnostics.add(diag("NameInvalid", { what: "resource name", name: label, message: "use PascalCase letters and digits, at most 64" }, nameSpan()));
    } else if (reservedDeviceName(named.name)) {
      // It names the folder DSCResources/<Name> and its files.
      ctx.diagnostics.add(diag("ReservedDeviceName", { what: "resource name", name: named.name, device: reservedDeviceName(named.name)! }, nameSpan()));
    } else {
      // Its generated functions (Get-<Name>Resource ...) may not replace an in-box command either.
      for (const generated of [`Get-${named.name}Resource`, `Test-${named.name}Resource`, `Set-${named.name}Resource`, `Test-${named.name}ResourceSafety`]) {
        const inbox = inboxCommand(generated);
        if (inbox) ctx.diagnostics.add(diag("ShadowsInbox", { what: `the function generated for resource '${label}',`, name: generated, inbox }, nameSpan()));
      }
    }
    if (!leftOut("properties", "an object of t.* types, one of them a key (t.string({ key: true }))")) checkProps(ctx, ev, site, "properties", (def as ResourceDef).properties, `resource '${label}'`);
    const returning = (what: string): string => `a function of the properties returning a ps\`...\` fragment that ${what} (e.g. ({ name }) => ps\`...\`)`;
    callback("get", true, returning("returns the current state as a hashtable"));
    callback("test", true, returning("returns [bool]: whether the node is in the desired state"));
    callback("set", true, returning("changes the node to the desired state"));
    callback("safe", false, returning("returns [bool]: whether it is safe to run set now"));
    // (what tsc says too: without it, an unknown word would reach the runtime's reboot handling as it is)
    const r = def as ResourceDef;
    if (r.reboot !== undefined && r.reboot !== "never" && r.reboot !== "after-set") {
      ctx.diagnostics.add(diag("OptionInvalid", { owner, option: "reboot", expected: '"never" or "after-set"' }, ev.optionSpan(site, ["reboot"])));
    }
    if (r.disruptive !== undefined && typeof r.disruptive !== "boolean") {
      ctx.diagnostics.add(diag("OptionInvalid", { owner, option: "disruptive", expected: "true or false" }, ev.optionSpan(site, ["disruptive"])));
    }
    // DSC tells instances apart by their Key properties: a schema without one is not a DSC resource.
    const props: unknown = (def as ResourceDef).properties;
    if (typeof props === "object" && props !== null && !Object.values(props).some((p) => kindOf(p) === "type" && (p as PropType).key === true)) {
      ctx.diagnostics.add(diag("ResourceWithoutKey", { name: label }, ev.optionSpan(site, ["properties"], "name")));
    }
  }
}

/** The order of definition sites: String.prototype.localeCompare's (the default locale's collation). */
const SITE_ORDER = new Intl.Collator();

/** What a watch session keeps of the last build's order of definitions. */
interface SiteOrder {
  /** The last build's definitions, in order. */
  order: readonly object[];
  /** Site keys, made once per definition. */
  readonly keys: WeakMap<object, string>;
}

/**
 * `defs` in the order of their sites (a stable sort: definitions made at one site stay in the order
 * they were made). A watch rebuild starts from the last build's order, with the definitions made
 * since after it: a list mostly in order sorts in a pass.
 */
function bySite(ctx: CompileContext, defs: ReadonlySet<object>): object[] {
  const kept = ctx.memo("check: definition order", "last", [], (): SiteOrder => ({ order: [], keys: new WeakMap() }));
  const index = new Map<object, number>();
  for (const def of defs) index.set(def, index.size);
  const start: object[] = [];
  const placed = new Set<object>();
  for (const def of kept.order) {
    if (index.has(def)) {
      start.push(def);
      placed.add(def);
    }
  }
  for (const def of defs) if (!placed.has(def)) start.push(def);
  const keyOf = (def: object): string => {
    let key = kept.keys.get(def);
    if (key === undefined) kept.keys.set(def, (key = siteKey(def)));
    return key;
  };
  // (the collator compares as localeCompare does, without making one per comparison; a tie keeps the order of `defs`)
  // (the order only speeds up the next sort: the result does not depend on it)
  kept.order = start.sort((a, b) => SITE_ORDER.compare(keyOf(a), keyOf(b)) || index.get(a)! - index.get(b)!);
  return start;
}

function siteKey(def: object): string {
  const site = (def as { site?: { file: string; line: number; column: number } }).site;
  return site ? `${site.file}\0${String(site.line).padStart(8, "0")}\0${String(site.column).padStart(8, "0")}` : "";
}

function noteDuplicate(ctx: CompileContext, seen: Map<string, () => Span | undefined>, name: string, what: string, span: () => Span | undefined): void {
  const key = name.toLowerCase();
  const other = seen.get(key);
  if (other) {
    const otherSpan = other();
    ctx.diagnostics.add(diag("DuplicateName", { what, name }, span(), otherSpan ? [{ message: "the other one is defined here", span: otherSpan }] : []));
  } else {
    seen.set(key, span);
  }
}

/** `span` is found only when there is a problem to report. */
function checkCommandName(ctx: CompileContext, name: unknown, span: Where, ours: { readonly ours: boolean }): void {
  for (const d of commandNameProblems(name, () => located(span), ours)) ctx.diagnostics.add(d);
}

/**
 * The property (or parameter) types of a definition: each made with t.*, and every pattern one
 * PowerShell can use, reported at the regular expression.
 */
function checkProps(ctx: CompileContext, ev: SourceLocator, site: Site | undefined, key: "params" | "properties", props: unknown, owner: string): void {
  if (typeof props !== "object" || props === null) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner, option: key, expected: "an object of t.* types" }, ev.optionSpan(site, [key])));
    return;
  }
  const what = key === "params" ? "parameter" : "property";
  const seen = new Map<string, string>();
  for (const [name, type] of Object.entries(props as Record<string, unknown>)) {
    const problem = identifierProblem(name, what);
    if (problem) {
      ctx.diagnostics.add(diag("NameInvalid", { what: `${what} name of ${owner}`, name: shown(name), message: problem }, ev.optionSpan(site, [key, name], "name")));
      continue;
    }
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) ctx.diagnostics.add(diag("DuplicateParameter", { owner, what: key === "params" ? "parameters" : "properties", name: `${shown(other)}' and '${shown(name)}` }, ev.optionSpan(site, [key, name], "name")));
    else seen.set(name.toLowerCase(), name);
    checkType(ctx, ev, site, [key, name], type, `${what} '${name}' of ${owner}`);
  }
}

/** An extern's switches: parameter names, unlike its params. */
function checkSwitches(ctx: CompileContext, ev: SourceLocator, site: Site | undefined, switches: unknown, params: unknown, owner: string): void {
  if (switches === undefined) return;
  if (!Array.isArray(switches)) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner, option: "switches", expected: "a list of switch parameter names" }, ev.optionSpan(site, ["switches"])));
    return;
  }
  const taken = new Set(typeof params === "object" && params !== null ? Object.keys(params).map((p) => p.toLowerCase()) : []);
  switches.forEach((name: unknown, i) => {
    const span = (): Span | undefined => ev.optionSpan(site, ["switches", i]);
    const problem = typeof name === "string" ? identifierProblem(name, "switch") : "it must be a string";
    if (problem) {
      ctx.diagnostics.add(diag("NameInvalid", { what: `switch of ${owner}`, name: shown(name), message: problem }, span()));
    } else if (taken.has((name as string).toLowerCase())) {
      ctx.diagnostics.add(diag("DuplicateParameter", { owner, what: "parameters or switches", name: shown(name) }, span()));
    } else {
      taken.add((name as string).toLowerCase());
    }
  });
}

function checkType(ctx: CompileContext, ev: SourceLocator, site: Site | undefined, path: readonly string[], type: unknown, label: string): void {
  if (kindOf(type) !== "type") {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: label, option: path.join("."), expected: "a t.* type, e.g. t.string()" }, ev.optionSpan(site, path)));
    return;
  }
  const t = type as PropType;
  // (the values of t.enum and the items of t.array and t.map are arguments of their own, not options)
  const { name, given, known } = typeOptions(t as unknown as Record<string, unknown>);
  if (known) reportUnknownKeys(ctx, given, known, `t.${String(name)}() of ${label}`, (key) => typeOptionSpan(ev, site, path, key));
  checkTypeOptions(ctx, t, `t.${String(name)}() of ${label}`, (key) => typeOptionSpan(ev, site, path, key));
  if (t.type === "array") return checkType(ctx, ev, site, path, t.items, `the items of ${label}`);
  if (t.type === "map") return checkType(ctx, ev, site, path, t.values, `the values of ${label}`);
  if (t.type === "enum") {
    const values: unknown = t.values;
    (Array.isArray(values) ? values : []).forEach((v: unknown, i) => {
      const bad = typeof v === "string" ? unsafeCharacter(v) : undefined;
      if (bad) ctx.diagnostics.add(diag("TextNotConstant", { what: `enum value "${shown(v)}"`, owner: label, character: bad, attribute: "[ValidateSet()]", hint: "" }, enumValueSpan(ev, site, path, i)));
    });
    return;
  }
  if (t.type !== "string" || t.pattern === undefined) return;
  const pattern: unknown = t.pattern;
  if (!(pattern instanceof RegExp)) {
    ctx.diagnostics.add(diag("OptionInvalid", { owner: label, option: "pattern", expected: "a regular expression, e.g. /^[a-z]+$/" }, patternSpan(ev, site, path, undefined)));
    return;
  }
  const bad = unsafeCharacter(pattern.source);
  if (bad) {
    const hint = `; write it as the escape \\u${bad.slice(2)} in the regular expression instead`;
    ctx.diagnostics.add(diag("TextNotConstant", { what: `pattern /${shown(pattern.source)}/${pattern.flags}`, owner: label, character: bad, attribute: "[ValidatePattern()]", hint }, patternSpan(ev, site, path, pattern)));
  }
  for (const message of patternProblems(pattern)) {
    ctx.diagnostics.add(diag("PatternNotPortable", { pattern: pattern.source, flags: pattern.flags, message }, patternSpan(ev, site, path, pattern)));
  }
}

/** Where an enum's value `index` is written: the string in `t.enum([...])`, else the property. */
function enumValueSpan(ev: SourceLocator, site: Site | undefined, path: readonly string[], index: number): Span | undefined {
  const ts = typescript();
  const found = ev.propertyAt(site, path);
  if (!found) return ev.spanOf(site);
  let list: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (list) return;
    if (ts.isArrayLiteralExpression(node)) list = node;
    else ts.forEachChild(node, visit);
  };
  visit(found.value);
  return ev.nodeSpan(found.file, list?.elements[index] ?? found.value);
}

/** An int PowerShell's [int] holds. */
function isInt32(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

/**
 * The option values of a t.* type that PowerShell would refuse or that contradict each other:
 * [ValidateRange(10, 1)] or an empty [ValidateSet()] make every call of the generated functions
 * fail; a key that may be left out, or that is not a single value, is no DSC Key.
 */
function checkTypeOptions(ctx: CompileContext, t: PropType, owner: string, spanOf: (key: string) => Span | undefined): void {
  const o = t as unknown as Record<string, unknown>;
  const bad = (option: string, expected: string): void => {
    ctx.diagnostics.add(diag("OptionInvalid", { owner, option, expected }, spanOf(option)));
  };
  if (o.key === true) {
    if (!["string", "int", "enum", "bool"].includes(t.type)) bad("key", "left out: a DSC Key property is a single value (t.string, t.int, t.enum or t.bool), not a list, a map, a script or a secret");
    else if (o.optional === true) bad("optional", "left out: a key property is always required (DSC identifies an instance by it)");
    else if (o.default !== undefined) bad("default", "left out: a key property is always given (DSC identifies an instance by it)");
  }
  if (t.type === "int") {
    for (const option of ["min", "max", "default"]) {
      if (o[option] !== undefined && !isInt32(o[option])) bad(option, "a whole number PowerShell's [int] holds (-2147483648 to 2147483647)");
    }
    if (isInt32(o.min) && isInt32(o.max) && o.min > o.max) bad("max", `at least min (${o.min})`);
    if (isInt32(o.default) && ((isInt32(o.min) && o.default < o.min) || (isInt32(o.max) && o.default > o.max))) bad("default", `within min and max (${isInt32(o.min) ? o.min : "..."} to ${isInt32(o.max) ? o.max : "..."})`);
  } else if (t.type === "string") {
    for (const option of ["minLength", "maxLength"]) {
      if (o[option] !== undefined && !(isInt32(o[option]) && (o[option] as number) >= 0)) bad(option, "a whole number of characters, 0 or more");
    }
    if (isInt32(o.minLength) && isInt32(o.maxLength) && o.minLength > o.maxLength) bad("maxLength", `at least minLength (${o.minLength})`);
    if (typeof o.default === "string") {
      const length = o.default.length;
      if ((isInt32(o.minLength) && length < o.minLength) || (isInt32(o.maxLength) && length > o.maxLength)) bad("default", "a string of the length minLength and maxLength allow");
      else if (o.pattern instanceof RegExp && !new RegExp(o.pattern.source, o.pattern.flags.replace(/[gy]/g, "")).test(o.default)) bad("default", `a string the pattern /${o.pattern.source}/${o.pattern.flags} matches`);
    }
  } else if (t.type === "enum") {
    const values: unknown = o.values;
    if (Array.isArray(values) && values.length === 0) bad("values", "at least one value ([ValidateSet()] with none refuses every call)");
    else if (Array.isArray(values) && o.default !== undefined && !values.includes(o.default)) bad("default", `one of its values (${values.map((v) => JSON.stringify(v)).join(", ")})`);
  }
}

/** The first property assignment named `key` inside `node` (a t.* call's options), depth first. */
function optionIn(node: ts.Node, key: string): ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined {
  const ts = typescript();
  let found: ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) && n.name.text === key) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The key of option `key` in the t.* call at `path` (the first such key inside it), else the call. */
function typeOptionSpan(ev: SourceLocator, site: Site | undefined, path: readonly string[], key: string): Span | undefined {
  const found = ev.propertyAt(site, path);
  if (!found) return ev.spanOf(site);
  return ev.nodeSpan(found.file, optionIn(found.value, key)?.name ?? found.name ?? found.value);
}

/** Where a property's pattern is written: the regular expression literal inside its type, else the `pattern` option, else the property. */
function patternSpan(ev: SourceLocator, site: Site | undefined, path: readonly string[], pattern: RegExp | undefined): Span | undefined {
  const ts = typescript();
  const found = ev.propertyAt(site, path);
  if (!found) return ev.spanOf(site);
  const literal = pattern ? `/${pattern.source}/${pattern.flags}` : undefined;
  let regex: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (regex) return;
    if (ts.isRegularExpressionLiteral(node) && node.text === literal) regex = node;
    else ts.forEachChild(node, visit);
  };
  visit(found.value);
  const option = optionIn(found.value, "pattern");
  const node = regex ?? (option && ts.isPropertyAssignment(option) ? option.initializer : undefined) ?? found.name ?? found.value;
  return ev.nodeSpan(found.file, node);
}
