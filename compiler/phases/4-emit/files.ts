import { sha256 } from "../../util/hash.js";

/** A file an emitter produced: its path under the output folder and its content. */
export interface EmittedFile {
  readonly path: string;
  /**
   * Text (written as UTF-8) or bytes (DSC documents are UTF-16LE). A file kept in the persistent
   * cache reads it from there when first asked for (4-emit/kept.ts): a build that writes only what
   * changed never reads the rest, so ask for its hash (fileHash) or size (fileSize) instead when
   * they are all that is needed.
   */
  readonly content: string | Uint8Array;
  /** The repo-relative TypeScript source it came from (for manifest.json). */
  readonly source: string;
}

/** sha256 of files whose hash is known already (kept with them in the persistent cache, or computed once). */
const hashes = new WeakMap<EmittedFile, string>();
/** Byte sizes of files whose size is known without their content (kept with them in the persistent cache, or met while hashing). */
const sizes = new WeakMap<EmittedFile, number>();

/** The sha256 of a file's bytes (manifest.json), computed once per file. */
export function fileHash(file: EmittedFile): string {
  let hash = hashes.get(file);
  if (hash === undefined) {
    const bytes = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
    sizes.set(file, bytes.byteLength);
    hashes.set(file, (hash = sha256(bytes)));
  }
  return hash;
}

/** Records a file's sha256, known without hashing it (the file was kept with it). */
export function knowHash(file: EmittedFile, sha256: string): void {
  hashes.set(file, sha256);
}

/** A file's content as text (UTF-8). */
export function fileText(file: EmittedFile): string {
  return typeof file.content === "string" ? file.content : Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength).toString("utf8");
}

/** A file's size in bytes (as written). */
export function fileSize(file: EmittedFile): number {
  const known = sizes.get(file);
  if (known !== undefined) return known;
  return typeof file.content === "string" ? Buffer.byteLength(file.content, "utf8") : file.content.byteLength;
}

/** Records a file's size, known without reading its content. */
export function knowSize(file: EmittedFile, size: number): void {
  sizes.set(file, size);
}

export const GENERATED = "Do not edit: change the TypeScript source and rebuild.";

/** PowerShell files: LF line endings, trailing newline, and a UTF-8 BOM when not pure ASCII (5.1 reads BOM-less files as ANSI). */
export function powershellFile(path: string, text: string, source: string): EmittedFile {
  // One pass over the lines (regexes anchored at line ends are slow on large files): no trailing
  // blanks, no more than one empty line in a row, exactly one newline at the end.
  const lines = (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text).split("\n");
  const out: string[] = [];
  let ascii = true;
  let blank = 0;
  for (const raw of lines) {
    let end = raw.length;
    while (end > 0 && (raw.charCodeAt(end - 1) === 32 || raw.charCodeAt(end - 1) === 9)) end--;
    const line = end === raw.length ? raw : raw.slice(0, end);
    if (line === "") {
      blank++;
      continue;
    }
    if (out.length > 0) out.push(blank > 0 ? "\n\n" : "\n");
    blank = 0;
    out.push(line);
    // eslint-disable-next-line no-control-regex
    if (ascii && /[^\x00-\x7F]/.test(line)) ascii = false;
  }
  const body = out.join("") + "\n";
  return { path, content: ascii ? body : "\uFEFF" + body, source };
}
