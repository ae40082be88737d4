// What a watch rebuild evaluates again: the files whose text changed (or that are gone, or failed
// last time) with every file that required one of them, directly or not; and, once the build
// knows its roots, the files no longer required from them (an import was removed).
import { readFileSync } from "node:fs";
import { stampOf, unchangedSince, type SourceText } from "./sources.js";

/**
 * The sources whose text on disk is not the text read (or that are gone). A file whose size, times
 * and inode are those it had when read is not read again (see unchangedSince).
 */
export function changedSources(sources: ReadonlyMap<string, SourceText>): string[] {
  const changed: string[] = [];
  for (const [path, source] of sources) {
    if (source.stamp && unchangedSince(path, source.stamp)) continue;
    const stamp = stampOf(path);
    let text: string | undefined;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      text = undefined;
    }
    if (text !== source.text) changed.push(path);
    // The same text: its metadata now is what the next rebuild compares with.
    else if (stamp && source.stamp) Object.assign(source.stamp, stamp);
  }
  return changed;
}

/** The files given and every file that required one of them, directly or not. */
export function dependentsOf(requires: ReadonlyMap<string, ReadonlySet<string>>, files: Iterable<string>): Set<string> {
  const importers = requiredBy(requires);
  return closure(files, (file) => importers.get(file) ?? []);
}

/** Each required file → the files that required it. */
export function requiredBy(requires: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const [from, targets] of requires) {
    for (const target of targets) {
      const list = importers.get(target);
      if (list) list.push(from);
      else importers.set(target, [from]);
    }
  }
  return importers;
}

/** The files given and the files each is in an import cycle with. */
export function withCycles(requires: ReadonlyMap<string, ReadonlySet<string>>, files: Iterable<string>): Set<string> {
  const out = new Set(files);
  if (out.size === 0) return out;
  const importers = requiredBy(requires);
  for (const file of [...out]) for (const f of cycleOf(requires, importers, file)) out.add(f);
  return out;
}

/** Whether `a` and `b` are in an import cycle: each requires the other, directly or not. */
export function inCycle(requires: ReadonlyMap<string, ReadonlySet<string>>, importers: ReadonlyMap<string, readonly string[]>, a: string, b: string): boolean {
  return a !== b && cycleOf(requires, importers, a).has(b);
}

/** The files `file` is in an import cycle with, itself included: what it requires, directly or not, that requires it. */
function cycleOf(requires: ReadonlyMap<string, ReadonlySet<string>>, importers: ReadonlyMap<string, readonly string[]>, file: string): Set<string> {
  const reached = closure([file], (f) => requires.get(f) ?? []);
  return new Set([...closure([file], (f) => importers.get(f) ?? [])].filter((f) => reached.has(f)));
}

/** The files of `known` that `roots` no longer require, directly or not. */
export function unreached(requires: ReadonlyMap<string, ReadonlySet<string>>, known: Iterable<string>, roots: readonly string[]): Set<string> {
  const reached = closure(roots, (file) => requires.get(file) ?? []);
  return new Set([...known].filter((f) => !reached.has(f)));
}

/**
 * The starting files and every file reached from them by `next`, in the order evaluation starts
 * them: depth first, each file's `next` in order (a file's requires in the order it required them).
 */
export function preorder(starts: readonly string[], next: (file: string) => Iterable<string>): string[] {
  const out = new Set<string>();
  const stack = [...starts].reverse();
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    stack.push(...[...next(file)].reverse());
  }
  return [...out];
}

/** The starting files and every file reached from them by `next`. */
export function closure(starts: Iterable<string>, next: (file: string) => Iterable<string>): Set<string> {
  const out = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const n of next(file)) queue.push(n);
  }
  return out;
}
