// The command line: argv → compile() → write files → print diagnostics → exit code.
// The only place (with write.ts) that writes to disk. Exit codes: 0 ok, 1 errors in the input,
// 2 usage, 3 internal error, 4 plan's changes, 5 the environment: a tool missing (compiler/cli/exit-codes.ts).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compile, type CompileHooks, type CompileResult } from "../driver/compile.js";
import { homedir } from "node:os";
import { defaultCacheDir, DiskCache, inputDigests, machineFolder } from "../driver/cache.js";
import type { PersistentCache } from "../phases/context.js";
import { buildKey, keepBuild, keptBuild, lastWrite, outputHolds, recordOutput } from "../driver/kept-build.js";
import { resolveOptions } from "../phases/options.js";
import { typescriptLoadTime } from "../util/typescript.js";
import { closest, counted } from "../util/text.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatDiagnostics } from "../diagnostics/format.js";
import { diag, messages } from "../diagnostics/messages.js";
import { internalError } from "../diagnostics/internal.js";
import { DEFAULT_EVAL_TIMEOUT } from "../phases/options.js";
import { fleetformPackage } from "../util/package.js";
import { findPwsh, PWSH_NOT_FOUND, pwshMissing, pwshOnPath, runTests } from "../powershell/pwsh.js";
import { CONFIG_REPO_TOOLS, isCi, PESTER_RANGE, PESTER_VERSION, SetupError, setupTools, TOOLS } from "../powershell/setup.js";
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, exitCodeOf } from "./exit-codes.js";
import { processIo, type Io } from "./io.js";
import { outputFolderProblem, prepareOutput, reportPathProblem, writeFailure, writeOutput, type FileState, type LastWrite, type PreparedOutput } from "../driver/write.js";
import { fileText, type EmittedFile } from "../phases/4-emit/files.js";
import { GRAPH_FORMATS, moduleGraph, renderGraph, type GraphFormat } from "../graph/index.js";

const USAGE = `Usage: fleetform <command> [dir] [options]

Commands:
  build [dir]   type-check and compile the config repo in dir (default .) and write its output folder
  check [dir]   everything build checks; writes nothing
  test [dir]    run the built output's Pester tests under pwsh (PowerShell 7, Pester 5) and write JUnit XML;
                refuses an output folder that the current sources would not build as it is
  setup [dir]   make PowerShell 7 and Pester 5 ready for build and test, from NuGet (no PowerShell Gallery):
                an existing pwsh on PATH, else PowerShell as a dotnet tool, precompiled to start faster (not under
                CI, which runs setup for every job; FLEETFORM_PRECOMPILE=1 or 0 decides); tools in <dir>/.fleetform/tools
  init [dir]    write a new config repo (two layers, two resources, a configuration, a buildspec) into an empty
                folder, or one holding only package.json (kept; init adds its scripts), node_modules and .git
  plan --base <dir | git ref> [dir]
                compare the build of dir (default .) with the base's (a config repo folder, or a git
                ref of the repository holding dir) and print the changes as Markdown for a pull request
  graph [dir]   draw the module graph: modules by layer (lowest at the bottom), imports, each configuration with
                its modules and targets; layer violations (${messages.LayerViolation.code}) and cycles (${messages.ImportCycle.code}) in red, also when check fails

Options:
  --out <dir>       build, test: the output folder (default: fleetform.config.ts's out, usually dist)
  --out <file>      graph: the file to write the picture to (default: stdout)
  --format <f>      graph: mermaid (default), dot, svg (laid out by Graphviz) or json
  --json            print diagnostics (and written files) as JSON on stdout
  --no-typecheck    skip TypeScript's type check (faster; only for experiments)
  --no-cache        build, check: neither read nor write the persistent cache
  --cache-dir <dir> build, check: where the persistent cache is (default ${defaultCacheDir().replace(homedir(), "~")});
                    deleting it is always safe
  --require-pwsh    build, check, plan: fail (exit 5) when PowerShell cannot check the fragments (${messages.FragmentsNotParsed.code});
                    implied by CI=true
  --eval-timeout <ms>
                    how long evaluating a config source (or building one fragment) may run before it
                    is stopped with ${messages.EvaluationTimeout.code} (default ${DEFAULT_EVAL_TIMEOUT}; 0: no limit)
  --timings         build, check: print where the time went (milliseconds per step) on stderr
  --junit <file>    test: where the JUnit report goes (default .fleetform/test-results/junit.xml)
  --watch           build: rebuild on every change, rewriting only the files that changed
  --base <dir|ref>  plan: what to compare with (the base is compiled without the type check)
  --fail-on-change  plan: exit 4 when the plan has changes
  -h, --help        this help
  -v, --version     fleetform's version

Exit codes: 0 ok, 1 errors in the input (test: a failing test), 2 usage, 3 internal error,
4 plan --fail-on-change: changes, 5 environment: a tool is missing (pwsh, Pester, the .NET SDK).
`;

/** The options each command takes (besides --help and --version): another is a usage error (exit 2). */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  build: ["out", "json", "no-typecheck", "no-cache", "cache-dir", "require-pwsh", "eval-timeout", "timings", "watch"],
  check: ["json", "no-typecheck", "no-cache", "cache-dir", "require-pwsh", "eval-timeout", "timings"],
  test: ["out", "junit", "json", "eval-timeout"],
  plan: ["base", "fail-on-change", "json", "no-typecheck", "require-pwsh", "eval-timeout"],
  graph: ["out", "format", "eval-timeout"],
  init: [],
  setup: ["json"],
};

/** "build and check", "build, check and test": the commands that take an option. */
function commandsTaking(option: string): string {
  const names = Object.keys(COMMAND_OPTIONS).filter((c) => COMMAND_OPTIONS[c]!.includes(option));
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "no command");
}

/**
 * `fleetform <command> --help`: USAGE with that command's entry alone, and the options it takes
 * (COMMAND_OPTIONS); all of USAGE for an unknown command.
 */
export function commandUsage(command: string): string {
  const [head, rest] = USAGE.split("\nCommands:\n");
  const [commands, rest2] = rest!.split("\nOptions:\n");
  const [options, tail] = rest2!.split("\nExit codes:");
  // Entries: a line at two spaces' indent, with the deeper-indented lines that continue it.
  const entries = (text: string): string[] => text.split(/\n(?=  \S)/).filter((e) => e.trim() !== "");
  const own = entries(commands!).find((e) => e.startsWith(`  ${command} `) || e === `  ${command}`);
  if (!own) return USAGE;
  const takes = new Set([...(COMMAND_OPTIONS[command] ?? []), "help", "version"]);
  // (an entry whose text starts with commands, "build, test: ...", is for those alone: --out is a
  // folder for build and test, a file for graph)
  const applies = (entry: string): boolean => {
    const m = /^\s+(?:-\w, )?--([a-z-]+)(?: <[^>]+>)?\s+([a-z]+(?:, [a-z]+)*): /.exec(entry) ?? /^\s+(?:-\w, )?--([a-z-]+)/.exec(entry);
    const scoped = m?.[2]?.split(", ").filter((c) => Object.hasOwn(COMMAND_OPTIONS, c));
    return takes.has(m?.[1] ?? "") && (!scoped || scoped.length === 0 || scoped.includes(command));
  };
  return `${head!.replace("<command>", command)}\n${own.trimEnd()}\n\nOptions:\n${entries(options!).filter(applies).map((e) => e.trimEnd()).join("\n")}\n\nExit codes:${tail}`;
}

/** Runs one command; never throws: a bug is FF9001 (exit 3), without a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    const d = [internalError(e)];
    if (argv.includes("--json")) io.stdout(JSON.stringify({ ok: false, diagnostics: d }, null, 2) + "\n");
    else io.stderr(formatDiagnostics(d, () => undefined));
    return EXIT_INTERNAL;
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        junit: { type: "string" },
        format: { type: "string" },
        watch: { type: "boolean", default: false },
        base: { type: "string" },
        "fail-on-change": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "no-typecheck": { type: "boolean", default: false },
        "no-cache": { type: "boolean", default: false },
        "cache-dir": { type: "string" },
        "require-pwsh": { type: "boolean", default: false },
        timings: { type: "boolean", default: false },
        "eval-timeout": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (e) {
    // (the command's help when the first word names one: `test --junit` without its file)
    const named = argv.find((a) => !a.startsWith("-"));
    const known = named !== undefined && Object.hasOwn(COMMAND_OPTIONS, named);
    // parseArgs' own words for an unknown option explain `--` for positionals; ours name the nearest option.
    const unknown = (e as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(-[^']*)'/.exec((e as Error).message)?.[1] : undefined;
    let message = (e as Error).message;
    if (unknown !== undefined) {
      const options = known ? COMMAND_OPTIONS[named]! : [...new Set(Object.values(COMMAND_OPTIONS).flat())];
      const near = unknown.startsWith("--") ? closest(unknown.slice(2), options) : undefined;
      message = `unknown option '${unknown}'${near ? `; did you mean '--${near}'?` : ""}`;
    }
    io.stderr(`fleetform: ${message}\n\n${known ? commandUsage(named) : USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${fleetformPackage().version}\n`);
    return EXIT_OK;
  }
  const [command, dir = ".", ...extra] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.stdout : io.stderr)(values.help && command !== undefined ? commandUsage(command) : USAGE);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  if (!Object.hasOwn(COMMAND_OPTIONS, command) || extra.length > 0) {
    const near = closest(command, Object.keys(COMMAND_OPTIONS));
    const what = extra.length > 0 ? `unexpected argument '${extra[0]}'` : `unknown command '${command}'${near ? `; did you mean '${near}'?` : ""}`;
    io.stderr(`fleetform: ${what}\n\n${Object.hasOwn(COMMAND_OPTIONS, command) ? commandUsage(command) : USAGE}`);
    return EXIT_USAGE;
  }
  // An option the command does not take is refused, not ignored (init --out would write no output folder).
  const foreign = Object.entries(values).find(([name, value]) => value !== undefined && value !== false && name !== "help" && name !== "version" && !COMMAND_OPTIONS[command]!.includes(name));
  if (foreign) {
    io.stderr(`fleetform: --${foreign[0]} goes with ${commandsTaking(foreign[0])}\n\n${commandUsage(command)}`);
    return EXIT_USAGE;
  }
  // (init, plan and watch are loaded by their commands: a build does not load them)
  if (command === "init") {
    const { init } = await import("../init/index.js");
    const done = init(dir);
    if ("diagnostic" in done) {
      io.stderr(formatDiagnostics([done.diagnostic], (f) => done.sources.get(f)));
      return EXIT_INPUT;
    }
    const merged = done.merged.length > 0 ? `; added to ${done.merged.join(" and ")}` : "";
    const next = `${resolve(dir) === process.cwd() ? "" : `cd ${dir} && `}npm install && npx fleetform setup && npx fleetform build && npx fleetform test`;
    io.stdout(`fleetform: wrote a config repo to ${dir} (${done.files.length - done.merged.length} files${merged}). Next: ${next}\n`);
    return EXIT_OK;
  }
  let evalTimeout: number | undefined;
  if (values["eval-timeout"] !== undefined) {
    if (!/^\d{1,9}$/.test(values["eval-timeout"])) {
      io.stderr(`${formatDiagnostics([diag("CommandLineValueInvalid", { option: "--eval-timeout", expected: "a whole number of milliseconds (0: no limit)", value: values["eval-timeout"] })], () => undefined)}\n${commandUsage(command)}`);
      return EXIT_USAGE;
    }
    evalTimeout = Number(values["eval-timeout"]);
  }
  const limit = evalTimeout !== undefined ? { evalTimeout } : {};
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    io.stderr(`fleetform: '${dir}' is not a folder\n`);
    return EXIT_USAGE;
  }

  // --require-pwsh: FF3024 is an error. CI=true implies it: a CI build must not pass unchecked.
  const requirePwsh = values["require-pwsh"] || isCi();
  if (command === "setup") return setup(io, root, values.json);
  // (an option another command takes was refused above, with COMMAND_OPTIONS)
  if ((values["no-cache"] || values["cache-dir"] !== undefined) && (values.watch || (values["no-cache"] && values["cache-dir"] !== undefined))) {
    const option = values["no-cache"] ? "--no-cache" : "--cache-dir";
    io.stderr(`fleetform: ${values["no-cache"] && values["cache-dir"] !== undefined ? "--no-cache and --cache-dir exclude each other" : `${option} goes with build and check (not --watch)`}\n\n${commandUsage(command)}`);
    return EXIT_USAGE;
  }
  if (command === "graph") {
    const format = values.format ?? "mermaid";
    if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
      io.stderr(`${formatDiagnostics([diag("CommandLineValueInvalid", { option: "--format", expected: `one of ${GRAPH_FORMATS.join(", ")}`, value: format })], () => undefined)}\n${commandUsage(command)}`);
      return EXIT_USAGE;
    }
    return graph(io, root, format as GraphFormat, values.out, evalTimeout);
  }
  if (command === "test") return test(io, root, values.out, values.junit, values.json, evalTimeout);
  if (command === "plan") {
    if (values.base === undefined) {
      io.stderr(`fleetform: plan needs --base <dir | git ref>\n\n${commandUsage(command)}`);
      return EXIT_USAGE;
    }
    const { planCommand } = await import("../plan/command.js");
    return planCommand(io, { base: values.base, root, dir, json: values.json, failOnChange: values["fail-on-change"], typecheck: !values["no-typecheck"], requirePwsh, ...limit });
  }

  if (values.watch) {
    if (values.json || values.timings || values["require-pwsh"]) {
      io.stderr(`fleetform: --watch prints a line per rebuild; it does not go with ${values.json ? "--json" : values.timings ? "--timings" : "--require-pwsh"}\n\n${commandUsage(command)}`);
      return EXIT_USAGE;
    }
    const { watchBuild } = await import("../driver/watch.js");
    return watchBuild(io, root, values.out, evalTimeout);
  }

  // A refused --out is said before anything is compiled (the sources are checked after).
  if (command === "build" && values.out !== undefined) {
    const early = outputFolderProblem(root, resolve(values.out));
    if (early) {
      const d = [early];
      if (values.json) io.stdout(JSON.stringify({ ok: false, diagnostics: d, files: [], out: null }, null, 2) + "\n");
      else io.stderr(formatDiagnostics(d, () => undefined));
      return EXIT_INPUT;
    }
  }
  const startup = performance.now();
  const options = { root, emit: command === "build", typecheck: !values["no-typecheck"], requirePwsh, ...limit, ...(values["no-cache"] ? { noCache: true } : {}) };
  const timings: [string, number][] = [["start-up (Node.js, loading the compiler)", startup]];
  const printTimings = (): void => {
    if (values.timings) io.stderr(`fleetform: timings (ms)\n${timings.map(([step, ms]) => `  ${step.padEnd(42)} ${Math.round(ms).toString().padStart(6)}\n`).join("")}`);
  };
  // The persistent cache: a build of unchanged inputs whose output folder is as the build left it
  // prints what that build printed and writes nothing (compiler/driver/kept-build.ts).
  let disk: (PersistentCache & { readonly cache: DiskCache }) | undefined;
  // The output folder: --out, else the config's `out` (as the build or the kept build found it).
  const outputFolder = (configured: string | undefined): string => (values.out !== undefined ? resolve(values.out) : resolve(root, configured ?? "dist"));
  // What the last build left in it, as the build cache recorded it (with the cache only).
  const last = (out: string, files: readonly EmittedFile[]): LastWrite | undefined => (disk ? lastWrite(disk.cache, out, files) : undefined);
  let key: string | undefined;
  if (!values["no-cache"]) {
    // (entries written while the build goes on: flushed before it ends)
    const cache = DiskCache.open(values["cache-dir"], { writeBehind: true });
    disk = { cache, ...inputDigests(root, cache.dir) };
    key = buildKey(disk, resolveOptions(options));
    const kept = keptBuild(disk, key);
    timings.push(["cache: inputs hashed, build looked up", performance.now() - startup]);
    if (kept) {
      const checked = performance.now();
      const out = command === "build" && kept.ok ? outputFolder(kept.out) : undefined;
      const holds = out === undefined || (!outputFolderProblem(root, out, kept.read.map((f) => resolve(root, f))) && outputHolds(cache, key, out));
      if (out !== undefined) timings.push(["cache: output folder checked", performance.now() - checked]);
      if (holds) {
        const written = out !== undefined ? relative(process.cwd(), out) || "." : undefined;
        report(io, values.json, { sources: new Map(kept.sources), files: kept.files, modules: kept.modules, configurations: kept.configurations }, kept.diagnostics, written, true);
        timings.push(["total (from the cache)", performance.now() - startup]);
        printTimings();
        return exitCodeOf(kept.diagnostics);
      }
    }
  }
  const compiling = performance.now();
  // The output is written aside while pwsh finishes checking the generated files (the last step of
  // a build that fails nowhere else), then put in place if the build succeeds, else removed.
  // (set by the hook, during compile())
  let prepared = undefined as { out: string; output: PreparedOutput; last: LastWrite | undefined } | undefined;
  let aside = 0;
  const hooks: CompileHooks = {
    emitted: (files, configured, sources) => {
      if (command !== "build") return;
      const out = outputFolder(configured);
      if (outputFolderProblem(root, out, [...sources.keys()].map((f) => resolve(root, f)))) return;
      const started = performance.now();
      try {
        const lastWritten = last(out, files);
        prepared = { out, output: prepareOutput(out, files, lastWritten), last: lastWritten };
      } catch {
        // written (and the failure reported) after the build, as without this
      }
      aside = performance.now() - started;
    },
  };
  let result: CompileResult;
  try {
    result = await compile(options, undefined, disk, hooks);
  } catch (e) {
    prepared?.output.discard();
    throw e;
  }
  const compiled = performance.now();
  if (disk && key) keepBuild(disk, key, result);
  const diagnostics = [...result.diagnostics];
  let written: string | undefined;
  // (how many of the files were written, not kept as the last build left them)
  let writtenFiles: number | undefined;
  let writing = 0;
  if (command === "build" && result.ok) {
    const out = outputFolder(result.out);
    const problem = outputFolderProblem(root, out, [...result.sources.keys()].map((f) => resolve(root, f)));
    if (problem) {
      prepared?.output.discard();
      diagnostics.push(problem);
    } else {
      try {
        // With the cache: the files the folder already holds (as the last build left them) are kept, not written.
        const started = performance.now();
        const ready = prepared && prepared.out === out && prepared.output.files === result.files ? prepared.output : undefined;
        if (!ready) prepared?.output.discard();
        const lastWritten = ready ? prepared!.last : last(out, result.files);
        const state = ready ? ready.commit() : writeOutput(out, result.files, lastWritten);
        writing = performance.now() - started;
        written = relative(process.cwd(), out) || ".";
        writtenFiles = result.files.length - keptFiles(state, lastWritten);
        if (disk && key) recordOutput(disk.cache, key, out, state);
      } catch (e) {
        diagnostics.push(writeFailure(out, e));
      }
    }
  } else prepared?.output.discard();
  await disk?.cache.flush();
  disk?.cache.prune();
  const summary = { sources: result.sources, files: result.files.map((f) => f.path), modules: result.program?.modules.length ?? 0, configurations: result.program?.configurations.length ?? 0 };
  report(io, values.json, summary, diagnostics, written, false, writtenFiles);
  const done = performance.now();
  timings.push(...Object.entries(result.timings), ["compile (total)", compiled - compiling]);
  // (a build whose sources' spans and imports all come from the build cache parses nothing)
  const parserLoad = typescriptLoadTime();
  if (parserLoad !== undefined) timings.push(["(of which loading TypeScript's parser)", parserLoad]);
  // (the rest of the write step: the build cache's entries for the next build, and the summary)
  if (written !== undefined) timings.push(["write: output folder, aside (while pwsh checked)", aside], ["write: output folder", writing], ["write: build cache, summary", done - compiled - writing]);
  timings.push(["write", done - compiled]);
  printTimings();
  return exitCodeOf(diagnostics);
}

/**
 * `fleetform graph`: the picture on stdout or in --out, and the check's diagnostics on stderr. The
 * picture is drawn when the checks fail too (exit 1 then, as check); nothing is written when the
 * repo does not load.
 */
async function graph(io: Io, root: string, format: GraphFormat, outFile: string | undefined, evalTimeout: number | undefined): Promise<number> {
  const result = await moduleGraph(root, evalTimeout);
  const text = formatDiagnostics(result.diagnostics, (f) => result.sources.get(f));
  if (text) io.stderr(text);
  if (!result.model) return exitCodeOf(result.diagnostics);
  const picture = await renderGraph(result.model, format);
  if (outFile === undefined) io.stdout(picture);
  else {
    try {
      writeFileSync(resolve(outFile), picture);
    } catch (e) {
      io.stderr(formatDiagnostics([diag("OutputWriteFailed", { path: outFile, reason: e instanceof Error ? e.message : String(e) })], () => undefined));
      return EXIT_INPUT;
    }
  }
  return exitCodeOf(result.diagnostics);
}

/** Prints diagnostics (text on stderr, or `{ ok, diagnostics }` as JSON) and returns the exit code. */
function fail(io: Io, json: boolean, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> = new Map()): number {
  if (json) io.stdout(JSON.stringify({ ok: false, diagnostics }, null, 2) + "\n");
  else io.stderr(formatDiagnostics(diagnostics, (f) => sources.get(f)));
  return exitCodeOf(diagnostics);
}

/**
 * Runs <out>/tests/Invoke-Tests.ps1 under pwsh. Refuses an output folder that the sources would not
 * build as it is: the sources are compiled in memory and the manifest.json they give must equal the
 * output folder's (so a hand edit of a generated file is left for the generated tests to find).
 * Exit 0 when all tests passed, 1 when any failed or the output is missing or stale, 5 when pwsh or
 * Pester is missing.
 */
/** Where `fleetform test` writes its JUnit report without --junit, in the config repo. */
const DEFAULT_JUNIT = join(".fleetform", "test-results", "junit.xml");

async function test(io: Io, root: string, outOption: string | undefined, junit: string | undefined, json: boolean, evalTimeout: number | undefined): Promise<number> {
  // With PowerShell's check of the fragments (as build has): a watch session writes the output of
  // sources whose fragments PowerShell cannot parse, which those sources would build the same, so
  // only that check tells the tests would fail on the fragment, not on the configuration.
  const built = await compile({ root, emit: true, typecheck: false, ...(evalTimeout !== undefined ? { evalTimeout } : {}) });
  if (!built.ok || built.out === undefined) return fail(io, json, built.diagnostics, built.sources);
  const out = outOption !== undefined ? resolve(outOption) : resolve(root, built.out);
  const shown = relative(process.cwd(), out) || ".";
  const runner = join(out, "tests", "Invoke-Tests.ps1");
  const manifestFile = join(out, "manifest.json");
  for (const file of [manifestFile, runner]) {
    if (!existsSync(file)) return fail(io, json, [diag("OutputMissing", { out: shown, file: relative(out, file).split("\\").join("/") })]);
  }
  const manifest = built.files.find((f) => f.path === "manifest.json");
  const stale = staleness(readFileSync(manifestFile, "utf8"), manifest ? fileText(manifest) : undefined);
  if (stale) return fail(io, json, [diag("OutputStale", { out: shown, what: stale })]);
  // Every file of the build is there (the folder's manifest.json equals the build's, so it lists
  // these; whether each holds what it lists is the generated Manifest test's to say, and a deleted
  // Manifest.Tests.ps1 could not say it).
  const deleted = built.files.find((f) => !existsSync(join(out, ...f.path.split("/"))));
  if (deleted) return fail(io, json, [diag("OutputMissing", { out: shown, file: deleted.path })]);

  const pwsh = findPwsh(root);
  const noPwsh = (why: string): number => fail(io, json, [diag("ToolMissing", pwshMissing(why))]);
  if (!pwsh) return noPwsh(PWSH_NOT_FOUND);
  // e.g. `dotnet <pwsh.dll>` after the NuGet packages folder was cleared: dotnet would start and fail.
  const gone = pwsh.command.find((a) => isAbsolute(a) && !existsSync(a));
  if (gone) return noPwsh(`${gone} (from ${pwsh.from}) does not exist`);
  // (by default not in the output folder: the build owns it, and the next build would replace it,
  // report and all, instead of writing only what changed)
  const report = resolve(junit ?? join(root, DEFAULT_JUNIT));
  const reportProblem = reportPathProblem(report, root);
  if (reportProblem) return fail(io, json, [reportProblem]);
  if (junit === undefined) {
    machineFolder(join(root, ".fleetform"));
    mkdirSync(dirname(report), { recursive: true });
  }
  // A report left by an earlier run must not pass for this run's.
  rmSync(report, { force: true });
  if (!json) io.stdout(`fleetform: running the tests with pwsh from ${pwsh.from}\n`);
  const ran = runTests(pwsh, runner, report);
  if (ran.kind === "no-pwsh") return noPwsh(ran.why);
  if (ran.kind === "no-pester") {
    const how = `pwsh (${pwsh.command.join(" ")}, from ${pwsh.from}) cannot import Pester ${PESTER_RANGE.minimum} or a later 5.x; run \`npx fleetform setup\` in the config repo (Pester ${PESTER_VERSION} from NuGet into ${CONFIG_REPO_TOOLS.split("\\").join("/")})`;
    return fail(io, json, [diag("ToolMissing", { tool: TOOLS.pester, how })]);
  }
  const wrote = existsSync(report) ? `; JUnit report at ${relative(process.cwd(), report) || report}` : "; no JUnit report was written";
  const line = ran.code === 0 ? `fleetform: all tests passed${wrote}\n` : `fleetform: tests failed (exit ${ran.code})${wrote}\n`;
  if (json) io.stdout(JSON.stringify({ ok: ran.code === 0, diagnostics: [], junit: existsSync(report) ? report : null }, null, 2) + "\n");
  else io.stdout(line);
  return ran.code === 0 ? EXIT_OK : EXIT_INPUT;
}

/** Why the output folder's manifest.json differs from the one the sources build now (undefined: it does not). */
function staleness(onDisk: string, now: string | undefined): string | undefined {
  if (now === undefined || onDisk === now) return undefined;
  type Manifest = { generator?: string; files?: { path: string; sha256: string }[] };
  let old: Manifest;
  try {
    old = JSON.parse(onDisk) as Manifest;
  } catch {
    return "its manifest.json is not JSON";
  }
  const current = JSON.parse(now) as Manifest;
  if (old.generator !== current.generator) return `built by ${old.generator ?? "an unknown generator"}, this is ${current.generator}`;
  const before = new Map((old.files ?? []).map((f) => [f.path, f.sha256]));
  const after = new Map((current.files ?? []).map((f) => [f.path, f.sha256]));
  const changed = [...after].filter(([p, h]) => before.has(p) && before.get(p) !== h).map(([p]) => p);
  const added = [...after.keys()].filter((p) => !before.has(p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const parts = [
    changed.length ? `${changed.length} file(s) differ, e.g. ${changed[0]}` : "",
    added.length ? `${added.length} file(s) missing, e.g. ${added[0]}` : "",
    removed.length ? `${removed.length} file(s) no longer built, e.g. ${removed[0]}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "its manifest.json differs";
}

/** `fleetform setup`: PowerShell 7 and Pester 5 for this config repo, in <root>/.fleetform/tools. */
function setup(io: Io, root: string, json: boolean): number {
  const dir = join(root, CONFIG_REPO_TOOLS);
  const fromEnv = process.env.FLEETFORM_PWSH?.trim();
  const existing = fromEnv ? fromEnv.split(/\s+/) : pwshOnPath();
  try {
    machineFolder(join(root, ".fleetform"));
    mkdirSync(dir, { recursive: true });
    const tools = setupTools({ dir, ...(existing ? { existingPwsh: typeof existing === "string" ? [existing] : existing } : {}), log: json ? undefined : (line) => io.stderr(`fleetform setup: ${line}\n`) });
    const where = relative(process.cwd(), dir) || dir;
    if (json) io.stdout(JSON.stringify({ ok: true, diagnostics: [], tools: { ...tools, dir: where } }, null, 2) + "\n");
    else io.stdout(`fleetform: PowerShell ${tools.powershell} and Pester ${tools.pester} ready (${existing ? "pwsh from " + (fromEnv ? "FLEETFORM_PWSH" : "PATH") : "PowerShell from NuGet" + (tools.precompiled ? ", precompiled" : "")}); \`fleetform build\` and \`fleetform test\` use ${where}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof SetupError) return fail(io, json, [diag("ToolMissing", { tool: TOOLS[e.tool], how: e.message })]);
    // The tools folder could not be written (a read-only repo, a full disk).
    const path = (e as NodeJS.ErrnoException).path;
    if (typeof (e as NodeJS.ErrnoException).code === "string") return fail(io, json, [diag("OutputWriteFailed", { path: path ?? dir, reason: (e as Error).message })]);
    throw e;
  }
}

/** What a build (compiled now, or kept in the cache) reports. */
interface BuildSummary {
  readonly sources: ReadonlyMap<string, string>;
  readonly files: readonly string[];
  readonly modules: number;
  readonly configurations: number;
}

/** How many files of a write kept the stamp the last build left them with (kept, not written). */
function keptFiles(state: readonly FileState[], last: LastWrite | undefined): number {
  if (!last) return 0;
  return state.filter(([path, size, mtimeMs, ino]) => {
    const before = last.unchanged.get(path);
    return before !== undefined && before[0] === size && before[1] === mtimeMs && before[2] === ino;
  }).length;
}

/**
 * `upToDate`: the output folder already held the build (the cache's); nothing was written.
 * `writtenFiles`: how many of the files the write changed (the others were as the last build left them).
 */
function report(io: Io, json: boolean, result: BuildSummary, diagnostics: readonly Diagnostic[], written: string | undefined, upToDate = false, writtenFiles?: number): void {
  if (json) {
    io.stdout(JSON.stringify({ ok: !diagnostics.some((d) => d.severity === "error"), diagnostics, files: written ? result.files : [], out: written ?? null }, null, 2) + "\n");
    return;
  }
  const text = formatDiagnostics(diagnostics, (file) => result.sources.get(file));
  if (text) io.stderr(text);
  if (written !== undefined) {
    const counts = `(${counted(result.modules, "module")}, ${counted(result.configurations, "configuration")})`;
    const total = result.files.length;
    if (upToDate) io.stdout(`fleetform: ${written} is up to date: ${total} files ${counts}; nothing to write\n`);
    else if (writtenFiles === undefined || writtenFiles >= total) io.stdout(`fleetform: wrote ${total} files to ${written} ${counts}\n`);
    else io.stdout(`fleetform: wrote ${writtenFiles} of ${total} files to ${written} ${counts}; the other ${total - writtenFiles} were up to date\n`);
  } else if (!diagnostics.some((d) => d.severity === "error")) {
    // (the warnings are above, on stderr: "no errors" alone read as if there were none)
    const warnings = diagnostics.filter((d) => d.severity === "warning").length;
    io.stdout(`fleetform: no errors${warnings > 0 ? ` (${counted(warnings, "warning")}, above)` : ""}\n`);
  }
}
