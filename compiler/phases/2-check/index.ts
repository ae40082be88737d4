import { isAbsolute } from "node:path";
import type { CompileContext } from "../context.js";
import type { Loaded } from "../1-load/index.js";
import { collectDefinitions, collectModules, type Definitions } from "./definitions.js";
import { checkModuleGraph, type ModuleGraph } from "./module-graph.js";
import { checkConfigurations, type CheckedConfiguration } from "./references.js";
import { checkStack } from "./stack.js";
import { shown, SOURCE_PATH_RULE, sourcePathProblem } from "../../util/names.js";
import { diag } from "../../diagnostics/messages.js";

export interface Checked extends Definitions {
  readonly loaded: Loaded;
  readonly graph: ModuleGraph;
  readonly configurations: readonly CheckedConfiguration[];
}

/** Runs every check and reports all problems; never throws for user errors. */
export function check(ctx: CompileContext, loaded: Loaded): Checked {
  checkSourcePaths(ctx, loaded);
  const modules = ctx.time("check: modules", () => collectModules(ctx, loaded));
  const graph = ctx.time("check: module graph", () => checkModuleGraph(ctx, loaded, modules));
  const definitions = ctx.time("check: definitions", () => collectDefinitions(ctx, loaded, modules, graph.ownerOf));
  const configurations = ctx.time("check: configurations", () => checkConfigurations(ctx, loaded, definitions.modules));
  ctx.time("check: stack", () => checkStack(ctx, loaded));
  return { ...definitions, loaded, graph, configurations };
}

/** Source paths are written into comments of generated PowerShell, manifests and DSC documents. */
function checkSourcePaths(ctx: CompileContext, loaded: Loaded): void {
  const files = new Set<string>(loaded.roots);
  for (const file of loaded.imports.keys()) files.add(isAbsolute(file) ? ctx.rel(file) : file);
  for (const file of [...files].sort()) {
    if (sourcePathProblem(file)) ctx.diagnostics.add(diag("SourcePathInvalid", { path: shown(file), rule: SOURCE_PATH_RULE }, { file, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }));
  }
}
