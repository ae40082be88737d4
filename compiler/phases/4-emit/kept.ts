// Results of 4-emit kept in the persistent cache (ctx.disk: compiler/driver/cache.ts) by the digest
// of exactly what they are computed from, for the next build in a new process: a module's files as a
// function of its IR, a configuration's as a function of its IR and of what it uses of the modules
// it requires, the templates as a function of what they embed; and verify's findings about a file
// as a function of its bytes. Each entry holds the files' paths, sources, sha256 (which the manifest
// lists) and sizes, their contents in a `<kind>-bodies` entry under the same key (read when first
// asked for), and the diagnostics made while computing them, added again when reused, so that
// a build that reuses them reports and writes the same as one that computes everything
// (--no-cache). The cache folder is fleetform's fingerprint: its emitters are part of every key.
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { keyOf } from "../../util/hash.js";
import type { CompileContext } from "../context.js";
import { fileHash, fileSize, knowHash, knowSize, type EmittedFile } from "./files.js";
import { loweringKey } from "../3-lower/kept.js";
import type * as ir from "../3-lower/ir.js";

/** One file as kept: path, source, sha256, whether it is bytes, size in bytes (its content is kept apart: KeptBodies). */
type KeptFile = [string, string, string, boolean, number];

interface KeptFiles {
  readonly files: KeptFile[];
  readonly diagnostics: Diagnostic[];
}

/** The contents of an entry's files, in its order: text, or base64 of the bytes. */
type KeptBodies = string[];

/** The kind the contents of `kind`'s entries are kept under (same key). */
const bodiesOf = (kind: string): string => `${kind}-bodies`;

/**
 * `compute()`'s files, kept in the persistent cache under `kind` and the digest of `parts` (every
 * input they are computed from, as text); without a persistent cache (--no-cache, a watch session)
 * simply `compute()`. `parts` is called only when there is a cache.
 *
 * A kept entry is read in two parts: the list of files (path, source, sha256, size) at once, their
 * contents only when a file's content is first asked for (a build after a small change writes only
 * the files that changed: it never reads the others'). Contents gone meanwhile (pruned by another
 * build) are computed again.
 */
export function keptFiles(ctx: CompileContext, kind: string, parts: () => readonly string[], compute: () => EmittedFile[]): EmittedFile[] {
  const disk = ctx.disk?.cache;
  if (!disk) return compute();
  const key = keyOf(kind, ...parts());
  const kept = readFiles(disk.get<KeptFiles>(kind, key), () => disk.get<unknown>(bodiesOf(kind), key), () => {
    // (contents pruned meanwhile: made again, and kept again)
    const files = compute();
    disk.put(bodiesOf(kind), key, bodiesOfFiles(files));
    return files;
  });
  if (kept) {
    for (const d of kept.diagnostics) ctx.diagnostics.add(d);
    return kept.files;
  }
  const { value, diagnostics } = ctx.diagnostics.record(compute);
  // (the contents first: an entry found has its contents, but for a prune in between)
  disk.put(bodiesOf(kind), key, bodiesOfFiles(value));
  disk.put(kind, key, {
    files: value.map((f): KeptFile => [f.path, f.source, fileHash(f), typeof f.content !== "string", fileSize(f)]),
    diagnostics,
  } satisfies KeptFiles);
  return value;
}

/**
 * The files of an entry, or undefined when it is not of the shape kept (a miss). Their contents are
 * read with `bodies()` when one is first asked for; when those are missing or not of the entry's
 * shape, `compute()` makes them again (its files by path: the entry's key is what they are computed from).
 */
function readFiles(kept: KeptFiles | undefined, bodies: () => unknown, compute: () => EmittedFile[]): { files: EmittedFile[]; diagnostics: Diagnostic[] } | undefined {
  if (!kept || !Array.isArray(kept.files) || !Array.isArray(kept.diagnostics)) return undefined;
  const list = kept.files;
  for (const f of list) {
    if (!Array.isArray(f) || f.length !== 5 || typeof f[0] !== "string" || typeof f[1] !== "string" || typeof f[2] !== "string" || typeof f[3] !== "boolean" || typeof f[4] !== "number") return undefined;
  }
  let contents: (string | Uint8Array)[] | undefined;
  const contentOf = (i: number): string | Uint8Array => {
    contents ??= decodeBodies(bodies(), list) ?? recompute(compute(), list);
    return contents[i]!;
  };
  const files = list.map(([path, source, sha256, , size], i): EmittedFile => {
    const file: EmittedFile = {
      path,
      source,
      get content() {
        return contentOf(i);
      },
    };
    knowHash(file, sha256);
    knowSize(file, size);
    return file;
  });
  return { files, diagnostics: kept.diagnostics };
}

function bodiesOfFiles(files: readonly EmittedFile[]): KeptBodies {
  return files.map((f) => (typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("base64")));
}

function decodeBodies(value: unknown, list: readonly KeptFile[]): (string | Uint8Array)[] | undefined {
  if (!Array.isArray(value) || value.length !== list.length || !value.every((b) => typeof b === "string")) return undefined;
  return (value as KeptBodies).map((b, i) => (list[i]![3] ? new Uint8Array(Buffer.from(b, "base64")) : b));
}

/** The contents of `list`'s files from a computation made again (the same files: it is a function of the key). */
function recompute(files: readonly EmittedFile[], list: readonly KeptFile[]): (string | Uint8Array)[] {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return list.map(([path]) => {
    const content = byPath.get(path);
    if (content === undefined) throw new Error(`kept file ${path} is no longer computed from its key`);
    return content;
  });
}

/** How an entry of KeptFindings is kept. */
export interface KeptFindingsOptions {
  /** The entry's key within its kind (default: one entry per kind). */
  readonly slot?: string;
  /** The most results it keeps (default FINDINGS_KEPT). */
  readonly max?: number;
  /**
   * Whether each build asks for every key it has (default true): save() then keeps at most as many
   * older results as this build's. When not (a build asks only for what it cannot know otherwise),
   * older results are kept up to `max`.
   */
  readonly asksAll?: boolean;
}

/**
 * Results kept in the persistent cache in one entry (one file to read), by a key the caller makes of
 * exactly what a result is computed from (a file's sha256, which the manifest needs anyway, and what
 * else it is checked against; a module's lowering key; a text's sha256): `compute()` runs only for
 * keys not seen before. Without a persistent cache, `compute()`. Saved with the results this build
 * used first, then older ones (see KeptFindingsOptions).
 */
export class KeptFindings<T> {
  readonly #ctx: CompileContext;
  readonly #kind: string;
  readonly #slot: string;
  readonly #max: number;
  readonly #asksAll: boolean;
  #kept: Map<string, T> | undefined;
  readonly #used = new Map<string, T>();
  #added = false;

  constructor(ctx: CompileContext, kind: string, { slot = SLOT, max = FINDINGS_KEPT, asksAll = true }: KeptFindingsOptions = {}) {
    this.#ctx = ctx;
    this.#kind = kind;
    this.#slot = slot;
    this.#max = max;
    this.#asksAll = asksAll;
  }

  /** The findings kept under `key` (marked as used by this build), or undefined. */
  peek(key: string): T | undefined {
    const disk = this.#ctx.disk?.cache;
    if (!disk) return undefined;
    const all = (this.#kept ??= new Map(readPairs<T>(disk.get<unknown>(this.#kind, this.#slot))));
    if (!all.has(key)) return undefined;
    const found = all.get(key) as T;
    this.#used.set(key, found);
    return found;
  }

  /** Keeps `value` under `key` (with save()). */
  add(key: string, value: T): void {
    this.#used.set(key, value);
    this.#added = true;
  }

  /**
   * The findings kept under `key()` (when `valid` says they are of the shape kept), else
   * `compute()`'s, kept (kept findings are never undefined: they are JSON).
   */
  of(key: () => string, compute: () => T, valid: (found: T) => boolean = () => true): T {
    if (!this.#ctx.disk) return compute();
    const k = key();
    const found = this.peek(k);
    if (found !== undefined && valid(found)) return found;
    const value = compute();
    this.add(k, value);
    return value;
  }

  /** Keeps this build's results first, then older ones: up to `max`, or with `asksAll` at most as many older ones as this build's (KeptFindingsOptions). */
  save(): void {
    const disk = this.#ctx.disk?.cache;
    if (!disk || !this.#added) return;
    // (every build reads the entry whole)
    disk.put(this.#kind, this.#slot, recentFirst(this.#used, this.#kept ?? [], this.#asksAll ? Math.min(this.#max, 2 * this.#used.size) : this.#max));
  }
}

/** An entry's pairs as saved: this build's (`used`) first, then older ones not among them, up to `max` in all. */
function recentFirst<T>(used: ReadonlyMap<string, T>, older: Iterable<readonly [string, T]>, max: number): [string, T][] {
  const next = new Map(used);
  for (const [key, value] of older) {
    if (next.size >= max) break;
    if (!next.has(key)) next.set(key, value);
  }
  return [...next];
}

/** How many files' findings an entry keeps (the current build's first). */
const FINDINGS_KEPT = 20_000;
const SLOT = keyOf("findings");

/** The pairs of an entry kept as [key, value][]; anything else is a miss (none). */
function readPairs<T>(value: unknown): [string, T][] {
  return Array.isArray(value) ? value.filter((p): p is [string, T] => Array.isArray(p) && p.length === 2 && typeof p[0] === "string") : [];
}

/** What the check of a module's fragments reported (see keptModuleChecks). */
interface ModuleCheck {
  readonly early: readonly Diagnostic[];
  readonly late: readonly Diagnostic[];
}

/**
 * What PowerShell's check of each module's fragments reported (4-emit/verify-powershell.ts), kept in
 * the persistent cache under: the key the module was lowered under (its IR, and the texts of the
 * sources its fragments point into, are a function of it: 3-lower/kept.ts's loweringKey), what its
 * fragments may call (every module's requires, functions and externs, by name and parameters) and
 * the pwsh that parsed them. `kept`: the diagnostics found, by module: `early`, those reported
 * before PowerShell parses (a text that cannot be written), `late`, once PowerShell's findings are
 * known (without them nothing is reported about any fragment); `keys`: the other modules that can
 * be kept, with save() once their fragments are checked. Undefined without a persistent cache.
 */
export function keptModuleChecks(
  ctx: CompileContext,
  program: ir.Program,
  pwsh: readonly string[] | undefined,
): { readonly kept: ReadonlyMap<string, ModuleCheck>; readonly keys: ReadonlyMap<string, string>; save(early: ReadonlyMap<string, readonly Diagnostic[]>, late: ReadonlyMap<string, readonly Diagnostic[]>): void } | undefined {
  if (!ctx.disk) return undefined;
  const findings = new KeptFindings<ModuleCheck>(ctx, "pwsh-module-check");
  let scope: string | undefined;
  const scopeKey = (): string =>
    (scope ??= keyOf(
      "scope",
      JSON.stringify(program.modules.map((m) => [m.name, m.requires.map((r) => r.name), m.functions.map((f) => [f.name, f.params.map((p) => p.name)]), m.externs.map((e) => [e.name, e.module, e.params.map((p) => p.name), e.switches])])),
    ));
  const kept = new Map<string, ModuleCheck>();
  const keys = new Map<string, string>();
  for (const m of program.modules) {
    const lowered = loweringKey(m);
    if (lowered === undefined) continue;
    const key = keyOf("pwsh-check", lowered, scopeKey(), JSON.stringify(pwsh ?? null));
    const found = findings.peek(key);
    if (found && Array.isArray(found.early) && Array.isArray(found.late)) kept.set(m.name, found);
    else keys.set(m.name, key);
  }
  return {
    kept,
    keys,
    save(early, late) {
      for (const [name, key] of keys) findings.add(key, { early: [...(early.get(name) ?? [])], late: [...(late.get(name) ?? [])] });
      findings.save();
    },
  };
}
