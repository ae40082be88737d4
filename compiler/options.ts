import { isAbsolute, resolve } from "node:path";

export interface CompileOptions {
  /** The config repo (the folder holding fleetform.config.ts). */
  readonly root: string;
  /** Run TypeScript's type checker over the config repo. @default true */
  readonly typecheck?: boolean;
  /** Produce files (build) or only diagnostics (check). @default true */
  readonly emit?: boolean;
}

export interface ResolvedOptions {
  readonly root: string;
  readonly typecheck: boolean;
  readonly emit: boolean;
}

/** All defaults live here. */
export function resolveOptions(options: CompileOptions): ResolvedOptions {
  return {
    root: isAbsolute(options.root) ? options.root : resolve(options.root),
    typecheck: options.typecheck ?? true,
    emit: options.emit ?? true,
  };
}
