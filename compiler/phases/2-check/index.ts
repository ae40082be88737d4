import type { CompileContext } from "../../context.js";
import type { Loaded } from "../1-load/index.js";
import { collectDefinitions, collectModules, type Definitions } from "./definitions.js";
import { checkModuleGraph, type ModuleGraph } from "./module-graph.js";
import { checkConfigurations, type CheckedConfiguration } from "./references.js";
import { checkStack } from "./stack.js";

export interface Checked extends Definitions {
  readonly loaded: Loaded;
  readonly graph: ModuleGraph;
  readonly configurations: readonly CheckedConfiguration[];
}

/** Runs every check and reports all problems; never throws for user errors. */
export function check(ctx: CompileContext, loaded: Loaded): Checked {
  const modules = ctx.time("check: modules", () => collectModules(ctx, loaded));
  const graph = ctx.time("check: module graph", () => checkModuleGraph(ctx, loaded, modules));
  const definitions = ctx.time("check: definitions", () => collectDefinitions(ctx, loaded, modules, graph.ownerOf));
  const configurations = ctx.time("check: configurations", () => checkConfigurations(ctx, loaded, definitions.modules));
  ctx.time("check: stack", () => checkStack(ctx, loaded));
  return { ...definitions, loaded, graph, configurations };
}
