// `fleetform plan --base <dir | git ref> [dir] [--json] [--fail-on-change]`: builds the base and
// the head in memory (nothing is written), diffs them and prints the plan.
//
// Type checking: the head is type-checked like `fleetform check` (unless --no-typecheck); the base
// never is. A base materialised from a git ref sits in a temporary folder where `import ... from
// "fleetform"` does not resolve for tsc (the evaluator supplies fleetform's API itself), it was
// checked when it was committed, and the type check never changes the output.
import { compile, type CompileResult } from "../driver/compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatDiagnostic, formatDiagnostics } from "../diagnostics/format.js";
import { EXIT_CHANGES, EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, exitCodeOf } from "../cli/exit-codes.js";
import type { Io } from "../cli/io.js";
import { isBaseProblem, resolveBase } from "./base.js";
import { diffBuilds, type Plan } from "./diff.js";
import { renderMarkdown } from "./markdown.js";
import { counted } from "../util/text.js";

export interface PlanCommandOptions {
  /** --base as given. */
  readonly base: string;
  /** The head config repo (absolute) and how it was named on the command line. */
  readonly root: string;
  readonly dir: string;
  readonly json: boolean;
  readonly failOnChange: boolean;
  readonly typecheck: boolean;
  /** FF3024 (fragments not parsed, e.g. no pwsh) is an error (exit 5). */
  readonly requirePwsh: boolean;
  /** Milliseconds an evaluation of a config source may run (CompileOptions.evalTimeout). */
  readonly evalTimeout?: number;
}

export async function planCommand(io: Io, options: PlanCommandOptions): Promise<number> {
  const base = resolveBase(options.base, options.root);
  if (isBaseProblem(base)) {
    io.stderr(`fleetform: ${base.problem}\n`);
    return base.usage ? EXIT_USAGE : EXIT_INPUT;
  }
  let baseResult: CompileResult;
  let headResult: CompileResult;
  try {
    // One after the other: compiles evaluate author code in this process.
    const limit = options.evalTimeout !== undefined ? { evalTimeout: options.evalTimeout } : {};
    baseResult = await compile({ root: base.root, toolsRoot: options.root, typecheck: false, requirePwsh: options.requirePwsh, ...limit });
    headResult = await compile({ root: options.root, typecheck: options.typecheck, requirePwsh: options.requirePwsh, ...limit });
  } finally {
    base.cleanup();
  }

  const diagnostics: LabelledDiagnostic[] = [
    ...baseResult.diagnostics.map((d) => ({ ...d, build: "base" as const })),
    ...headResult.diagnostics.map((d) => ({ ...d, build: "head" as const })),
  ];
  const failed = !baseResult.ok || !headResult.ok || !baseResult.program || !headResult.program;
  let plan: Plan | undefined;
  if (!failed) plan = diffBuilds({ program: baseResult.program!, files: baseResult.files }, { program: headResult.program!, files: headResult.files });

  const labels = { base: base.label, head: options.dir };
  if (options.json) {
    io.stdout(JSON.stringify({ ok: !failed, base: labels.base, head: labels.head, diagnostics, plan: plan ?? null }, null, 2) + "\n");
  } else {
    const text = [
      // The base's info notes were shown when it was built; its warnings and errors still matter here.
      labelled(baseResult.diagnostics.filter((d) => d.severity !== "info"), baseResult, `base (${labels.base})`),
      formatDiagnostics(headResult.diagnostics, (f) => headResult.sources.get(f)),
    ].filter(Boolean).join("\n");
    if (text) io.stderr(text);
    if (plan) io.stdout(renderMarkdown(plan, labels));
  }
  const code = exitCodeOf(diagnostics);
  if (code === EXIT_INTERNAL) return code;
  if (failed) return code === EXIT_ENVIRONMENT ? EXIT_ENVIRONMENT : EXIT_INPUT;
  return options.failOnChange && plan!.changed ? EXIT_CHANGES : EXIT_OK;
}

type LabelledDiagnostic = Diagnostic & { readonly build: "base" | "head" };

/** The base's diagnostics, each line headed `base: ` and the count naming the base. */
function labelled(diagnostics: readonly Diagnostic[], result: CompileResult, name: string): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const summary = [errors ? counted(errors, "error") : "", warnings ? counted(warnings, "warning") : ""].filter(Boolean).join(", ");
  return diagnostics.map((d) => `base: ${formatDiagnostic(d, (f) => result.sources.get(f))}`).join("\n\n") + `\n\n${summary} in the ${name}\n`;
}
