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
  /** The file's metadata when it was read (a watch rebuild reads again only a file whose metadata changed). */
  readonly stamp?: Stamp;
}

/**
 * A file's size, times and inode as stat() saw them before it was read, and when that was. Updated
 * in place when the file is read again and its text is the same.
 */
export interface Stamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Date.now() before the file was read. */
  readAt: number;
}

/**
 * File times count in ticks of a file system's clock (up to 2 s on some): a file changed within a
 * tick of being read may have the same times and size after a change. Its metadata is trusted only
 * when both times are older than this before it was read.
 */
const TIMES_TRUSTED_AFTER_MS = 2000;

/** The file's stamp now (undefined when it cannot be read). */
export function stampOf(path: string): Stamp | undefined {
  const readAt = Date.now();
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, readAt };
  } catch {
    return undefined;
  }
}

/** Whether the file at `path` still has the text read with `stamp`, by its metadata alone; false when only its text can say. */
export function unchangedSince(path: string, stamp: Stamp): boolean {
  if (Math.max(stamp.mtimeMs, stamp.ctimeMs) > stamp.readAt - TIMES_TRUSTED_AFTER_MS) return false;
  const now = stampOf(path);
  return now !== undefined && now.size === stamp.size && now.mtimeMs === stamp.mtimeMs && now.ctimeMs === stamp.ctimeMs && now.ino === stamp.ino;
}

/** The author's sources read by this build (and kept by a watch session), by absolute path. */
export type Sources = Map<string, SourceText>;

export const TS_EXTENSIONS = [".ts", ".mts", ".cts"];

/** Reads a source file and records its text for code frames (ctx.sources). */
export function readSource(ctx: CompileContext, path: string): Omit<SourceText, "map"> {
  const stamp = stampOf(path);
  const text = readFileSync(path, "utf8");
  const rel = ctx.rel(path);
  ctx.sources.set(rel, text);
  return { path, rel, text, lines: new LineIndex(text), ...(stamp ? { stamp } : {}) };
}

/** The files a relative import may mean, in the order they are tried. */
function candidatesOf(base: string): string[] {
  const candidates = [base, ...TS_EXTENSIONS.map((e) => base + e), ...TS_EXTENSIONS.map((e) => resolve(base, "index" + e))];
  // `./x.js` in NodeNext style means `./x.ts`.
  const js = /\.(m|c)?js$/.exec(base);
  if (js) candidates.unshift(base.slice(0, -js[0].length) + "." + (js[1] ?? "") + "ts");
  return candidates;
}

/**
 * Whether `target` is the file an import of `base` means before any other (resolveSource's answer
 * then changes only when that file is removed or renamed: no other file's coming can change it).
 */
export function firstCandidate(base: string, target: string): boolean {
  return candidatesOf(base)[0] === target;
}

/** Resolves a relative import the way TypeScript's bundler/NodeNext resolution would for .ts sources. */
export function resolveSource(base: string): string | undefined {
  for (const c of candidatesOf(base)) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}
