import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ts } from "ts-morph";
import { typescript } from "../../util/typescript.js";
import { kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { Config, ConfigurationDef, DscOptions, ModuleDef, StackOptions } from "../../../stdlib/api/define.js";
import type { Diagnostic, Span } from "../../diagnostics/diagnostic.js";
import { Digraph } from "../../util/graph.js";
import { diag, messages } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import { glob } from "../../util/glob.js";
import { packageAsset } from "../../util/package.js";
import { LineIndex } from "../../util/text.js";
import { dscHeaderProblem, installPathProblem, LAYER, LAYER_RULE, shown } from "../../util/names.js";
import { Evaluator } from "./evaluate.js";
import { collectImports, importedNames, type FileImport } from "./imports.js";
import { EvaluationError } from "./loader.js";
import type { SourceLocator, SpanLocator } from "./locator.js";
import { MAX_NESTING } from "./nesting.js";
import { OPTIONS, reportUnknownKeys } from "../unknown-keys.js";
import { cachedTypecheck, hasTsconfig, type TypecheckResult } from "./typecheck.js";

export const CONFIG_FILE = "fleetform.config.ts";

export interface ResolvedConfig {
  readonly layers: readonly string[];
  readonly sameLayerImports: readonly string[];
  readonly out: string;
  readonly install: { readonly root: string; readonly logDir: string; readonly stateDir: string; readonly deployDir: string; readonly logReaders?: string };
  readonly dsc?: DscOptions;
  readonly stack?: StackOptions;
  readonly span?: Span;
  /** Where defineConfig was called: the check phase finds the span of an option's value from it. */
  readonly site?: Site;
}

export interface LoadedModule {
  readonly def: ModuleDef;
  /** Absolute path of the entry file and of the module folder. */
  readonly entry: string;
  readonly dir: string;
  readonly span?: Span;
}

export interface LoadedConfiguration {
  readonly def: ConfigurationDef;
  readonly file: string;
  readonly span?: Span;
}

export interface RuntimeFile {
  /** Path inside the runtime module folder. */
  readonly path: string;
  readonly content: string;
}

export interface Loaded {
  readonly config: ResolvedConfig;
  readonly modules: readonly LoadedModule[];
  readonly configurations: readonly LoadedConfiguration[];
  /** Every value exported by an evaluated author file, to find definitions. */
  readonly exported: readonly unknown[];
  /** Every fn, extern and resource definition the evaluated files made, in the order they were made. */
  readonly definitions: readonly object[];
  /** The file whose evaluation made a definition (absolute path; see Loader.madeIn). */
  readonly madeIn: (def: object) => string | undefined;
  /** Where things are in the sources (spans, syntax), for the check and lower phases. */
  readonly locator: SourceLocator;
  /** Author file → its relative imports (including files reached only by type-only imports). */
  readonly imports: ReadonlyMap<string, readonly FileImport[]>;
  /**
   * Evaluated file → the author files it required (as the build goes on, also what the callbacks
   * defined in it require when lowering runs them).
   */
  readonly requires: ReadonlyMap<string, ReadonlySet<string>>;
  readonly runtime: readonly RuntimeFile[];
  /** schemas/ssm-command-document-2.2.schema.json, copied into every build's schemas/. */
  readonly ssmSchema: string;
  readonly typecheck: Promise<TypecheckResult>;
  /** The files the type check starts from (repo-relative): the config, modules and configurations. */
  readonly roots: readonly string[];
  /** False when a source failed to evaluate or an import did not resolve: what loaded is partial. */
  readonly complete: boolean;
  /**
   * Keeps what a build in a new process can reuse in the persistent cache: the spans and imports
   * found in the sources, and V8's code cache of the evaluated files. Called when the build is
   * done (after the last phase that asks for spans or runs the author's callbacks).
   */
  readonly keep: () => void;
}

const DEFAULT_INSTALL = {
  root: "C:\\Program Files\\WindowsPowerShell\\Modules",
  logDir: "C:\\ProgramData\\Fleetform\\Logs",
  stateDir: "C:\\ProgramData\\Fleetform\\State",
  deployDir: "C:\\ProgramData\\Fleetform\\Deploy",
};

/** Reads and evaluates the config repo. The only phase that touches the file system. */
export async function load(ctx: CompileContext): Promise<Loaded | undefined> {
  // With a tsconfig.json the type check needs no list of files: it starts before anything else
  // (and is stopped if the config cannot be read).
  const abort = new AbortController();
  const early = ctx.options.typecheck && hasTsconfig(ctx.options.root) ? cachedTypecheck(ctx.disk, ctx.options.root, [], abort.signal) : undefined;
  let loaded: Loaded | undefined;
  try {
    loaded = await loadRepo(ctx, early);
  } finally {
    if (!loaded) abort.abort();
  }
  return loaded;
}

/**
 * The config first (it says where the modules and configurations are), then the type check started
 * on them, every source transpiled at once, the modules and configurations evaluated, and what
 * their files import.
 */
async function loadRepo(ctx: CompileContext, early: Promise<TypecheckResult> | undefined): Promise<Loaded | undefined> {
  const root = ctx.options.root;
  const configPath = join(root, CONFIG_FILE);
  if (!existsSync(configPath)) {
    ctx.diagnostics.add(diag("ConfigNotFound", { dir: root }));
    return undefined;
  }
  const evaluator = ctx.cache ? ctx.time("load: refresh", () => ctx.cache!.loader(ctx, configPath, () => new Evaluator(ctx))) : new Evaluator(ctx);
  const entries = new EntryFiles(ctx, evaluator);
  // (the config's text transpiled as the others are, not by esbuild's synchronous call)
  const transpileStarted = performance.now();
  await evaluator.loader.pretranspile([configPath]);
  ctx.timings.set("load: transpile", performance.now() - transpileStarted);
  const configured = loadConfig(ctx, entries, configPath);
  if (!configured) return undefined;
  const { config, def } = configured;

  const files = findSources(ctx, evaluator, def);
  // Type-check while we evaluate.
  const checking = early ?? (ctx.options.typecheck ? cachedTypecheck(ctx.disk, root, files.roots) : Promise.resolve<TypecheckResult>({ diagnostics: [], sources: new Map() }));
  await pretranspile(ctx, evaluator, files);
  // Every module and configuration file under one time-limit window; their failures are reported below.
  const entryFiles = [...files.modules, ...files.configurations].map((f) => resolve(root, f));
  // (what the build evaluates from: the definitions it checks and the imports it reads are of the files these reach)
  const loadRoots = [configPath, ...entryFiles];
  // (the config, evaluated already, is a root too: what it imports is reached by an import)
  evaluator.evaluate(loadRoots, (file) => importedNames(ctx, evaluator, file));
  const modules = loadModules(ctx, entries, files.modules);
  const configurations = loadConfigurations(ctx, entries, files.configurations);
  reportModulesOutsideEntries(ctx, evaluator, loadRoots, modules, files.modules, def);
  // A watch rebuild: files an edit no longer imports are forgotten, with their definitions.
  if (ctx.cache && ctx.cache.forgotten !== "all") evaluator.retain(loadRoots);

  const imports = ctx.time("load: imports", () => collectImports(ctx, evaluator, loadRoots));
  const ssmSchema = readFileSync(packageAsset("ssmSchema"), "utf8");
  // Joined once every file is evaluated, so the deferred diagnostics of all of them are in.
  const typecheck = checking.then((result) => ({ ...result, diagnostics: [...result.diagnostics, ...notReportedBy(result.diagnostics, entries.deferred)] }));
  return {
    config,
    modules,
    configurations,
    exported: entries.exported,
    definitions: evaluator.loader.definitions(loadRoots),
    madeIn: (def) => evaluator.loader.madeIn(def),
    locator: evaluator.locator,
    imports,
    requires: evaluator.loader.requires,
    runtime: readRuntime(),
    ssmSchema,
    typecheck,
    roots: files.roots,
    complete: !entries.failed,
    keep: () => {
      evaluator.syntax.keep();
      evaluator.loader.keepCode();
    },
  };
}

/** Evaluates the author's entry files (the config, modules, configurations), each failure a diagnostic. */
class EntryFiles {
  /** Every value exported by an evaluated file. */
  readonly exported: unknown[] = [];
  /** Unresolved imports and syntax errors: they wait for the type check, which reports most of them itself (TS2307). */
  readonly deferred: Diagnostic[] = [];
  /** Whether any file failed to evaluate. */
  failed = false;

  constructor(
    private readonly ctx: CompileContext,
    readonly evaluator: Evaluator,
  ) {}

  get locator(): SourceLocator {
    return this.evaluator.locator;
  }

  /** The file's exports, or undefined when it failed (reported). */
  evaluate(path: string): Record<string, unknown> | undefined {
    const ctx = this.ctx;
    try {
      const exports = this.evaluator.loader.load(path);
      this.exported.push(...Object.values(exports));
      return exports;
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      this.failed = true;
      if (e.tooDeep) {
        ctx.diagnostics.add(diag("NestingTooDeep", { what: "this expression", limit: `more than ${MAX_NESTING} levels`, where: " of brackets" }, e.span));
      } else if (e.timedOut !== undefined) {
        ctx.diagnostics.add(diag("EvaluationTimeout", { file: ctx.rel(e.file), ms: e.timedOut }));
      } else if (e.unresolved !== undefined) {
        this.deferred.push(diag("ImportNotFound", { specifier: e.unresolved, file: ctx.rel(e.file) }, importSpan(ctx, e.file, e.unresolved)));
      } else if (e.syntax) {
        // A file that does not parse: the type check reports it better (and all of its errors) when it runs.
        this.deferred.push(diag("SourceSyntax", { file: ctx.rel(e.file), message: e.message.split("\n")[0]! }, e.span));
      } else {
        const span = e.span ?? { file: ctx.rel(path), start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
        const cycle = cycleThrough(this.evaluator.loader.requires, e.file);
        const notes = cycle
          ? [{ message: `import cycle: ${cycle.map((f) => ctx.rel(f)).join(" -> ")}; a name imported from a file still being evaluated is undefined at the top level` }]
          : [];
        ctx.diagnostics.add(diag("EvaluationFailed", { file: ctx.rel(e.file), message: authorNames(e.message.split("\n")[0]!) }, span, notes));
      }
      return undefined;
    }
  }
}

/**
 * An error's message in the author's names: esbuild's CommonJS calls an imported function as
 * `(0, import_roles.WindowsFeature)(...)`, and V8 words a failure with that text.
 */
function authorNames(message: string): string {
  return message.replace(/\(0\s*,\s*import_[\w$]+\.([\w$]+)\)/g, "$1").replace(/\bimport_[\w$]+\.([\w$]+)/g, "$1");
}

/** The shortest import cycle through `file` (the file, what it imports ..., the file again), if it is in one. */
function cycleThrough(requires: ReadonlyMap<string, ReadonlySet<string>>, file: string): string[] | undefined {
  const graph = new Digraph();
  for (const [from, targets] of requires) for (const to of targets) graph.addEdge(from, to);
  return graph.cycleThrough(file);
}

/** Evaluates fleetform.config.ts and checks its settings. */
function loadConfig(ctx: CompileContext, entries: EntryFiles, configPath: string): { config: ResolvedConfig; def: Config } | undefined {
  const exports = entries.evaluate(configPath);
  if (!exports) {
    for (const d of entries.deferred) ctx.diagnostics.add(d);
    return undefined;
  }
  const def = exports.default;
  if (kindOf(def) !== "config") {
    ctx.diagnostics.add(diag("ConfigInvalid", { file: CONFIG_FILE }, exportSpan(ctx, entries.evaluator, configPath, "default")));
    return undefined;
  }
  const config = resolveConfig(ctx, entries.locator, def as Config);
  return config ? { config, def: def as Config } : undefined;
}

/** The entry files the config's patterns match (repo-relative), and the roots of the type check. */
interface SourceFiles {
  readonly modules: readonly string[];
  readonly configurations: readonly string[];
  readonly roots: readonly string[];
}

function findSources(ctx: CompileContext, evaluator: Evaluator, def: Config): SourceFiles {
  const started = performance.now();
  const modules = patterns(ctx, evaluator.locator, def, "modules", ["modules/*/index.ts"]);
  const configurations = patterns(ctx, evaluator.locator, def, "configurations", ["configurations/*.ts"]);
  ctx.timings.set("load: glob", performance.now() - started);
  return { modules, configurations, roots: [CONFIG_FILE, ...modules, ...configurations] };
}

/**
 * Transpiles every source of the module folders and the configurations at once (see
 * Loader.pretranspile); a watch rebuild evaluates few files and transpiles them as it reaches them.
 */
async function pretranspile(ctx: CompileContext, evaluator: Evaluator, files: SourceFiles): Promise<void> {
  const root = ctx.options.root;
  const globStarted = performance.now();
  const moduleDirs = ctx.cache && ctx.cache.forgotten !== "all" ? [] : [...new Set(files.modules.map((f) => dirname(f)))];
  const sources = new Set([...files.modules, ...files.configurations, ...moduleDirs.flatMap((d) => glob(root, `${d}/**/*.ts`))]);
  ctx.timings.set("load: glob", (ctx.timings.get("load: glob") ?? 0) + performance.now() - globStarted);
  const started = performance.now();
  const paths = [...sources].filter((f) => !/\.d\.(m|c)?ts$/.test(f)).map((f) => resolve(root, f)).filter((f) => !evaluator.loader.has(f));
  await evaluator.loader.pretranspile(paths);
  ctx.timings.set("load: transpile", (ctx.timings.get("load: transpile") ?? 0) + performance.now() - started);
}

/** Evaluates each module's entry file: it must export `module` (defineModule). */
function loadModules(ctx: CompileContext, entries: EntryFiles, files: readonly string[]): LoadedModule[] {
  const modules: LoadedModule[] = [];
  for (const rel of files) {
    const path = resolve(ctx.options.root, rel);
    const exports = entries.evaluate(path);
    if (!exports) continue;
    const def = exports.module;
    if (kindOf(def) !== "module") {
      // (`const module = defineModule(...)` without `export`: at it)
      const unexported = def === undefined ? declarationSpan(entries.evaluator, path, "module") : undefined;
      // (`export const windowsModule = defineModule(...)`: at it, saying the name it must have)
      const renamed = def === undefined && !unexported ? Object.keys(exports).find((k) => kindOf(exports[k]) === "module") : undefined;
      const why = unexported ? ": its `module` is declared but not exported (write `export const module`)" : renamed !== undefined ? `: it exports its defineModule(...) as \`${renamed}\` (name it \`module\`)` : "";
      ctx.diagnostics.add(diag("ModuleExportMissing", { file: rel, why }, unexported ?? exportSpan(ctx, entries.evaluator, path, renamed ?? "module")));
      continue;
    }
    modules.push(loadedModule(def as ModuleDef, path, entries.locator));
  }
  return modules;
}

/**
 * A defineModule exported by any other file than a module entry (a copy in a helper file, a second
 * one in an entry, one in a configuration) declares nothing: FF1039 at it, once. An entry whose
 * `module` export is missing has its FF1004 already.
 */
function reportModulesOutsideEntries(ctx: CompileContext, ev: Evaluator, roots: readonly string[], modules: readonly LoadedModule[], entryFiles: readonly string[], def: Config): void {
  const declared = new Set<unknown>(modules.map((m) => m.def));
  const entries = new Set(entryFiles.map((f) => resolve(ctx.options.root, f)));
  const reported = new Set<unknown>();
  for (const file of [...ev.loader.reachedFrom(roots)].sort()) {
    const exports = ev.loader.exportsOf(file);
    if (!exports || (entries.has(file) && kindOf(exports.module) !== "module")) continue;
    for (const [name, value] of Object.entries(exports)) {
      if (kindOf(value) !== "module" || declared.has(value) || reported.has(value)) continue;
      reported.add(value);
      const patterns = Array.isArray(def.modules) ? def.modules.join(", ") : "modules/*/index.ts";
      ctx.diagnostics.add(diag("ModuleOutsideEntry", { file: ctx.rel(file), export: name === "default" ? "its default export" : `\`${name}\``, entries: patterns }, ev.locator.spanOf((value as ModuleDef).site)));
    }
  }
}

/** Evaluates each configuration file: its default export must be a configuration. */
function loadConfigurations(ctx: CompileContext, entries: EntryFiles, files: readonly string[]): LoadedConfiguration[] {
  const configurations: LoadedConfiguration[] = [];
  for (const rel of files) {
    const path = resolve(ctx.options.root, rel);
    const exports = entries.evaluate(path);
    if (!exports) continue;
    const def = exports.default;
    if (kindOf(def) !== "configuration") {
      ctx.diagnostics.add(diag("ConfigurationExportMissing", { file: rel }, exportSpan(ctx, entries.evaluator, path, "default")));
      continue;
    }
    configurations.push({ def: def as ConfigurationDef, file: path, ...spanProp(entries.locator.spanOf((def as ConfigurationDef).site)) });
  }
  return configurations;
}

/**
 * A module as loaded; its span is found when it is first read (lowering a module kept in the
 * persistent cache never reads it, nor the file's kept spans).
 */
function loadedModule(def: ModuleDef, entry: string, locator: SpanLocator): LoadedModule {
  let span: Span | undefined | null = null;
  return {
    def,
    entry,
    dir: dirname(entry),
    get span(): Span | undefined {
      if (span === null) span = locator.spanOf(def.site);
      return span;
    },
  };
}

function spanProp(span: Span | undefined): { span?: Span } {
  return span ? { span } : {};
}

/** The unresolved imports and syntax errors the type check did not already report (at the same place; in the same file). */
function notReportedBy(reported: readonly Diagnostic[], unresolved: readonly Diagnostic[]): Diagnostic[] {
  const at = (d: Diagnostic): string => (d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}` : "");
  const typeErrors = reported.filter((d) => d.code.startsWith("TS") && d.span);
  const places = new Set(typeErrors.map(at));
  const files = new Set(typeErrors.map((d) => d.span!.file));
  return unresolved.filter((d) => (d.code === messages.SourceSyntax.code ? !d.span || !files.has(d.span.file) : !d.span || !places.has(at(d))));
}

/** Files matching the configured patterns (or the defaults, which may match nothing without a warning). */
function patterns(ctx: CompileContext, ev: SourceLocator, def: Config, what: "modules" | "configurations", defaults: readonly string[]): string[] {
  const configured = def[what];
  const files = new Set<string>();
  (configured ?? defaults).forEach((pattern, i) => {
    const matched = ctx.cache ? ctx.cache.glob(ctx.options.root, pattern) : glob(ctx.options.root, pattern);
    if (matched.length === 0 && configured) ctx.diagnostics.add(diag("PatternMatchedNothing", { what, pattern }, ev.propertySpan(def.site, [what, i]) ?? ev.spanOf(def.site)));
    for (const file of matched) {
      if (!/\.(m|c)?ts$/.test(file) || /\.d\.(m|c)?ts$/.test(file)) {
        ctx.diagnostics.add(diag("UnsupportedSource", { file, what }, { file, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
        continue;
      }
      files.add(file);
    }
  });
  return [...files].sort();
}

function resolveConfig(ctx: CompileContext, ev: SourceLocator, def: Config): ResolvedConfig | undefined {
  const span = ev.spanOf(def.site);
  const at = (...path: (string | number)[]): Span | undefined => ev.propertySpan(def.site, path) ?? span;
  let failed = false;
  const problem = (setting: string, expected: string, where: Span | undefined): void => {
    failed = true;
    ctx.diagnostics.add(diag("ConfigSettingInvalid", { setting, expected }, where));
  };
  const strings = (value: unknown): value is readonly string[] => Array.isArray(value) && value.every((v) => typeof v === "string");

  // (a misspelt setting is reported once, at the misspelling: not again as the setting it means, missing)
  const meant = reportUnknownKeys(ctx, def as unknown as Record<string, unknown>, OPTIONS.config, "defineConfig", (key) => ev.propertySpan(def.site, [key], { at: "name" }) ?? span);
  const layers = strings(def.layers) ? [...def.layers] : [];
  if (def.layers === undefined && meant.has("layers")) failed = true;
  else if (layers.length === 0) problem("layers", "a list of at least one layer (a string), lowest first", at("layers"));
  layers.forEach((layer, i) => {
    const first = layers.indexOf(layer);
    if (first < i) {
      failed = true;
      ctx.diagnostics.add(diag("DuplicateName", { what: "layers", name: shown(layer) }, at("layers", i), [{ message: `'${shown(layer)}' is first listed here`, ...spanProp(ev.propertySpan(def.site, ["layers", first])) }]));
    }
    else if (!LAYER.test(layer)) {
      failed = true;
      ctx.diagnostics.add(diag("NameInvalid", { what: "layer", name: shown(layer), message: LAYER_RULE }, at("layers", i)));
    }
  });
  const dsc: unknown = def.dsc;
  if (typeof dsc === "object" && dsc !== null) {
    for (const field of ["generatedBy", "generationHost", "generationDate"] as const) {
      const value = (dsc as Record<string, unknown>)[field];
      const message = value === undefined ? undefined : dscHeaderProblem(value);
      if (message) {
        failed = true;
        ctx.diagnostics.add(diag("DscHeaderInvalid", { field, value: shown(value), message }, at("dsc", field)));
      }
    }
  }
  const out = def.out ?? "dist";
  if (typeof out !== "string" || out.trim() === "") problem("out", "a folder (a path relative to the config repo)", at("out"));
  else if (resolve(ctx.options.root, out) === ctx.options.root) problem("out", "a folder inside the config repo, not the repo root", at("out"));
  for (const what of ["modules", "configurations"] as const) {
    if (def[what] !== undefined && !strings(def[what])) problem(what, `a list of glob patterns, e.g. ["${what === "modules" ? "modules/*/index.ts" : "configurations/*.ts"}"]`, at(what));
  }
  if (def.sameLayerImports !== undefined && !strings(def.sameLayerImports)) problem("sameLayerImports", "a list of layers", at("sameLayerImports"));
  const install: unknown = def.install ?? {};
  if (typeof install !== "object" || install === null) {
    problem("install", "an object of paths on the instances", at("install"));
  } else {
    for (const [key, value] of Object.entries(install)) {
      if (key === "logReaders") {
        // eslint-disable-next-line no-control-regex
        if (typeof value !== "string" || value.trim() === "" || /[\x00-\x1f\x7f]/.test(value)) problem("install.logReaders", "one group: a name such as \"BUILTIN\\\\Event Log Readers\" or a SID (S-1-5-32-573)", at("install", key));
      } else if (typeof value !== "string" || value === "") problem(`install.${key}`, "a path on the instances", at("install", key));
      else {
        const wrong = installPathProblem(value, key !== "root");
        if (wrong) problem(`install.${key}`, wrong, at("install", key));
      }
    }
  }
  if (failed) return undefined;
  return {
    layers,
    sameLayerImports: [...(def.sameLayerImports ?? [])],
    out: out as string,
    install: { ...DEFAULT_INSTALL, ...(def.install ?? {}) },
    ...(def.dsc ? { dsc: { ...def.dsc } } : {}),
    ...(def.stack ? { stack: def.stack } : {}),
    ...spanProp(span),
    ...(def.site ? { site: def.site } : {}),
  };
}

/** Where a file exports `name` (the exported expression or declaration), else the file's first character. */
function exportSpan(ctx: CompileContext, ev: Evaluator, path: string, name: string): Span {
  const ts = typescript();
  const file = ev.syntax.tree(path);
  let node: ts.Node | undefined;
  for (const statement of file?.statements ?? []) {
    if (name === "default" && ts.isExportAssignment(statement)) node = statement.expression;
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) node = d.initializer ?? d.name;
    }
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) if (e.name.text === name) node = e;
    }
  }
  return node ? ev.locator.nodeSpan(path, node) : { file: ctx.rel(path), start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
}

/** Where a top-level variable `name` is declared without `export` (undefined when it is not, or is exported). */
function declarationSpan(ev: Evaluator, path: string, name: string): Span | undefined {
  const ts = typescript();
  for (const statement of ev.syntax.tree(path)?.statements ?? []) {
    if (!ts.isVariableStatement(statement) || ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return ev.locator.nodeSpan(path, d.name);
  }
  return undefined;
}

function importSpan(ctx: CompileContext, file: string, specifier: string): Span | undefined {
  const rel = ctx.rel(file);
  const text = ctx.sources.get(rel);
  if (text === undefined) return undefined;
  for (const quote of ['"', "'"]) {
    const at = text.indexOf(quote + specifier + quote);
    if (at < 0) continue;
    const { line, column } = new LineIndex(text).position(at);
    return { file: rel, start: { line, column }, end: { line, column: column + specifier.length + 2 } };
  }
  return undefined;
}

function readRuntime(): RuntimeFile[] {
  const dir = packageAsset("runtime");
  const files: RuntimeFile[] = [];
  const walk = (sub: string): void => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else files.push({ path: rel, content: readFileSync(join(dir, rel), "utf8") });
    }
  };
  walk("");
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
