// One build: runs the phases (compiler/phases/) in order, stops between them on errors, owns the
// pwsh process that 4-emit's PowerShell check uses (started early, stopped at the end), merges the
// type check's diagnostics with ours and records timings. Orchestration only: every check is a phase's.
import { createContext, type CompileContext, type PersistentCache, type TimingStep } from "../phases/context.js";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { diag, messages } from "../diagnostics/messages.js";
import { internalError } from "../diagnostics/internal.js";
import { typeErrorsCoveredBy } from "../diagnostics/type-duplicates.js";
import { redactSecrets } from "../diagnostics/redact.js";
import { resolveOptions, type CompileOptions } from "../phases/options.js";
import { load } from "../phases/1-load/index.js";
import { check } from "../phases/2-check/index.js";
import type * as ir from "../phases/3-lower/ir.js";
import { lower } from "../phases/3-lower/index.js";
import { emit, emitInTurns, type EmittedFile } from "../phases/4-emit/index.js";
import { verify } from "../phases/4-emit/verify.js";
import { checkFragments, checkGeneratedFiles, GeneratedFilesCheck, type PwshParsing } from "../phases/4-emit/verify-powershell.js";
import type { BuildCache } from "./incremental.js";
import { DiskCache } from "./cache.js";
import { keepTypescriptCode, useTypescriptCodeCache } from "../util/typescript.js";
import { findPwsh, startFragmentParser, type FragmentParser } from "../powershell/pwsh.js";
import { startTypecheck } from "../phases/1-load/typecheck.js";

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
  /** The files a type check of this build starts from (repo-relative). */
  readonly roots?: readonly string[];
  /** Milliseconds per step that ran, in the order they ran (the steps: TIMING_STEPS in context.ts). */
  readonly timings: Readonly<Partial<Record<TimingStep, number>>>;
}

/** What a caller of compile() (the CLI) does during a build. */
export interface CompileHooks {
  /**
   * The files are emitted and verified, and the build so far has no error: only PowerShell's
   * findings (which may come later) can fail it now. `out`: the output folder of
   * fleetform.config.ts (repo-relative); `sources`: the sources read (repo-relative), so far.
   */
  emitted?(files: readonly EmittedFile[], out: string | undefined, sources: ReadonlyMap<string, string>): void;
}

/** Errors about a change's safety (a disruptive set without a safe guard, a reboot): the fragments are still PowerShell's to check. */
const SAFETY_CODES: ReadonlySet<string> = new Set([messages.DisruptiveWithoutSafe.code, messages.ScriptDisruptiveWithoutSafe.code, messages.RestartComputer.code]);

function onlySafetyErrors(diagnostics: DiagnosticBag): boolean {
  return diagnostics.sorted().every((d) => d.severity !== "error" || SAFETY_CODES.has(d.code));
}

/**
 * What a type error in the same file makes happen while the file is evaluated or a fragment's
 * callback runs (`ps` used without its import throws there): the type error is reported instead.
 */
const TYPE_ERROR_CONSEQUENCES: ReadonlySet<string> = new Set([messages.EvaluationFailed.code, messages.SourceSyntax.code, messages.FragmentThrew.code]);

/**
 * What a value left undefined by a type error in the same file makes happen (a misspelt property
 * destructured in a callback, `({ usrName }) => ps\`...${usrName}\``): interpolated, FF3001; passed
 * as a function's argument, FF3007's "is required". The type error is reported instead.
 */
const undefinedByTypeError = (d: Diagnostic): boolean =>
  (d.code === messages.BadInterpolation.code && d.message.startsWith("cannot interpolate undefined ")) || (d.code === messages.ArgumentInvalid.code && / is required$/.test(d.message));

/** tsc's "excessive stack depth" and "type instantiation is excessively deep". */
const TSC_TOO_DEEP = new Set(["TS2321", "TS2589"]);

/**
 * The pipeline: load → check → lower → emit. Phases collect diagnostics; we stop between them.
 * `cache`: what the last build of a watch session left; `disk`: the persistent cache (the type
 * check, transpiled sources and PowerShell's findings are reused from it by content).
 */
export async function compile(options: CompileOptions, cache?: BuildCache, disk?: PersistentCache, hooks?: CompileHooks): Promise<CompileResult> {
  cache?.nextBuild();
  const ctx = createContext(resolveOptions(options), cache, disk);
  useTypescriptCodeCache(disk?.cache);
  let out: string | undefined;
  let roots: readonly string[] | undefined;
  let parser: FragmentParser | undefined;
  // (what a build in a new process can reuse, kept once the build is done: Loaded.keep)
  let keep: (() => void) | undefined;
  try {
    const loadStarted = performance.now();
    const loaded = await load(ctx);
    keep = loaded?.keep;
    ctx.timings.set("load", performance.now() - loadStarted);
    if (!loaded) return stopped(ctx);
    // pwsh starts now, so that its start-up overlaps checking, lowering and emitting (started
    // earlier, it took CPU from loading, which shares the machine with the type check).
    const pwsh = ctx.options.pwshCheck ? findPwsh(ctx.options.toolsRoot) : undefined;
    // (the compiled check is kept in the build's cache, else in the default one, unless --no-cache)
    const kept = ctx.disk ? ctx.disk.cache : options.noCache ? undefined : DiskCache.open();
    parser = pwsh ? startFragmentParser(pwsh, { keep: true, ...(kept ? { cache: kept } : {}) }) : undefined;
    const parsing: PwshParsing = { command: pwsh?.command, parser: () => parser };
    out = loaded.config.out;
    roots = loaded.roots;
    const waited = performance.now();
    const typecheck = await loaded.typecheck;
    ctx.timings.set("typecheck (wait)", performance.now() - waited);
    for (const [file, text] of typecheck.sources) if (!ctx.sources.has(file)) ctx.sources.set(file, text);
    // The type check's errors do not stop fleetform's own checks: they run on what loaded and are
    // reported with them, in one list (one mistake both see is reported once, by us). Only a
    // program that did not load completely stops here.
    // A file nested too deeply is reported once (FF1023), not again as tsc giving up on it.
    const tooDeep = new Set(ctx.diagnostics.sorted().filter((d) => d.code === messages.NestingTooDeep.code).map((d) => d.span?.file));
    const typeErrors = typecheck.diagnostics.filter((d) => d.code.startsWith("TS") && !(TSC_TOO_DEEP.has(d.code) && tooDeep.has(d.span?.file)));
    for (const d of typecheck.diagnostics) if (!d.code.startsWith("TS")) ctx.diagnostics.add(d);
    if (ctx.diagnostics.hasErrors() || !loaded.complete) return stopped(ctx, out, typeErrors);
    const checked = ctx.time("check", () => check(ctx, loaded));
    if (ctx.diagnostics.hasErrors()) {
      // PowerShell's findings still come with ours (a 7-only operator is a mistake of its own):
      // the fragments are lowered aside, and what lowering says of values we rejected is dropped.
      if (ctx.options.pwshCheck && !ctx.cache) {
        const aside = { ...ctx, diagnostics: new DiagnosticBag() };
        let program: ir.Program | undefined;
        try {
          program = lower(aside, checked);
        } catch {
          program = undefined;
        }
        if (program && onlySafetyErrors(aside.diagnostics)) {
          await checkFragments(ctx, program, parsing);
        }
      }
      return finish(ctx, out, undefined, [], undefined, typeErrors);
    }
    const typeFailed = typeErrors.some((d) => d.severity === "error");
    let program: ir.Program;
    try {
      program = ctx.time("lower", () => lower(ctx, checked));
    } catch (e) {
      // Values of the wrong type that our checks let through: the type errors say what is wrong.
      if (typeFailed) return finish(ctx, out, undefined, [], undefined, typeErrors);
      throw e;
    }
    // PowerShell parses every fragment in one pwsh process while we emit; its findings are
    // reported even when lowering found other problems, so one build shows them all.
    // (Not after other lowering errors: a fragment missing a bad value would only add noise.)
    const safetyOnly = onlySafetyErrors(ctx.diagnostics);
    const lowered = !ctx.diagnostics.hasErrors() && !typeFailed;
    // `check` emits too (in memory), so that PowerShell parses every generated file in both.
    const parseFiles = ctx.options.pwshCheck && lowered && !!parser;
    const fragmentsChecked = ctx.options.pwshCheck && safetyOnly ? checkFragments(ctx, program, parsing, parseFiles) : Promise.resolve();
    // The generated files follow the fragments to pwsh a module at a time, as they are made (it
    // parses them while the next are made); what it finds in them counts only when the fragments
    // leave no error.
    const filesSent = parseFiles ? new GeneratedFilesCheck(ctx, parsing) : undefined;
    // (`check` makes the files too, in memory: what verify finds in them, an SSM document or the
    // template over its limit, fails a check as it fails a build)
    let files: EmittedFile[] = [];
    if (lowered) {
      files = filesSent ? await emitInTurns(ctx, program, (made) => filesSent.send(made)) : ctx.time("emit", () => emit(ctx, program));
      filesSent?.finish(files);
    }
    // verify runs while pwsh finishes (a bag of its own): what it says counts when PowerShell's
    // findings leave no error, as if it ran after them.
    let verified: DiagnosticBag | undefined;
    if (lowered && !ctx.diagnostics.hasErrors()) {
      const aside = { ...ctx, diagnostics: new DiagnosticBag() };
      ctx.time("verify", () => verify(aside, program, files));
      verified = aside.diagnostics;
      // (the CLI writes the output aside while pwsh finishes, and commits it if the build succeeds)
      if (ctx.options.emit && !verified.hasErrors()) hooks?.emitted?.(files, out, ctx.sources);
    }
    const waitedForPwsh = performance.now();
    await fragmentsChecked;
    ctx.timings.set("pwsh fragment check (wait)", performance.now() - waitedForPwsh);
    if (parseFiles && !ctx.diagnostics.hasErrors()) {
      const started = performance.now();
      await checkGeneratedFiles(ctx, files, parsing, filesSent);
      ctx.timings.set("pwsh file check", performance.now() - started);
    }
    if (ctx.diagnostics.hasErrors() || typeFailed) return finish(ctx, out, program, [], roots, typeErrors);
    if (!ctx.options.emit) {
      for (const d of verified?.sorted() ?? []) ctx.diagnostics.add(d);
      return finish(ctx, out, program, [], roots, typeErrors);
    }
    for (const d of typeErrors) ctx.diagnostics.add(d);
    for (const d of verified?.sorted() ?? []) ctx.diagnostics.add(d);
    return finish(ctx, out, program, files, roots);
  } catch (e) {
    // Only compiler bugs (and a broken installation) get here: user errors are diagnostics.
    // Except the stack running out, in a walk over something the author nested deeper than the
    // checks for it catch (MAX_NESTING).
    if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
      ctx.diagnostics.add(diag("NestingTooDeep", { what: "a value, fragment or expression of the config repo", limit: "deeper than the compiler can follow", where: "" }));
      return finish(ctx, out);
    }
    ctx.diagnostics.add(internalError(e));
    return finish(ctx, out);
  } finally {
    parser?.dispose();
    keep?.();
    keepTypescriptCode();
  }
}

/**
 * What `fleetform build` checks besides fleetform's own checks, for a watch rebuild that has been
 * written already: the type check (native tsc) and PowerShell's parse of the fragments not parsed before.
 * `signal`: a newer rebuild makes this check's findings stale; aborting stops its child processes
 * and its work here at once (the promise then resolves with whatever it had, for nobody to report).
 * `onPath`: findPwsh's look-up of pwsh on PATH (a session's kept answer).
 */
export async function checkLater(root: string, result: CompileResult, cache: BuildCache, signal?: AbortSignal, onPath?: () => string | undefined): Promise<CompileResult> {
  const ctx = createContext(resolveOptions({ root }), cache);
  for (const [file, text] of result.sources) ctx.sources.set(file, text);
  if (signal?.aborted) return finish(ctx, result.out, result.program, [], result.roots);
  const pwsh = findPwsh(root, onPath);
  let parser: FragmentParser | undefined;
  const typecheck = startTypecheck(ctx.options.root, result.roots ?? [], { background: true, ...(signal ? { signal } : {}) });
  const stop = (): void => parser?.dispose();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    // (the fs event of an edit made meanwhile is handled here, and aborts this check before its work in this process)
    await new Promise((next) => setImmediate(next));
    if (result.program && !signal?.aborted) {
      // (a watch session has no persistent cache, but the compiled fragment check is kept in the default one)
      const parsing: PwshParsing = { command: pwsh?.command, parser: () => (signal?.aborted ? undefined : (parser ??= pwsh ? startFragmentParser(pwsh, { background: true, cache: DiskCache.open() }) : undefined)) };
      await checkFragments(ctx, result.program, parsing, result.files.length > 0);
      await new Promise((next) => setImmediate(next));
      if (result.files.length > 0 && !ctx.diagnostics.hasErrors() && !signal?.aborted) await checkGeneratedFiles(ctx, result.files, parsing);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    parser?.dispose();
  }
  const checked = await typecheck;
  for (const [file, text] of checked.sources) if (!ctx.sources.has(file)) ctx.sources.set(file, text);
  for (const d of checked.diagnostics) ctx.diagnostics.add(d);
  return finish(ctx, result.out, result.program, [], result.roots);
}

function finish(ctx: CompileContext, out?: string, program?: ir.Program, files: readonly EmittedFile[] = [], roots?: readonly string[], typeErrors: readonly Diagnostic[] = []): CompileResult {
  addTypeErrors(ctx, typeErrors);
  const ok = !ctx.diagnostics.hasErrors();
  const { diagnostics, sources } = redactSecrets(ctx.diagnostics.sorted(), ctx.sources);
  return {
    ok,
    diagnostics,
    files: ok ? files : [],
    ...(program ? { program } : {}),
    ...(out !== undefined ? { out } : {}),
    ...(roots ? { roots } : {}),
    sources,
    timings: Object.fromEntries(ctx.timings),
  };
}

/**
 * finish() for a build that stops before its checks because the program did not load: never a
 * success, even if the diagnostic that says why were lost (a success with no files would empty the
 * output folder).
 */
function stopped(ctx: CompileContext, out?: string, typeErrors: readonly Diagnostic[] = []): CompileResult {
  addTypeErrors(ctx, typeErrors);
  if (!ctx.diagnostics.hasErrors()) ctx.diagnostics.add(internalError(new Error("the program did not load, and no diagnostic says why")));
  return finish(ctx, out);
}

/**
 * The type check's diagnostics, less those that say what one of ours says at the same place; and
 * a file that threw while evaluated (or whose fragment's callback threw) because of a type error
 * gets the type error only.
 */
function addTypeErrors(ctx: CompileContext, typeErrors: readonly Diagnostic[]): void {
  if (typeErrors.length === 0) return;
  const failing = new Set(typeErrors.filter((d) => d.severity === "error" && d.span).map((d) => d.span!.file));
  ctx.diagnostics.remove((d) => (TYPE_ERROR_CONSEQUENCES.has(d.code) || undefinedByTypeError(d)) && d.span !== undefined && failing.has(d.span.file));
  // (what covers a type error is what is reported: not the evaluation error removed for it, or a
  // name used without its import would be reported by neither)
  const covered = typeErrorsCoveredBy(typeErrors, ctx.diagnostics.sorted(), (file) => ctx.sources.get(file));
  for (const d of typeErrors) if (!covered.has(d)) ctx.diagnostics.add(d);
}
