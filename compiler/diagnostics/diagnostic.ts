/** Where a diagnostic points. Lines and columns are 1-based; `end` is exclusive. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Span {
  /** Path relative to the config repo, with forward slashes. */
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** Where a problem is, or how to find it: a span that costs a lookup is found only when a diagnostic is made. */
export type Where = Span | undefined | (() => Span | undefined);

/** The span a Where names (found now, when it is a function). */
export function located(where: Where): Span | undefined {
  return typeof where === "function" ? where() : where;
}

/** "info": something the build could not check, said so instead of passing it silently. */
export type Severity = "error" | "warning" | "info";

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  /** "FF2001" for ours; "TS2322" passed through from TypeScript. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for problems that have no place in a file (options, missing config). */
  readonly span?: Span;
  readonly notes?: readonly Note[];
}

function compareSpans(a: Span | undefined, b: Span | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start.line - b.start.line || a.start.column - b.start.column;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareSpans(a.span, b.span) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Collects diagnostics; phases add and keep going, compile() stops between phases. */
export class DiagnosticBag {
  readonly #items: Diagnostic[] = [];
  readonly #seen = new Set<string>();

  readonly #recorders: Diagnostic[][] = [];

  add(d: Diagnostic): void {
    for (const r of this.#recorders) r.push(d);
    // The same problem reached twice (e.g. a fragment shared by two resources) is reported once.
    const key = JSON.stringify([d.code, d.message, d.span]);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#items.push(d);
  }

  /** Takes back the diagnostics `drop` picks (one mistake reported twice, by the type check and by us). */
  remove(drop: (d: Diagnostic) => boolean): void {
    for (let i = this.#items.length - 1; i >= 0; i--) {
      if (drop(this.#items[i]!)) this.#items.splice(i, 1);
    }
  }

  hasErrors(): boolean {
    return this.#items.some((d) => d.severity === "error");
  }

  get count(): number {
    return this.#items.length;
  }

  /**
   * Runs `run` and returns, with its value, every diagnostic it added, those the bag already held
   * included (to add them again when a kept result is reused).
   */
  record<T>(run: () => T): { value: T; diagnostics: Diagnostic[] } {
    const recorded: Diagnostic[] = [];
    this.#recorders.push(recorded);
    try {
      return { value: run(), diagnostics: recorded };
    } finally {
      this.#recorders.pop();
    }
  }

  sorted(): Diagnostic[] {
    return [...this.#items].sort(compareDiagnostics);
  }
}
