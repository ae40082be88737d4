// PowerShell's check of the build, at the end of the pipeline: every authored fragment parsed by
// PowerShell (syntax, Windows PowerShell 5.1 compatibility, the commands it calls linked against the
// program's functions, externs and the runtime), and every generated .ps1/.psm1/.psd1 parsed whole.
// The pwsh process is the driver's (it starts it early and stops it): it is passed in, and only
// asked for when a text is not known yet (a watch session's memoText, the persistent cache).
import type { Diagnostic, Note } from "../../diagnostics/diagnostic.js";
import { diag, formatMessage, messages } from "../../diagnostics/messages.js";
import { linkCalls, type KnownCommand, type LinkScope } from "../../powershell/link.js";
import { PWSH_NOT_FOUND, pwshMissing, PwshUnavailable, type FileFinding, type FragmentParse, type FragmentParser, type FragmentTyped } from "../../powershell/pwsh.js";
import { typeName } from "./powershell/params.js";
import { keyOf, sha256 } from "../../util/hash.js";
import { splitCommandName } from "../../util/verbs.js";
import type { CompileContext } from "../context.js";
import { mayImport } from "../2-check/module-graph.js";
import type * as ir from "../3-lower/ir.js";
import { fileHash, fileText, type EmittedFile } from "./files.js";
import { collectFragments, fragmentSpan, type FragmentText } from "./fragments.js";
import { loneSurrogate } from "../../util/text.js";
import { KeptFindings, keptModuleChecks } from "./kept.js";

/** The pwsh that parses, as the driver passes it in. */
export interface PwshParsing {
  /** Its command line (part of the persistent cache's key); undefined when there is no pwsh. */
  readonly command: readonly string[] | undefined;
  /** The parser, started on first use; undefined when there is no pwsh. */
  parser(): FragmentParser | undefined;
}

/**
 * Fragment syntax and Windows PowerShell 5.1 compatibility, at the TypeScript template that wrote it,
 * and the link of every command a fragment calls (compiler/powershell/check-fragments.ps1 resolves
 * 5.1's in-box commands; the rest are resolved here against the program's functions and externs).
 * In a watch session PowerShell's findings are kept by fragment text, and only new texts are sent.
 */
export async function checkFragments(ctx: CompileContext, program: ir.Program, pwsh: PwshParsing, moreFollows = false): Promise<void> {
  // With the persistent cache, what the check of a module's fragments reported is kept (./kept.ts's
  // keptModuleChecks): those modules' fragments are neither collected nor linked again.
  const modules = keptModuleChecks(ctx, program, pwsh.command);
  const fragments = collectFragments(program, (m) => !modules?.kept.has(m.name));
  /** The findings reported so far, by scope, code, place and what they say but the owner (see once). */
  const reportedAt = new Set<string>();
  const keptAs = (f: FragmentText): string | undefined => ("module" in f.scope && modules?.keys.has(f.scope.module) ? f.scope.module : undefined);
  // (what kept modules' fragments reported before PowerShell parses)
  for (const found of modules?.kept.values() ?? []) for (const d of found.early) ctx.diagnostics.add(d);
  // A lone surrogate (pasted with ps.raw) cannot be written to the UTF-8 file: the file would hold
  // U+FFFD instead. That is the fragment's one diagnostic; PowerShell checks the text as it would be
  // written (pwsh.ts sends every text well-formed), but what it says of this one is not reported.
  const broken = new Set<FragmentText>();
  const early = new Map<string, Diagnostic[]>();
  for (const f of fragments) {
    const at = loneSurrogate(f.text);
    if (!at) continue;
    broken.add(f);
    const d = diag("FragmentLoneSurrogate", { owner: f.owner, unit: at.unit, hex: at.unit.slice(2) }, fragmentSpan(f, { line: at.line, column: at.column }, (file) => ctx.sources.get(file)));
    ctx.diagnostics.add(d);
    const keep = keptAs(f);
    if (keep !== undefined) early.set(keep, [...(early.get(keep) ?? []), d]);
  }
  // What the kept modules' fragments were found to have once PowerShell parsed them: reported when
  // PowerShell's findings are known, as without the cache (nothing when pwsh fails).
  const reportKept = (): void => {
    for (const found of modules?.kept.values() ?? []) for (const d of found.late) ctx.diagnostics.add(d);
  };
  if (fragments.length === 0) {
    reportKept();
    modules?.save(early, new Map());
    return;
  }
  const cache = ctx.cache;
  // The runtime module's own text is parsed too, for the functions (and parameters) it exports.
  const runtimeFiles = program.runtime.files.filter((f) => f.path.endsWith(".psm1"));
  // A fragment goes with the names of its function's parameters (which their binding assigns:
  // FF3071); what PowerShell says of it is kept by both (`key`).
  const sent: { readonly text: string; readonly file: boolean; readonly names?: readonly string[]; readonly key: string }[] = [
    ...fragments.map((f) => ({ text: f.text, file: false, ...(f.parameters?.length ? { names: f.parameters.map((p) => p.name) } : {}), key: fragmentKey(f) })),
    ...runtimeFiles.map((f) => ({ text: f.content, file: true, key: f.content })),
  ];
  const kept = keptResults<Omit<FragmentParse, "id">>(ctx, "pwsh-fragments", pwsh.command, false);
  const keyOfText = (t: { key: string; file: boolean }): string => sha256(`${t.file ? "file" : "fragment"}\0${t.key}`);
  const findings = new Map<string, Omit<FragmentParse, "id">>();
  // Results the persistent cache holds are findings as good as this build's.
  const unknown = (cache ? sent.filter((f) => !cache.hasText("pwsh", f.key)) : sent).filter((f) => {
    const found = kept?.peek(keyOfText(f));
    if (found) findings.set(f.key, found);
    return !found;
  });
  if (unknown.length > 0) {
    const parser = pwsh.parser();
    if (!parser) {
      notParsed(ctx, formatMessage(messages.ToolMissing.text, pwshMissing(PWSH_NOT_FOUND)));
      return;
    }
    // Each text once (fragments shared by resources are parsed once).
    const texts = [...new Map(unknown.map((f) => [f.key, f])).values()];
    try {
      const results = await parser.parse(texts.map((t, i) => ({ id: String(i), text: t.text, ...(t.file ? { file: true } : {}), ...(t.names ? { names: t.names } : {}) })), { more: moreFollows });
      for (const r of results) {
        const key = texts[Number(r.id)]?.key;
        if (key !== undefined) findings.set(key, r);
      }
      // check-fragments.ps1 returns findings only: a text it sent nothing back for is clean.
      if (kept) {
        for (const t of texts) {
          const { id: _, ...found } = (findings.get(t.key) ?? { id: "", errors: [], compat: [], calls: [], dynamic: [] }) as FragmentParse;
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
  const resultOf = (key: string): Omit<FragmentParse, "id"> => ctx.memoText("pwsh", key, () => findings.get(key) ?? none);
  const runtimeFunctions = runtimeFiles.flatMap((f) => resultOf(f.content).definitions ?? []);
  const scopes = linkScopes(program, runtimeFunctions);
  reportKept();
  // (the diagnostics of each module's fragments, recorded for the modules whose check is kept)
  const byModule = new Map<string, Diagnostic[]>();
  for (const f of fragments) {
    if (broken.has(f)) continue;
    const keep = keptAs(f);
    if (keep === undefined) report(f);
    else {
      const { diagnostics } = ctx.diagnostics.record(() => report(f));
      byModule.set(keep, [...(byModule.get(keep) ?? []), ...diagnostics]);
    }
  }
  modules?.save(early, byModule);

  // One mistake, one diagnostic: a helper's fragment interpolated into both the test and the set
  // of a resource is in both texts, and what PowerShell finds in it maps to the same place in the
  // helper's template. Reported for the first owner (per module or configuration, as they are kept;
  // reportedAt is declared above, before the loop that calls report).
  function once(f: FragmentText, d: Diagnostic): void {
    const s = d.span;
    const scope = "module" in f.scope ? `module ${f.scope.module}` : `configuration ${f.scope.configuration}`;
    const key = `${scope}\0${d.code}\0${s ? `${s.file}:${s.start.line}:${s.start.column}:${s.end.line}:${s.end.column}` : ""}\0${d.message.split(f.owner).join("")}`;
    if (s && reportedAt.has(key)) return;
    reportedAt.add(key);
    ctx.diagnostics.add(d);
  }

  function report(f: FragmentText): void {
    const r = resultOf(fragmentKey(f));
    const sources = (file: string): string | undefined => ctx.sources.get(file);
    const note = (line: number): Note[] => {
      const text = f.text.split("\n")[line - 1]?.trim();
      return text ? [{ message: `fragment line ${line}: ${text}` }] : [];
    };
    for (const e of r.errors) once(f, diag("FragmentSyntax", { owner: f.owner, message: e.message }, fragmentSpan(f, e, sources), note(e.line)));
    const scope = "module" in f.scope ? scopes.modules.get(f.scope.module) : scopes.configurations.get(f.scope.configuration);
    // A call of the author's own function (or an extern) named like an in-box command goes to it, not
    // to the in-box one: what 5.1's parameters say of it is noise (its name is FF3064 already). (The
    // runtime's functions, Verb-Ff*, share no in-box name.)
    const shadowed = (command: string): boolean => scope?.callable.has(command.toLowerCase()) === true;
    for (const c of r.compat) {
      if (c.message === "a DSC Configuration statement") {
        once(f, diag("FragmentConfiguration", { owner: f.owner }, fragmentSpan(f, c, sources), note(c.line)));
        continue;
      }
      const code = / has no parameter | is ambiguous for /.test(c.message) ? "ParameterUnknown" : / does not take '/.test(c.message) ? "ParameterValueInvalid" : "PowerShell7Only";
      if (code !== "PowerShell7Only" && shadowed(commandOf(c.message))) continue;
      if (code === "PowerShell7Only") once(f, diag("PowerShell7Only", { owner: f.owner, what: c.message }, fragmentSpan(f, c, sources), note(c.line)));
      else if (code === "ParameterUnknown") once(f, diag("ParameterUnknown", { owner: f.owner, command: commandOf(c.message), message: c.message }, fragmentSpan(f, c, sources), note(c.line)));
      else once(f, diag("ParameterValueInvalid", { owner: f.owner, message: c.message }, fragmentSpan(f, c, sources), note(c.line)));
    }
    for (const d of r.dynamic) once(f, diag("DynamicCall", { owner: f.owner, text: d.text, operator: d.message === "Dot" ? "dot-sourced" : "called with &" }, fragmentSpan(f, d, sources)));
    for (const u of r.unassigned ?? []) {
      const suggestion = parameterNamed(f, u.suggestion)?.name ?? u.suggestion;
      const parameters = f.parameters?.length ? " and which is none of its parameters" : "";
      // (as written: ${a`}c}, @parms)
      once(f, diag("VariableNeverAssigned", { owner: f.owner, variable: u.text, parameters, suggestion: u.text.startsWith("@") ? `@${suggestion}` : variable(suggestion) }, fragmentSpan(f, u, sources), note(u.line)));
    }
    for (const t of r.typed ?? []) {
      const mismatch = typeMismatch(f, t);
      if (mismatch) once(f, diag("ParameterTypeMismatch", { owner: f.owner, variable: t.variable, command: t.command, parameter: t.parameter, takes: shortType(t.takes), ...mismatch }, fragmentSpan(f, t, sources), note(t.line)));
    }
    if (!scope) return;
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
            : p.suggestion
              ? ""
              : `; a command of a module of its own (WebAdministration's, AWS.Tools') is declared with extern({ name, module, params })`;
        once(f, diag("CommandUnknown", { owner: f.owner, name: p.call.name, scope: scope.label, hint }, fragmentSpan(f, at, sources), [...(p.suggestion ? [{ message: `did you mean '${p.suggestion}'?` }] : []), ...note(p.call.line)]));
      } else if (p.kind === "notImported") {
        once(f, diag("CallWithoutImport", { module: "module" in f.scope ? f.scope.module : f.scope.configuration, command: p.command.name, owner: p.command.module ?? "" }, fragmentSpan(f, at, sources), [...note(p.call.line), ...layerNote(program, f.scope, p.command.name, p.command.module)]));
      } else {
        once(f, diag("ParameterUnknown", { owner: f.owner, command: p.call.name, message: p.message }, fragmentSpan(f, p.parameter, sources), note(p.parameter.line)));
      }
    }
  }
}

/**
 * FF2007's advice when the import it asks for would break the layers (FF2002): a module of a lower
 * layer calling a function of a higher one.
 */
function layerNote(program: ir.Program, scope: FragmentText["scope"], command: string, owner: string | undefined): { message: string }[] {
  if (!("module" in scope) || owner === undefined) return [];
  const from = program.modules.find((m) => m.name === scope.module);
  const to = program.modules.find((m) => m.name === owner);
  if (!from || !to || mayImport(program.layers, from.layer, to.layer)) return [];
  return [
    {
      message: `'${to.name}' is in layer '${to.layer}', which module '${from.name}' (layer '${from.layer}') may not import (layers, lowest first: ${program.layers.order.join(" < ")}): move ${command} to a module '${from.name}' may import, or call it only from modules that may import '${to.name}'`,
    },
  ];
}

/** A variable as PowerShell writes it: $name, or ${name} when the name needs the braces. */
const variable = (name: string): string => (/^[\p{L}\p{Nd}_?]+$/u.test(name) ? `$${name}` : `\${${name}}`);

/** The key PowerShell's findings of a fragment are kept by: its text, and its function's parameters. */
const fragmentKey = (f: FragmentText): string => (f.parameters?.length ? JSON.stringify([f.text, f.parameters.map((p) => p.name)]) : f.text);

/** The parameter of the fragment's function that a variable names (PowerShell's names ignore case). */
const parameterNamed = (f: FragmentText, name: string): ir.Param | undefined => f.parameters?.find((p) => p.name.toLowerCase() === name.toLowerCase());

/** System.Security.SecureString -> SecureString. */
const shortType = (type: string): string => type.slice(type.lastIndexOf(".") + 1);

/**
 * A variable passed as it is to an in-box parameter that takes a SecureString or a PSCredential
 * (PowerShell's finding), when the variable is a parameter of the function the fragment is the body
 * of and its declared type does not convert to that (PowerShell's binder converts no string, number
 * or PSCredential to a SecureString, and a string to a PSCredential only by prompting for a
 * password, which fails non-interactively). A variable that is no parameter is the author's own:
 * its type is not known here. A parameter keeps its declared type when assigned, so
 * `$Password = ConvertTo-SecureString ...` before the call does not change what it holds.
 */
function typeMismatch(f: FragmentText, t: FragmentTyped): { what: string; type: string; hint: string } | undefined {
  const param = parameterNamed(f, t.variable);
  if (!param) return undefined;
  const full = typeName(param.type);
  if (full === t.takes) return undefined;
  const type = full.startsWith("System.") ? shortType(full) : full;
  const what = `t.${param.type.kind}() ${f.owner.startsWith("function ") ? "parameter" : "property"}`;
  return { what, type, hint: typeHint(param.type.kind, `$${t.variable}`, type, t) };
}

/** What to pass instead (FF3070's hint), for a variable `v` of the t.* kind `kind` and PowerShell type `type`. */
function typeHint(kind: ir.Type["kind"], v: string, type: string, t: FragmentTyped): string {
  // (it converted the value already, into the parameter itself)
  if (t.assigned) return `: ${v} keeps its declared type [${type}] when assigned (a parameter's type stays with it), so hold the ${shortType(t.takes)} in a variable of its own and pass that`;
  const converted = `(ConvertTo-SecureString -String ${v} -AsPlainText -Force)`;
  if (t.takes === "System.Security.SecureString") {
    if (kind === "credential") return `: pass its password, ${v}.Password`;
    if (kind === "secret") return `: pass ${converted}, or make it a t.credential() and pass ${v}.Password`;
    if (kind === "string") return `: a secret belongs in a t.secret() (a Secrets Manager secret or a SecureString parameter, never in an artifact), passed as ${converted}`;
    return "";
  }
  if (kind === "secret" || kind === "string") return ": make it a t.credential() (a Secrets Manager secret holding Username and Password, a PSCredential when the code runs)";
  return "";
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
  // (two modules with one name, FF2003: an import of the name may be either's, so it reaches both's functions)
  for (const m of program.modules) functionsOf.set(m.name, [...(functionsOf.get(m.name) ?? []), ...m.functions.map((fn) => ({ name: fn.name, what: `function ${fn.name} of module '${m.name}'`, module: m.name, parameters: fn.params.map((p) => p.name) }))]);
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
export function powershellFiles(files: readonly EmittedFile[]): { readonly path: string; readonly text: string }[] {
  return files.filter(isPowerShellFile).map(parsedText);
}

function isPowerShellFile(f: EmittedFile): boolean {
  return /\.(ps1|psm1|psd1)$/i.test(f.path);
}

/** A PowerShell file as pwsh parses it: its text without the BOM (read when asked for: a file whose findings are kept is not read at all). */
function parsedText(f: EmittedFile): { readonly path: string; readonly text: string } {
  let text: string | undefined;
  return {
    path: f.path,
    get text() {
      if (text === undefined) {
        const whole = fileText(f);
        text = whole.startsWith("\uFEFF") ? whole.slice(1) : whole;
      }
      return text;
    },
  };
}

/**
 * The generated .ps1/.psm1/.psd1 on their way to pwsh, a batch at a time: the driver sends each
 * module's and configuration's files as emit makes them (send), then the rest (finish), without
 * waiting for an answer, so that pwsh parses them while the build emits what follows.
 * checkGeneratedFiles reads the answers (or ignores them). Only files not known yet are sent: a
 * watch session's (by text) and the persistent cache's (by the sha256 of the file's bytes: the text
 * parsed and its BOM; the manifest's, known without hashing again for files kept in the cache).
 */
export class GeneratedFilesCheck {
  /** Findings the persistent cache holds, by path. */
  readonly fromDisk = new Map<string, Omit<FileFinding, "path">[]>();
  /** The files PowerShell is asked about, with their keys in `kept`. */
  readonly unknown: { readonly path: string; readonly key: string | undefined }[] = [];
  readonly kept: KeptFindings<Omit<FileFinding, "path">[]> | undefined;
  /** PowerShell's answer to each batch, or why there is none (an error). */
  readonly #answers: Promise<FileFinding[] | Error>[] = [];
  readonly #seen = new Set<string>();
  /** No pwsh to ask (FF3024 says so). */
  #missing = false;
  #finished = false;

  constructor(
    private readonly ctx: CompileContext,
    private readonly pwsh: PwshParsing,
  ) {
    this.kept = keptResults<Omit<FileFinding, "path">[]>(ctx, "pwsh-files", pwsh.command, true);
  }

  /** Sends the PowerShell files of a batch of emitted files that are not known yet; more batches follow. */
  send(files: readonly EmittedFile[]): void {
    this.#send(files, true);
  }

  /** Sends the files of `all` (every emitted file) not sent yet, as the last batch. */
  finish(all: readonly EmittedFile[]): void {
    if (this.#finished) return;
    this.#send(all, false);
    this.#finished = true;
  }

  /** What PowerShell found in the files sent (an error when it could not say; undefined: no pwsh, or nothing was sent). */
  async found(): Promise<FileFinding[] | Error | undefined> {
    if (this.#missing || this.#answers.length === 0) return undefined;
    const answers = await Promise.all(this.#answers);
    const failed = answers.find((a) => a instanceof Error);
    return failed ?? answers.flatMap((a) => a as FileFinding[]);
  }

  #send(files: readonly EmittedFile[], more: boolean): void {
    if (this.#missing || this.#finished) return;
    const cache = this.ctx.cache;
    const batch: { path: string; text: string }[] = [];
    for (const emitted of files) {
      if (!isPowerShellFile(emitted) || this.#seen.has(emitted.path)) continue;
      this.#seen.add(emitted.path);
      const f = parsedText(emitted);
      if (cache?.hasText("pwsh-file", f.text)) continue;
      const key = this.kept ? fileHash(emitted) : undefined;
      const known = key === undefined ? undefined : this.kept!.peek(key);
      if (known) {
        this.fromDisk.set(f.path, known);
        continue;
      }
      this.unknown.push({ path: f.path, key });
      batch.push(f);
    }
    // (nothing to end when nothing was sent: pwsh is not even asked for)
    if (batch.length === 0 && (more || this.#answers.length === 0)) return;
    const parser = this.pwsh.parser();
    if (!parser) {
      this.#missing = true;
      return;
    }
    // (a rejection is kept as a value: nobody may be waiting for it when the build stops early)
    this.#answers.push(parser.parseFiles(batch, { more }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
  }
}

/**
 * Every emitted .ps1/.psm1/.psd1, parsed whole by PowerShell in the process that parsed the
 * fragments: fleetform writing code PowerShell cannot read is an error (never shipped), not a
 * module that fails to load on the instance. In a watch session findings are kept by file text,
 * and only new texts are sent. `sent`: the check the driver sent files to as it emitted them.
 */
export async function checkGeneratedFiles(ctx: CompileContext, files: readonly EmittedFile[], pwsh: PwshParsing, sent?: GeneratedFilesCheck): Promise<void> {
  // pwsh could not parse the fragments (FF3024 says why): it cannot parse the files either.
  if (ctx.diagnostics.sorted().some((d) => d.code === messages.FragmentsNotParsed.code)) return;
  const check = sent ?? new GeneratedFilesCheck(ctx, pwsh);
  check.finish(files);
  const found = new Map<string, FileFinding[]>();
  if (check.unknown.length > 0) {
    const result = await check.found();
    if (result === undefined) return; // FF3024 says pwsh is missing
    if (result instanceof Error) {
      notParsed(ctx, `generated files: ${result.message.split("\n")[0]!}`);
      return;
    }
    for (const f of result) found.set(f.path, [...(found.get(f.path) ?? []), f]);
    if (check.kept) {
      for (const f of check.unknown) check.kept.add(f.key!, (found.get(f.path) ?? []).map(({ path: _, ...rest }) => rest));
      check.kept.save();
    }
  }
  for (const file of powershellFiles(files)) {
    const own = (): Omit<FileFinding, "path">[] => check.fromDisk.get(file.path) ?? (found.get(file.path) ?? []).map(({ path: _, ...rest }) => rest);
    // (a watch session keeps findings by text; a build reads a file's text only to quote a finding)
    const findings = ctx.cache ? ctx.memoText("pwsh-file", file.text, own) : own();
    const lines = findings.length > 0 ? file.text.split("\n") : [];
    for (const f of findings) {
      const line = lines[f.line - 1]?.trim() ?? "";
      const notes = line ? [{ message: `${file.path} line ${f.line}: ${line.length > 120 ? `${line.slice(0, 120)}...` : line}` }] : [];
      if (f.kind === "data") ctx.diagnostics.add(diag("GeneratedDataFileUnsafe", { file: file.path, message: f.message }, undefined, notes));
      else ctx.diagnostics.add(diag("GeneratedFileUnparsable", { file: file.path, line: f.line, column: f.column, message: f.message }, undefined, notes));
    }
  }
}

/** How many texts' PowerShell findings the persistent cache keeps, per kind (the current build's first). */
const PWSH_KEPT = 50_000;

/**
 * PowerShell's findings per text (sha256 of the text), kept in the persistent cache in one entry
 * per kind and pwsh: the findings are a function of the text, of check-fragments.ps1 and the 5.1
 * inventory (in fleetform's fingerprint) and of the pwsh that ran it (its command line is in the
 * entry's key). `asksAll`: each build asks for the findings of every text it has (a generated
 * file's), not only of those it does not know otherwise (a fragment of a module whose check is kept
 * is not asked for).
 */
function keptResults<T>(ctx: CompileContext, kind: string, pwsh: readonly string[] | undefined, asksAll: boolean): KeptFindings<T> | undefined {
  return ctx.disk ? new KeptFindings<T>(ctx, kind, { slot: keyOf(kind, pwsh?.join("\0") ?? "no pwsh"), max: PWSH_KEPT, asksAll }) : undefined;
}
