// `fleetform graph`: the module graph of a config repo, drawn. It loads and checks the sources
// (without the type check) and draws what it found, also when the checks failed: a layer
// violation or an import cycle is drawn in the error colour with its code, so the picture
// explains a failed `check`. Only a repo that does not load at all gets no picture.
import { createContext } from "../phases/context.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { resolveOptions } from "../phases/options.js";
import { load } from "../phases/1-load/index.js";
import { check } from "../phases/2-check/index.js";
import { graphFromChecked, type GraphModel } from "./model.js";
import { toDot, toMermaid, toSvg } from "./render.js";

export const GRAPH_FORMATS = ["mermaid", "dot", "svg", "json"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphResult {
  /** Undefined when the repo did not load (the diagnostics say why). */
  readonly model?: GraphModel;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

export async function moduleGraph(root: string, evalTimeout?: number): Promise<GraphResult> {
  const ctx = createContext(resolveOptions({ root, typecheck: false, emit: false, pwshCheck: false, ...(evalTimeout !== undefined ? { evalTimeout } : {}) }));
  const loaded = await load(ctx);
  if (!loaded || !loaded.complete) return { diagnostics: ctx.diagnostics.sorted(), sources: ctx.sources };
  await loaded.typecheck;
  const checked = check(ctx, loaded);
  return { model: graphFromChecked(checked), diagnostics: ctx.diagnostics.sorted(), sources: ctx.sources };
}

export async function renderGraph(model: GraphModel, format: GraphFormat): Promise<string> {
  switch (format) {
    case "mermaid":
      return toMermaid(model);
    case "dot":
      return toDot(model);
    case "svg":
      return toSvg(model);
    case "json":
      return JSON.stringify(model, null, 2) + "\n";
  }
}
