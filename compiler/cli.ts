// The command line: argv → compile() → write files → print diagnostics → exit code.
// The only place (with write.ts) that writes to disk. Exit codes: 0 ok, 1 errors in the input,
// 2 usage, 3 internal error.
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compile, type CompileResult } from "./compile.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { formatDiagnostics } from "./diagnostics/format.js";
import { diag } from "./diagnostics/messages.js";
import { fleetformPackage } from "./util/package.js";
import { findPwsh, runPwshScript } from "./pwsh.js";
import { init } from "./init/index.js";
import { watchBuild } from "./watch.js";
import { writeOutput } from "./write.js";
import { planCommand } from "./plan/command.js";

const USAGE = `Usage: fleetform <command> [dir] [options]

Commands:
  build [dir]   type-check and compile the config repo in dir (default .) and write its output folder
  check [dir]   everything build checks; writes nothing
  test [dir]    run the built output's Pester tests under pwsh (PowerShell 7, Pester 5) and write JUnit XML
  init [dir]    write a new config repo (two layers, two resources, a configuration, a buildspec) into an empty
                folder, or one holding only package.json (kept; init adds its scripts), node_modules and .git
  plan --base <dir | git ref> [dir]
                compare the build of dir (default .) with the base's (a config repo folder, or a git
                ref of the repository holding dir) and print the changes as Markdown for a pull request

Options:
  --out <dir>       output folder (default: fleetform.config.ts's out, usually dist)
  --json            print diagnostics (and written files) as JSON on stdout
  --no-typecheck    skip TypeScript's type check (faster; only for experiments)
  --timings         build, check: print where the time went (milliseconds per step) on stderr
  --junit <file>    test: where the JUnit report goes (default <out>/tests/junit.xml)
  --watch           build: rebuild on every change, rewriting only the files that changed
  --base <dir|ref>  plan: what to compare with (the base is compiled without the type check)
  --fail-on-change  plan: exit 4 when the plan has changes
  -h, --help        this help
  -v, --version     fleetform's version

Exit codes: 0 ok, 1 errors in the input, 2 usage, 3 internal error, 4 plan --fail-on-change: changes.
`;

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        junit: { type: "string" },
        watch: { type: "boolean", default: false },
        base: { type: "string" },
        "fail-on-change": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "no-typecheck": { type: "boolean", default: false },
        timings: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (e) {
    io.stderr(`fleetform: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${fleetformPackage().version}\n`);
    return 0;
  }
  const [command, dir = ".", ...extra] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? 0 : 2;
  }
  if ((command !== "build" && command !== "check" && command !== "test" && command !== "plan" && command !== "init") || extra.length > 0) {
    io.stderr(`fleetform: ${extra.length > 0 ? `unexpected argument '${extra[0]}'` : `unknown command '${command}'`}\n\n${USAGE}`);
    return 2;
  }
  if (command === "init") {
    const done = init(dir);
    if ("diagnostic" in done) {
      io.stderr(formatDiagnostics([done.diagnostic], (f) => done.sources.get(f)));
      return 1;
    }
    const merged = done.merged.length > 0 ? `; added to ${done.merged.join(" and ")}` : "";
    const next = `${resolve(dir) === process.cwd() ? "" : `cd ${dir} && `}npm install && npx fleetform build && npx fleetform test`;
    io.stdout(`fleetform: wrote a config repo to ${dir} (${done.files.length - done.merged.length} files${merged}). Next: ${next}\n`);
    return 0;
  }
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    io.stderr(`fleetform: '${dir}' is not a folder\n`);
    return 2;
  }

  if (command === "test") return test(io, root, values.out, values.junit);
  if (command === "plan") {
    if (values.base === undefined) {
      io.stderr(`fleetform: plan needs --base <dir | git ref>\n\n${USAGE}`);
      return 2;
    }
    return planCommand(io, { base: values.base, root, dir, json: values.json, failOnChange: values["fail-on-change"], typecheck: !values["no-typecheck"] });
  }

  if (values.watch) {
    if (command !== "build") {
      io.stderr(`fleetform: --watch goes with build\n\n${USAGE}`);
      return 2;
    }
    if (values.json || values.timings) {
      io.stderr(`fleetform: --watch prints a line per rebuild; it does not go with ${values.json ? "--json" : "--timings"}\n\n${USAGE}`);
      return 2;
    }
    return watchBuild(io, root, values.out);
  }

  const startup = performance.now();
  const result = await compile({ root, emit: command === "build", typecheck: !values["no-typecheck"] });
  const compiled = performance.now();
  const diagnostics = [...result.diagnostics];
  let written: string | undefined;
  if (command === "build" && result.ok) {
    const out = values.out !== undefined ? resolve(values.out) : resolve(root, result.out ?? "dist");
    const problem = outProblem(root, out, [...result.sources.keys()].map((f) => resolve(root, f)));
    if (problem) {
      diagnostics.push(diag("OptionInvalid", { message: problem }));
    } else {
      try {
        writeOutput(out, result.files);
        written = relative(process.cwd(), out) || ".";
      } catch (e) {
        diagnostics.push(diag("OptionInvalid", { message: `could not write ${out}: ${(e as Error).message}` }));
      }
    }
  }
  report(io, values.json, result, diagnostics, written);
  if (values.timings) {
    const steps: [string, number][] = [["start-up (Node.js, loading the compiler)", startup], ...Object.entries(result.timings), ["compile (total)", compiled - startup], ["write", performance.now() - compiled]];
    io.stderr(`fleetform: timings (ms)\n${steps.map(([step, ms]) => `  ${step.padEnd(42)} ${Math.round(ms).toString().padStart(6)}\n`).join("")}`);
  }
  if (diagnostics.some((d) => d.code === "FF9001")) return 3;
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** Runs <out>/tests/Invoke-Tests.ps1 under pwsh. Exit 0 when all tests passed, 1 when any failed, 3 when pwsh is missing. */
async function test(io: Io, root: string, outOption: string | undefined, junit: string | undefined): Promise<number> {
  let out = outOption !== undefined ? resolve(outOption) : undefined;
  if (out === undefined) {
    const loaded = await compile({ root, emit: false, typecheck: false });
    if (!loaded.ok || loaded.out === undefined) {
      io.stderr(formatDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)));
      return 1;
    }
    out = resolve(root, loaded.out);
  }
  const runner = join(out, "tests", "Invoke-Tests.ps1");
  if (!existsSync(runner)) {
    io.stderr(`fleetform: ${runner} does not exist; run \`fleetform build\` first\n`);
    return 1;
  }
  const pwsh = findPwsh();
  if (!pwsh) {
    io.stderr("fleetform: PowerShell 7 (pwsh) was not found: install it, put it on PATH or set FLEETFORM_PWSH\n");
    return 3;
  }
  const report = resolve(junit ?? join(out, "tests", "junit.xml"));
  const code = runPwshScript(pwsh, runner, ["-JUnitPath", report]);
  io.stdout(code === 0 ? `fleetform: all tests passed; JUnit report at ${relative(process.cwd(), report) || report}\n` : `fleetform: tests failed (exit ${code}); JUnit report at ${relative(process.cwd(), report) || report}\n`);
  return code === 0 ? 0 : 1;
}

/** The output folder must be a folder of its own: not the repo, not above it, not holding sources. */
function outProblem(root: string, out: string, sources: readonly string[]): string | undefined {
  const rel = relative(out, root);
  if (rel === "" || !rel.startsWith("..")) return `the output folder ${out} is the config repo or contains it; choose a folder of its own (e.g. dist)`;
  if (existsSync(join(out, "fleetform.config.ts"))) return `the output folder ${out} holds a fleetform.config.ts; refusing to replace a config repo`;
  const inside = sources.find((s) => !relative(out, s).startsWith("..") && relative(out, s) !== "");
  if (inside) return `the output folder ${out} holds a source of this build (${relative(root, inside)}); the build replaces the whole folder, so choose one of its own`;
  return undefined;
}

function report(io: Io, json: boolean, result: CompileResult, diagnostics: readonly Diagnostic[], written: string | undefined): void {
  if (json) {
    io.stdout(JSON.stringify({ ok: !diagnostics.some((d) => d.severity === "error"), diagnostics, files: written ? result.files.map((f) => f.path) : [], out: written ?? null }, null, 2) + "\n");
    return;
  }
  const text = formatDiagnostics(diagnostics, (file) => result.sources.get(file));
  if (text) io.stderr(text);
  if (written !== undefined && result.program) {
    const p = result.program;
    io.stdout(`fleetform: wrote ${result.files.length} files to ${written} (${p.modules.length} modules, ${p.configurations.length} configurations)\n`);
  } else if (!diagnostics.some((d) => d.severity === "error")) {
    io.stdout("fleetform: no errors\n");
  }
}
