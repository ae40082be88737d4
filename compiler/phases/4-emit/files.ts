/** A file an emitter produced: its path under the output folder and its content. */
export interface EmittedFile {
  readonly path: string;
  /** Text (written as UTF-8) or bytes (DSC documents are UTF-16LE). */
  readonly content: string | Uint8Array;
  /** The repo-relative TypeScript source it came from (for manifest.json). */
  readonly source: string;
}

export const GENERATED = "Do not edit: change the TypeScript source and rebuild.";

/** PowerShell files: LF line endings, trailing newline, and a UTF-8 BOM when not pure ASCII (5.1 reads BOM-less files as ANSI). */
export function powershellFile(path: string, text: string, source: string): EmittedFile {
  const body = text.replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n").replace(/\n*$/, "\n");
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7F]*$/.test(body);
  return { path, content: ascii ? body : "\uFEFF" + body, source };
}
