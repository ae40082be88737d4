import { createContext, type CompileContext } from "./context.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { diag } from "./diagnostics/messages.js";
import { resolveOptions, type CompileOptions } from "./options.js";
import { load } from "./phases/1-load/index.js";
import { check } from "./phases/2-check/index.js";
import type * as ir from "./phases/3-lower/ir.js";
import { lower } from "./phases/3-lower/index.js";
import { emit, type EmittedFile } from "./phases/4-emit/index.js";
import { verify } from "./phases/4-emit/verify.js";

export interface CompileResult {
  /** True when there is no error diagnostic. */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The emitted files (empty when there are errors or when emit is off). */
  readonly files: readonly EmittedFile[];
  readonly program?: ir.Program;
  /** The output folder from fleetform.config.ts, repo-relative. */
  readonly out?: string;
  /** Texts of the sources diagnostics point into, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** Milliseconds per step (load, typecheck (wait), check, check: module graph, lower, emit, verify). */
  readonly timings: Readonly<Record<string, number>>;
}

/** The pipeline: load → check → lower → emit. Phases collect diagnostics; we stop between them. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const ctx = createContext(resolveOptions(options));
  let out: string | undefined;
  try {
    const loaded = ctx.time("load", () => load(ctx));
    if (!loaded) return finish(ctx);
    out = loaded.config.out;
    const waited = performance.now();
    const typecheck = await loaded.typecheck;
    ctx.timings.set("typecheck (wait)", performance.now() - waited);
    for (const [file, text] of typecheck.sources) if (!ctx.sources.has(file)) ctx.sources.set(file, text);
    for (const d of typecheck.diagnostics) ctx.diagnostics.add(d);
    if (ctx.diagnostics.hasErrors()) return finish(ctx, out);
    const checked = ctx.time("check", () => check(ctx, loaded));
    if (ctx.diagnostics.hasErrors()) return finish(ctx, out);
    const program = ctx.time("lower", () => lower(ctx, checked));
    if (ctx.diagnostics.hasErrors()) return finish(ctx, out, program);
    if (!ctx.options.emit) return finish(ctx, out, program);
    const files = ctx.time("emit", () => emit(program));
    ctx.time("verify", () => verify(ctx, program, files));
    return finish(ctx, out, program, files);
  } catch (e) {
    // Only compiler bugs get here: user errors are diagnostics.
    const error = e instanceof Error ? e : new Error(String(e));
    ctx.diagnostics.add(diag("InternalError", { message: `${error.message}\n${error.stack ?? ""}` }));
    return finish(ctx, out);
  }
}

function finish(ctx: CompileContext, out?: string, program?: ir.Program, files: readonly EmittedFile[] = []): CompileResult {
  const ok = !ctx.diagnostics.hasErrors();
  return {
    ok,
    diagnostics: ctx.diagnostics.sorted(),
    files: ok ? files : [],
    ...(program ? { program } : {}),
    ...(out !== undefined ? { out } : {}),
    sources: ctx.sources,
    timings: Object.fromEntries(ctx.timings),
  };
}
