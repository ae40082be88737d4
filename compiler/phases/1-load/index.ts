import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { KIND, kindOf, type Site } from "../../../stdlib/api/brand.js";
import type { Config, ConfigurationDef, DscOptions, ModuleDef, StackOptions } from "../../../stdlib/api/define.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import { glob } from "../../util/glob.js";
import { fleetformPackage } from "../../util/package.js";
import { EvaluationError, Evaluator } from "./evaluate.js";
import { collectImports, type FileImport } from "./imports.js";
import { startTypecheck, type TypecheckResult } from "./typecheck.js";

export const CONFIG_FILE = "fleetform.config.ts";

export interface ResolvedConfig {
  readonly layers: readonly string[];
  readonly sameLayerImports: readonly string[];
  readonly out: string;
  readonly install: { readonly root: string; readonly logDir: string; readonly stateDir: string; readonly deployDir: string };
  readonly dsc?: DscOptions;
  readonly stack?: StackOptions;
  readonly span?: Span;
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
  readonly evaluator: Evaluator;
  /** Author file → its relative imports (including files reached only by type-only imports). */
  readonly imports: ReadonlyMap<string, readonly FileImport[]>;
  readonly runtime: readonly RuntimeFile[];
  readonly typecheck: Promise<TypecheckResult>;
}

const DEFAULT_INSTALL = {
  root: "C:\\Program Files\\WindowsPowerShell\\Modules",
  logDir: "C:\\ProgramData\\Fleetform\\Logs",
  stateDir: "C:\\ProgramData\\Fleetform\\State",
  deployDir: "C:\\ProgramData\\Fleetform\\Deploy",
};

/** Reads and evaluates the config repo. The only phase that touches the file system. */
export function load(ctx: CompileContext): Loaded | undefined {
  const root = ctx.options.root;
  const configPath = join(root, CONFIG_FILE);
  if (!existsSync(configPath)) {
    ctx.diagnostics.add(diag("ConfigNotFound", { dir: root }));
    return undefined;
  }
  const evaluator = new Evaluator(ctx);
  const exported: unknown[] = [];

  const evaluate = (path: string): Record<string, unknown> | undefined => {
    try {
      const exports = evaluator.load(path);
      exported.push(...Object.values(exports));
      return exports;
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      if (e.unresolved !== undefined) {
        ctx.diagnostics.add(diag("ImportNotFound", { specifier: e.unresolved, file: ctx.rel(e.file) }, importSpan(ctx, e.file, e.unresolved)));
      } else {
        const span = e.span ?? { file: ctx.rel(path), start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
        ctx.diagnostics.add(diag("EvaluationFailed", { file: ctx.rel(e.file), message: e.message.split("\n")[0]! }, span));
      }
      return undefined;
    }
  };

  const configExports = evaluate(configPath);
  if (!configExports) return undefined;
  const configDef = configExports.default;
  if (kindOf(configDef) !== "config") {
    ctx.diagnostics.add(diag("ConfigInvalid", { file: CONFIG_FILE }, { file: CONFIG_FILE, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
    return undefined;
  }
  const config = resolveConfig(ctx, configDef as Config, evaluator.spanOf((configDef as Config).site));
  if (!config) return undefined;

  // Type-check while we evaluate.
  const moduleFiles = patterns(ctx, (configDef as Config).modules, ["modules/*/index.ts"], "modules", config.span);
  const configurationFiles = patterns(ctx, (configDef as Config).configurations, ["configurations/*.ts"], "configurations", config.span);
  const typecheck = ctx.options.typecheck
    ? startTypecheck(root, [CONFIG_FILE, ...moduleFiles, ...configurationFiles])
    : Promise.resolve({ diagnostics: [], sources: new Map() });

  const modules: LoadedModule[] = [];
  for (const rel of moduleFiles) {
    const path = resolve(root, rel);
    const exports = evaluate(path);
    if (!exports) continue;
    const def = exports.module;
    if (kindOf(def) !== "module") {
      ctx.diagnostics.add(diag("ModuleExportMissing", { file: rel }, { file: rel, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
      continue;
    }
    modules.push({ def: def as ModuleDef, entry: path, dir: dirname(path), ...spanProp(evaluator.spanOf((def as ModuleDef).site)) });
  }

  const configurations: LoadedConfiguration[] = [];
  for (const rel of configurationFiles) {
    const path = resolve(root, rel);
    const exports = evaluate(path);
    if (!exports) continue;
    const def = exports.default;
    if (kindOf(def) !== "configuration") {
      ctx.diagnostics.add(diag("ConfigurationExportMissing", { file: rel }, { file: rel, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
      continue;
    }
    configurations.push({ def: def as ConfigurationDef, file: path, ...spanProp(evaluator.spanOf((def as ConfigurationDef).site)) });
  }

  const imports = ctx.time("load: imports", () => collectImports(ctx, evaluator));
  return { config, modules, configurations, exported, evaluator, imports, runtime: readRuntime(), typecheck };
}

function spanProp(span: Span | undefined): { span?: Span } {
  return span ? { span } : {};
}

/** Files matching the configured patterns (or the defaults, which may match nothing without a warning). */
function patterns(ctx: CompileContext, configured: readonly string[] | undefined, defaults: readonly string[], what: string, span: Span | undefined): string[] {
  const files = new Set<string>();
  for (const pattern of configured ?? defaults) {
    const matched = glob(ctx.options.root, pattern);
    if (matched.length === 0 && configured) ctx.diagnostics.add(diag("PatternMatchedNothing", { what, pattern }, span));
    for (const file of matched) {
      if (!/\.(m|c)?ts$/.test(file) || /\.d\.(m|c)?ts$/.test(file)) {
        ctx.diagnostics.add(diag("UnsupportedSource", { file, what }, { file, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
        continue;
      }
      files.add(file);
    }
  }
  return [...files].sort();
}

function resolveConfig(ctx: CompileContext, def: Config, span: Span | undefined): ResolvedConfig | undefined {
  const problems: string[] = [];
  const layers = Array.isArray(def.layers) ? def.layers.map(String) : [];
  if (layers.length === 0) problems.push("`layers` must list at least one layer, lowest first");
  if (new Set(layers).size !== layers.length) problems.push("`layers` lists a layer twice");
  const out = def.out ?? "dist";
  if (typeof out !== "string" || out.trim() === "" || resolve(ctx.options.root, out) === ctx.options.root) {
    problems.push("`out` must be a folder inside the config repo, not the repo root");
  }
  for (const p of problems) ctx.diagnostics.add(diag("OptionInvalid", { message: `${CONFIG_FILE}: ${p}` }, span));
  if (problems.length > 0) return undefined;
  return {
    layers,
    sameLayerImports: [...(def.sameLayerImports ?? [])],
    out,
    install: { ...DEFAULT_INSTALL, ...(def.install ?? {}) },
    ...(def.dsc ? { dsc: { ...def.dsc } } : {}),
    ...(def.stack ? { stack: def.stack } : {}),
    ...spanProp(span),
  };
}

function importSpan(ctx: CompileContext, file: string, specifier: string): Span | undefined {
  const rel = ctx.rel(file);
  const text = ctx.sources.get(rel);
  if (text === undefined) return undefined;
  for (const quote of ['"', "'"]) {
    const at = text.indexOf(quote + specifier + quote);
    if (at < 0) continue;
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    return { file: rel, start: { line, column }, end: { line, column: column + specifier.length + 2 } };
  }
  return undefined;
}

function readRuntime(): RuntimeFile[] {
  const dir = join(fleetformPackage().root, "stdlib", "runtime", "Fleetform.Runtime");
  const files: RuntimeFile[] = [];
  const walk = (sub: string): void => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else files.push({ path: rel, content: readFileSync(join(dir, rel), "utf8") });
    }
  };
  if (existsSync(dir)) walk("");
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export type { Site };
export { KIND };
