// fleetform's compiler API. Everything else under compiler/ is private.
export { compile } from "./driver/compile.js";
export type { CompileResult } from "./driver/compile.js";
export type { CompileOptions } from "./phases/options.js";
export type { Diagnostic, Note, Position, Severity, Span } from "./diagnostics/diagnostic.js";
export { formatDiagnostic, formatDiagnostics } from "./diagnostics/format.js";
export type { EmittedFile } from "./phases/4-emit/files.js";
export type * as ir from "./phases/3-lower/ir.js";
export { writeOutput } from "./driver/write.js";
