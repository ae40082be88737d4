// The CLI's exit codes, in one place: README's "Exit codes" table lists the same (test/unit/exit-codes.test.ts).
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { messages } from "../diagnostics/messages.js";

/** Nothing wrong (warnings and info notes do not count). */
export const EXIT_OK = 0;
/** Errors in the input (or failing tests, or a missing or stale output folder for `test`). */
export const EXIT_INPUT = 1;
/** The command line: an unknown command or option, a bad option value, a missing argument. */
export const EXIT_USAGE = 2;
/** A bug in fleetform (FF9001), or a broken installation of it. */
export const EXIT_INTERNAL = 3;
/** `plan --fail-on-change` found changes. */
export const EXIT_CHANGES = 4;
/** The environment: a tool is missing (pwsh, Pester, the .NET SDK); nothing is wrong with the input. */
export const EXIT_ENVIRONMENT = 5;

/** Errors that say the machine lacks something: FF1017, and FF3024 when it is an error (--require-pwsh). */
const ENVIRONMENT = new Set<string>([messages.ToolMissing.code, messages.FragmentsNotParsed.code]);

/** 3 for an internal error, 1 for any error in the input, 5 when the only errors are the environment's, else 0. */
export function exitCodeOf(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.some((d) => d.code === messages.InternalError.code)) return EXIT_INTERNAL;
  if (errors.length === 0) return EXIT_OK;
  return errors.every((d) => ENVIRONMENT.has(d.code)) ? EXIT_ENVIRONMENT : EXIT_INPUT;
}
