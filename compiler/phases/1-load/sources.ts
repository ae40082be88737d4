// The author's source files as the load phase read them: the text, its line index and the source
// map of the JavaScript it was transpiled to. One map of them, by absolute path, is shared by the
// loader (which fills it), the syntax trees and the position mapping (which read it).
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { CompileContext } from "../context.js";
import type { SourceMap } from "../../util/sourcemap.js";
import { LineIndex } from "../../util/text.js";

export interface SourceText {
  readonly path: string;
  readonly rel: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly map: SourceMap;
  /** The JavaScript it was transpiled to (what stack positions refer to). */
  readonly js?: LineIndex;
}

/** The author's sources read by this build (and kept by a watch session), by absolute path. */
export type Sources = Map<string, SourceText>;

export const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

/** Reads a source file and records its text for code frames (ctx.sources). */
export function readSource(ctx: CompileContext, path: string): Omit<SourceText, "map"> {
  const text = readFileSync(path, "utf8");
  const rel = ctx.rel(path);
  ctx.sources.set(rel, text);
  return { path, rel, text, lines: new LineIndex(text) };
}

/** Resolves a relative import the way TypeScript's bundler/NodeNext resolution would for .ts sources. */
export function resolveSource(base: string): string | undefined {
  const candidates = [base, ...TS_EXTENSIONS.map((e) => base + e), ...TS_EXTENSIONS.map((e) => resolve(base, "index" + e))];
  // `./x.js` in NodeNext style means `./x.ts`.
  const js = /\.(m|c)?js$/.exec(base);
  if (js) candidates.unshift(base.slice(0, -js[0].length) + "." + (js[1] ?? "") + "ts");
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}
