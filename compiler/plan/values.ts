// What diff.ts (the program's changes) and stacks.ts (the written templates' changes) share:
// a changed value and the field-by-field comparison of two printed-value maps.

/** A setting or property: `before` is absent when it was added, `after` when it was removed. Values are printed (see format.ts). */
export interface ValueChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

/** Field-by-field differences of two printed-value maps, by field name; a missing side is absent/added. */
export function diffValues(base: ReadonlyMap<string, string> | undefined, head: ReadonlyMap<string, string> | undefined): ValueChange[] {
  const b = base ?? new Map<string, string>();
  const a = head ?? new Map<string, string>();
  const out: ValueChange[] = [];
  for (const field of sortedUnion(b.keys(), a.keys())) {
    const before = b.get(field);
    const after = a.get(field);
    if (before === after) continue;
    out.push({ field, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  return out;
}

/** Code-unit order (not the locale's), so plans read the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort(compare);
}

/** What a list gained and lost, each sorted and without repeats. */
export function setDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: [...new Set(after.filter((x) => !before.includes(x)))].sort(compare), removed: [...new Set(before.filter((x) => !after.includes(x)))].sort(compare) };
}
