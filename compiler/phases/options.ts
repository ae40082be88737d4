import { isAbsolute, resolve } from "node:path";

export interface CompileOptions {
  /** The config repo (the folder holding fleetform.config.ts). */
  readonly root: string;
  /** Run TypeScript's type checker over the config repo. @default true */
  readonly typecheck?: boolean;
  /** Produce files (build) or only diagnostics (check). @default true */
  readonly emit?: boolean;
  /** Parse every PowerShell fragment with pwsh during the build (skipped, with a warning, when pwsh is missing). @default true */
  readonly pwshCheck?: boolean;
  /** A fragment check that could not run (FF3024, e.g. no pwsh) is an error, not a warning (the CLI's --require-pwsh, implied by CI=true). @default false */
  readonly requirePwsh?: boolean;
  /** Seconds since 1970 for dates written into output (DSC headers). @default the SOURCE_DATE_EPOCH environment variable, else 0 */
  readonly sourceDateEpoch?: number;
  /**
   * Milliseconds each evaluation of a config source (with the sources it imports) may run before it
   * is stopped with FF1022; 0: no limit. @default 10000
   */
  readonly evalTimeout?: number;
  /**
   * The CLI's --no-cache: without a persistent cache, pwsh compiles the fragment check's C# in memory
   * in every build. Otherwise the compiled check is kept in the given cache, else in the default one.
   * @default false
   */
  readonly noCache?: boolean;
  /**
   * The config repo whose `fleetform setup` (.fleetform/tools) gives the build its pwsh: `plan`
   * builds its base (a git ref, copied into a temporary folder) with the tools of the repo it plans.
   * @default root
   */
  readonly toolsRoot?: string;
}

export interface ResolvedOptions {
  readonly root: string;
  readonly toolsRoot: string;
  readonly typecheck: boolean;
  readonly emit: boolean;
  readonly pwshCheck: boolean;
  readonly requirePwsh: boolean;
  readonly sourceDateEpoch?: number;
  readonly evalTimeout: number;
}

/** The default of CompileOptions.evalTimeout, in milliseconds. */
export const DEFAULT_EVAL_TIMEOUT = 10_000;

/** All defaults live here. */
export function resolveOptions(options: CompileOptions): ResolvedOptions {
  const root = isAbsolute(options.root) ? options.root : resolve(options.root);
  return {
    root,
    toolsRoot: options.toolsRoot === undefined ? root : resolve(options.toolsRoot),
    typecheck: options.typecheck ?? true,
    emit: options.emit ?? true,
    pwshCheck: options.pwshCheck ?? true,
    requirePwsh: options.requirePwsh ?? false,
    evalTimeout: options.evalTimeout ?? DEFAULT_EVAL_TIMEOUT,
    ...sourceDate(options.sourceDateEpoch),
  };
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org) when it is a whole number of seconds. */
function sourceDate(given: number | undefined): { sourceDateEpoch?: number } {
  if (given !== undefined) return { sourceDateEpoch: given };
  const env = process.env.SOURCE_DATE_EPOCH;
  return env !== undefined && /^\d+$/.test(env) ? { sourceDateEpoch: Number(env) } : {};
}
