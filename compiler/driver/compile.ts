import { createContext, type CompileContext, type PersistentCache, type TimingStep } from "../phases/context.js";
import { keyOf } from "./cache.js";
import { sha256 } from "../util/hash.js";
import { DiagnosticBag, type Diagnostic, type Note } from "../diagnostics/diagnostic.js";
import { diag, formatMessage, messages } from "../diagnostics/messages.js";
import { internalError } from "../diagnostics/internal.js";
import { typeErrorsCoveredBy } from "../diagnostics/type-duplicates.js";
import { redactSecrets } from "../diagnostics/redact.js";
import { resolveOptions, type CompileOptions } from "../phases/options.js";
import { load } from "../phases/1-load/index.js";
import { check } from "../phases/2-check/index.js";
import type * as ir from "../phases/3-lower/ir.js";
import { lower } from "../phases/3-lower/index.js";
import { emit, type EmittedFile } from "../phases/4-emit/index.js";
import { verify } from "../phases/4-emit/verify.js";
import { collectFragments, fragmentSpan } from "../phases/4-emit/fragments.js";
import { linkCalls, type KnownCommand, type LinkScope } from "../powershell/link.js";
import type { BuildCache } from "./incremental.js";
import { splitCommandName } from "../util/verbs.js";
import { findPwsh, PWSH_NOT_FOUND, pwshMissing, PwshUnavailable, startFragmentParser, type FileFinding, type FragmentParse, type FragmentParser } from "../powershell/pwsh.js";
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

/** tsc's "excessive stack depth" and "type instantiation is excessively deep". */
const TSC_TOO_DEEP = new Set(["TS2321", "TS2589"]);

/**
 * The pipeline: load → check → lower → emit. Phases collect diagnostics; we stop between them.
 * `cache`: what the last build of a watch session left; `disk`: the persistent cache (the type
 * check, transpiled sources and PowerShell's findings are reused from it by content).
 */
export async function compile(options: CompileOptions, cache?: BuildCache, disk?: PersistentCache): Promise<CompileResult> {
  cache?.nextBuild();
  const ctx = createContext(resolveOptions(options), cache, disk);
  let out: string | undefined;
  let roots: readonly string[] | undefined;
  let parser: FragmentParser | undefined;
  try {
    const loadStarted = performance.now();
    const loaded = await load(ctx);
    ctx.timings.set("load", performance.now() - loadStarted);
    if (!loaded) return finish(ctx);
    // pwsh starts now, so that its start-up overlaps checking, lowering and emitting (started
    // earlier, it took CPU from loading, which shares the machine with the type check).
    const pwsh = ctx.options.pwshCheck ? findPwsh(ctx.options.root) : undefined;
    parser = pwsh ? startFragmentParser(pwsh) : undefined;
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
    if (ctx.diagnostics.hasErrors() || !loaded.complete) return finish(ctx, out, undefined, [], undefined, typeErrors);
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
        if (program && aside.diagnostics.sorted().every((d) => d.severity !== "error" || d.code === messages.DisruptiveWithoutSafe.code || d.code === messages.RestartComputer.code)) {
          await checkFragments(ctx, program, () => parser);
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
    const safetyOnly = ctx.diagnostics.sorted().every((d) => d.severity !== "error" || d.code === messages.DisruptiveWithoutSafe.code || d.code === messages.ScriptDisruptiveWithoutSafe.code || d.code === messages.RestartComputer.code);
    const lowered = !ctx.diagnostics.hasErrors() && !typeFailed;
    // `check` emits too (in memory), so that PowerShell parses every generated file in both.
    const parseFiles = ctx.options.pwshCheck && lowered && !!parser;
    const parsing = ctx.options.pwshCheck && safetyOnly ? checkFragments(ctx, program, () => parser, parseFiles) : Promise.resolve();
    const files = (ctx.options.emit || parseFiles) && lowered ? ctx.time("emit", () => emit(program, ctx.cache)) : [];
    const waited2 = performance.now();
    await parsing;
    ctx.timings.set("pwsh fragment check (wait)", performance.now() - waited2);
    if (parseFiles && !ctx.diagnostics.hasErrors()) {
      const started = performance.now();
      await checkGeneratedFiles(ctx, files, () => parser);
      ctx.timings.set("pwsh file check", performance.now() - started);
    }
    if (ctx.diagnostics.hasErrors() || typeFailed || !ctx.options.emit) return finish(ctx, out, program, [], roots, typeErrors);
    for (const d of typeErrors) ctx.diagnostics.add(d);
    ctx.time("verify", () => verify(ctx, program, files));
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
  }
}

/**
 * Fragment syntax and Windows PowerShell 5.1 compatibility, at the TypeScript template that wrote it,
 * and the link of every command a fragment calls (compiler/powershell/check-fragments.ps1 resolves
 * 5.1's in-box commands; the rest are resolved here against the program's functions and externs).
 * In a watch session PowerShell's findings are kept by fragment text, and only new texts are sent.
 */
async function checkFragments(ctx: CompileContext, program: ir.Program, start: () => FragmentParser | undefined, moreFollows = false): Promise<void> {
  const fragments = collectFragments(program);
  if (fragments.length === 0) return;
  const cache = ctx.cache;
  // The runtime module's own text is parsed too, for the functions (and parameters) it exports.
  const runtimeFiles = program.runtime.files.filter((f) => f.path.endsWith(".psm1"));
  const sent = [...fragments.map((f) => ({ text: f.text, file: false })), ...runtimeFiles.map((f) => ({ text: f.content, file: true }))];
  const kept = ctx.disk ? new KeptResults<Omit<FragmentParse, "id">>(ctx.disk, "pwsh-fragments", ctx.options.root) : undefined;
  const keyOfText = (t: { text: string; file: boolean }): string => sha256(`${t.file ? "file" : "fragment"}\0${t.text}`);
  const findings = new Map<string, Omit<FragmentParse, "id">>();
  // Results the persistent cache holds are findings as good as this build's.
  const unknown = (cache ? sent.filter((f) => !cache.hasText("pwsh", f.text)) : sent).filter((f) => {
    const found = kept?.get(keyOfText(f));
    if (found) findings.set(f.text, found);
    return !found;
  });
  if (unknown.length > 0) {
    const parser = start();
    if (!parser) {
      notParsed(ctx, formatMessage(messages.ToolMissing.text, pwshMissing(PWSH_NOT_FOUND)));
      return;
    }
    // Each text once (fragments shared by resources are parsed once).
    const texts = [...new Map(unknown.map((f) => [f.text, f])).values()];
    try {
      const results = await parser.parse(texts.map((t, i) => ({ id: String(i), text: t.text, ...(t.file ? { file: true } : {}) })), { more: moreFollows });
      for (const r of results) {
        const text = texts[Number(r.id)]?.text;
        if (text !== undefined) findings.set(text, r);
      }
      // check-fragments.ps1 returns findings only: a text it sent nothing back for is clean.
      if (kept) {
        for (const t of texts) {
          const { id: _, ...found } = (findings.get(t.text) ?? { id: "", errors: [], compat: [], calls: [], dynamic: [] }) as FragmentParse;
          kept.add(keyOfText(t), found);
        }
        kept.save();
      }
    } catch (e) {
      notParsed(ctx, e instanceof PwshUnavailable ? formatMessage(messages.ToolMissing.text, pwshMissing(e.message)) : (e as Error).message.split("\n")[0]!);
      return;
    }
  }
  const none: Omit<FragmentParse, "id"> = { errors: [], compat: [], calls: [], dynamic: [] };
  // check-fragments.ps1 returns findings only: a text it sent nothing back for is clean.
  const resultOf = (text: string): Omit<FragmentParse, "id"> => (cache ? cache.byText("pwsh", text, () => findings.get(text) ?? none) : (findings.get(text) ?? none));
  const runtimeFunctions = runtimeFiles.flatMap((f) => resultOf(f.content).definitions ?? []);
  const scopes = linkScopes(program, runtimeFunctions);
  for (const f of fragments) {
    const r = resultOf(f.text);
    const source = f.origin ? ctx.sources.get(f.origin.file) : undefined;
    const note = (line: number): Note[] => {
      const text = f.text.split("\n")[line - 1]?.trim();
      return text ? [{ message: `fragment line ${line}: ${text}` }] : [];
    };
    for (const e of r.errors) ctx.diagnostics.add(diag("FragmentSyntax", { owner: f.owner, message: e.message }, fragmentSpan(f, e, source), note(e.line)));
    for (const c of r.compat) {
      if (c.message === "a DSC Configuration statement") {
        ctx.diagnostics.add(diag("FragmentConfiguration", { owner: f.owner }, fragmentSpan(f, c, source), note(c.line)));
        continue;
      }
      const code = / has no parameter | is ambiguous for /.test(c.message) ? "ParameterUnknown" : / does not take '/.test(c.message) ? "ParameterValueInvalid" : "PowerShell7Only";
      if (code === "PowerShell7Only") ctx.diagnostics.add(diag("PowerShell7Only", { owner: f.owner, what: c.message }, fragmentSpan(f, c, source), note(c.line)));
      else if (code === "ParameterUnknown") ctx.diagnostics.add(diag("ParameterUnknown", { owner: f.owner, command: commandOf(c.message), message: c.message }, fragmentSpan(f, c, source), note(c.line)));
      else ctx.diagnostics.add(diag("ParameterValueInvalid", { owner: f.owner, message: c.message }, fragmentSpan(f, c, source), note(c.line)));
    }
    for (const d of r.dynamic) ctx.diagnostics.add(diag("DynamicCall", { owner: f.owner, text: d.text, operator: d.message === "Dot" ? "dot-sourced" : "called with &" }, fragmentSpan(f, d, source)));
    const scope = "module" in f.scope ? scopes.modules.get(f.scope.module) : scopes.configurations.get(f.scope.configuration);
    if (!scope) continue;
    // One mistake, one diagnostic: a call already reported as a 6/7-only command (FF3023), or the
    // call of an extern or function whose name is not Verb-Noun (FF3003, where PowerShell reads
    // 'Get EC2Tag' as a call of 'Get'), is not reported again as unknown.
    const reported = new Set(r.compat.map((c) => `${c.line}:${c.column}`));
    const lines = f.text.split("\n");
    const misnamed = (call: { line: number; column: number }): boolean => {
      const rest = (lines[call.line - 1] ?? "").slice(call.column - 1).toLowerCase();
      return scopes.invalidNames.some((name) => rest.startsWith(name));
    };
    for (const p of linkCalls(r.calls, scope)) {
      const at = { line: p.call.line, column: p.call.column, endColumn: p.call.endColumn, text: p.call.text };
      if (p.kind === "unknown" && (reported.has(`${p.call.line}:${p.call.column}`) || misnamed(p.call))) continue;
      if (p.kind === "unknown") {
        const since = POWERSHELL_CORE_COMMANDS.get(p.call.name.toLowerCase());
        const hint = since
          ? `; ${p.call.name} came with PowerShell ${since}`
          : p.program
            ? `; to run a program, write its file name with the extension ('${p.call.name}.exe') or declare it with extern(...)`
            : "";
        ctx.diagnostics.add(diag("CommandUnknown", { owner: f.owner, name: p.call.name, scope: scope.label, hint }, fragmentSpan(f, at, source), [...(p.suggestion ? [{ message: `did you mean '${p.suggestion}'?` }] : []), ...note(p.call.line)]));
      } else if (p.kind === "notImported") {
        ctx.diagnostics.add(diag("CallWithoutImport", { module: "module" in f.scope ? f.scope.module : f.scope.configuration, command: p.command.name, owner: p.command.module ?? "" }, fragmentSpan(f, at, source), note(p.call.line)));
      } else {
        ctx.diagnostics.add(diag("ParameterUnknown", { owner: f.owner, command: p.call.name, message: p.message }, fragmentSpan(f, p.parameter, source), note(p.parameter.line)));
      }
    }
  }
}

/**
 * In-box commands of PowerShell 6 and 7 that Windows PowerShell 5.1 never had, with the version that
 * brought them: named in FF3060 so the author knows why a familiar command is unknown.
 */
const POWERSHELL_CORE_COMMANDS: ReadonlyMap<string, string> = new Map([
  ["get-uptime", "6.0"],
  ["remove-service", "6.0"],
  ["test-json", "6.1"],
  ["convertfrom-markdown", "6.1"],
  ["get-markdownoption", "6.1"],
  ["set-markdownoption", "6.1"],
  ["show-markdown", "6.1"],
  ["remove-alias", "6.0"],
  ["join-string", "6.2"],
  ["get-error", "7.0"],
]);

/** "Windows PowerShell 5.1's Join-Path has no parameter ..." → "Join-Path". */
function commandOf(message: string): string {
  return /5\.1's (\S+)/.exec(message)?.[1]?.replace(/:$/, "") ?? "a command";
}

/** What each module's and configuration's fragments may call, and what only an import would give them. */
function linkScopes(program: ir.Program, runtimeFunctions: readonly { name: string; parameters: readonly string[] }[]): { modules: Map<string, LinkScope>; configurations: Map<string, LinkScope>; invalidNames: string[] } {
  const everywhere = new Map<string, KnownCommand>();
  for (const r of runtimeFunctions) everywhere.set(r.name.toLowerCase(), { name: r.name, what: `the runtime's ${r.name}`, parameters: r.parameters });
  for (const m of program.modules) {
    for (const e of m.externs) everywhere.set(e.name.toLowerCase(), { name: e.name, what: `extern ${e.name} (module ${e.module})`, parameters: [...e.params.map((p) => p.name), ...e.switches] });
  }
  const functionsOf = new Map<string, KnownCommand[]>();
  for (const m of program.modules) functionsOf.set(m.name, m.functions.map((fn) => ({ name: fn.name, what: `function ${fn.name} of module '${m.name}'`, module: m.name, parameters: fn.params.map((p) => p.name) })));
  const scope = (label: string, modules: readonly string[]): LinkScope => {
    const callable = new Map(everywhere);
    for (const name of modules) for (const fn of functionsOf.get(name) ?? []) callable.set(fn.name.toLowerCase(), fn);
    const elsewhere = new Map<string, KnownCommand>();
    for (const [name, fns] of functionsOf) if (!modules.includes(name)) for (const fn of fns) if (!callable.has(fn.name.toLowerCase())) elsewhere.set(fn.name.toLowerCase(), fn);
    return { label, callable, elsewhere };
  };
  const invalidNames = program.modules
    .flatMap((m) => [...m.externs.map((e) => e.name), ...m.functions.map((fn) => fn.name)])
    .filter((name) => !splitCommandName(name))
    .map((name) => name.toLowerCase());
  return {
    invalidNames,
    modules: new Map(program.modules.map((m) => [m.name, scope(`module '${m.name}'`, [m.name, ...m.requires.map((r) => r.name)])])),
    configurations: new Map(program.configurations.map((c) => [c.name, scope(`configuration ${c.name}'s modules`, c.requires.map((r) => r.name))])),
  };
}

/** FF3024: a warning, or an error when the build requires pwsh (--require-pwsh, CI=true). */
function notParsed(ctx: CompileContext, reason: string): void {
  const d = diag("FragmentsNotParsed", { reason });
  ctx.diagnostics.add(ctx.options.requirePwsh ? { ...d, severity: "error" } : d);
}

/** The generated PowerShell files PowerShell parses whole during the build. */
export function powershellFiles(files: readonly EmittedFile[]): { path: string; text: string }[] {
  return files
    .filter((f) => /\.(ps1|psm1|psd1)$/i.test(f.path))
    .map((f) => {
      const text = typeof f.content === "string" ? f.content : Buffer.from(f.content).toString("utf8");
      return { path: f.path, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
    });
}

/**
 * Every emitted .ps1/.psm1/.psd1, parsed whole by PowerShell in the process that parsed the
 * fragments: fleetform writing code PowerShell cannot read is an error (never shipped), not a
 * module that fails to load on the instance. In a watch session findings are kept by file text,
 * and only new texts are sent.
 */
async function checkGeneratedFiles(ctx: CompileContext, files: readonly EmittedFile[], start: () => FragmentParser | undefined): Promise<void> {
  // pwsh could not parse the fragments (FF3024 says why): it cannot parse the files either.
  if (ctx.diagnostics.sorted().some((d) => d.code === messages.FragmentsNotParsed.code)) return;
  const sent = powershellFiles(files);
  const cache = ctx.cache;
  const kept = ctx.disk ? new KeptResults<Omit<FileFinding, "path">[]>(ctx.disk, "pwsh-files", ctx.options.root) : undefined;
  const fromDisk = new Map<string, Omit<FileFinding, "path">[]>();
  const unknown = (cache ? sent.filter((f) => !cache.hasText("pwsh-file", f.text)) : sent).filter((f) => {
    const known = kept?.get(sha256(f.text));
    if (known) fromDisk.set(f.path, known);
    return !known;
  });
  const found = new Map<string, FileFinding[]>();
  if (unknown.length > 0) {
    const parser = start();
    if (!parser) return; // FF3024 says pwsh is missing
    try {
      for (const f of await parser.parseFiles(unknown)) found.set(f.path, [...(found.get(f.path) ?? []), f]);
    } catch (e) {
      notParsed(ctx, `generated files: ${(e as Error).message.split("\n")[0]!}`);
      return;
    }
    if (kept) {
      for (const f of unknown) kept.add(sha256(f.text), (found.get(f.path) ?? []).map(({ path: _, ...rest }) => rest));
      kept.save();
    }
  }
  for (const file of sent) {
    const own = (): Omit<FileFinding, "path">[] => fromDisk.get(file.path) ?? (found.get(file.path) ?? []).map(({ path: _, ...rest }) => rest);
    const findings = cache ? cache.byText("pwsh-file", file.text, own) : own();
    const lines = findings.length > 0 ? file.text.split("\n") : [];
    for (const f of findings) {
      const line = lines[f.line - 1]?.trim() ?? "";
      const notes = line ? [{ message: `${file.path} line ${f.line}: ${line.length > 120 ? `${line.slice(0, 120)}...` : line}` }] : [];
      if (f.kind === "data") ctx.diagnostics.add(diag("GeneratedDataFileUnsafe", { file: file.path, message: f.message }, undefined, notes));
      else ctx.diagnostics.add(diag("GeneratedFileUnparsable", { file: file.path, line: f.line, column: f.column, message: f.message }, undefined, notes));
    }
  }
}

/**
 * What `fleetform build` checks besides fleetform's own checks, for a watch rebuild that has been
 * written already: the type check (native tsc) and PowerShell's parse of the fragments not parsed before.
 */
export async function checkLater(root: string, result: CompileResult, cache: BuildCache): Promise<CompileResult> {
  const ctx = createContext(resolveOptions({ root }), cache);
  for (const [file, text] of result.sources) ctx.sources.set(file, text);
  const pwsh = findPwsh(root);
  let parser: FragmentParser | undefined;
  const typecheck = startTypecheck(ctx.options.root, result.roots ?? [], { background: true });
  if (result.program) {
    const start = (): FragmentParser | undefined => (parser ??= pwsh ? startFragmentParser(pwsh, { background: true }) : undefined);
    await checkFragments(ctx, result.program, start, result.files.length > 0);
    if (result.files.length > 0 && !ctx.diagnostics.hasErrors()) await checkGeneratedFiles(ctx, result.files, start);
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
 * The type check's diagnostics, less those that say what one of ours says at the same place; and
 * a file that threw while evaluated because of a type error gets the type error only.
 */
function addTypeErrors(ctx: CompileContext, typeErrors: readonly Diagnostic[]): void {
  if (typeErrors.length === 0) return;
  const own = ctx.diagnostics.sorted();
  const covered = typeErrorsCoveredBy(typeErrors, own, (file) => ctx.sources.get(file));
  const failing = new Set(typeErrors.filter((d) => d.severity === "error" && d.span).map((d) => d.span!.file));
  ctx.diagnostics.remove((d) => d.code === messages.EvaluationFailed.code && d.span !== undefined && failing.has(d.span.file));
  for (const d of typeErrors) if (!covered.has(d)) ctx.diagnostics.add(d);
}

/** How many texts' PowerShell findings the persistent cache keeps, per kind (the current build's first). */
const PWSH_KEPT = 50_000;

/**
 * PowerShell's findings per text (sha256 of the text), kept in the persistent cache in one entry
 * per kind and pwsh (one file to read): the findings are a function of the text, of
 * check-fragments.ps1 and the 5.1 inventory (in fleetform's fingerprint) and of the pwsh that ran
 * it (its command line is in the key). Saved with the texts this build used first, then older ones.
 */
class KeptResults<T> {
  readonly #disk: PersistentCache;
  readonly #kind: string;
  readonly #slot: string;
  #kept: Map<string, T> | undefined;
  readonly #used = new Map<string, T>();

  constructor(disk: PersistentCache, kind: string, root: string) {
    this.#disk = disk;
    this.#kind = kind;
    this.#slot = keyOf(kind, findPwsh(root)?.command.join("\0") ?? "no pwsh");
  }

  #all(): Map<string, T> {
    return (this.#kept ??= new Map(this.#disk.cache.get<[string, T][]>(this.#kind, this.#slot) ?? []));
  }

  get(key: string): T | undefined {
    const found = this.#all().get(key);
    if (found !== undefined) this.#used.set(key, found);
    return found;
  }

  add(key: string, value: T): void {
    this.#used.set(key, value);
  }

  save(): void {
    const next = new Map(this.#used);
    for (const [key, value] of this.#all()) {
      if (next.size >= PWSH_KEPT) break;
      if (!next.has(key)) next.set(key, value);
    }
    this.#disk.cache.put(this.#kind, this.#slot, [...next]);
  }
}
