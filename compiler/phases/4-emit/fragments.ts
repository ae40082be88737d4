// Every PowerShell fragment of a program as the text that will run, with where it was written, so
// PowerShell's parser can check it during the build and errors point at the TypeScript template.
import type { Span } from "../../diagnostics/diagnostic.js";
import type * as ir from "../3-lower/ir.js";
import { printExpr, printFragment } from "./powershell/quote.js";
import type { ts } from "ts-morph";
import { dedentShape, LineIndex } from "../../util/text.js";
import { typescript } from "../../util/typescript.js";
import { scriptValues } from "../3-lower/safety.js";
import { templateText } from "../3-lower/fragments.js";

export interface FragmentText {
  readonly id: string;
  /** "function Get-X", "the test of resource Y", "the TestScript of resource 'z' in configuration C". */
  readonly owner: string;
  readonly text: string;
  readonly origin?: Span;
  /** Plain text (a string, not a template): its lines do not map to source lines; findings point at the value. */
  readonly literal?: boolean;
  /** Whose commands it may call: its module's (and its imports'), or its configuration's modules'. */
  readonly scope: { readonly module: string } | { readonly configuration: string };
  /**
   * The fragment the text was printed from (not for plain text): where each character of the text
   * was written is found from it and the template in the source when a finding needs it (writtenAt).
   */
  readonly fragment?: ir.Fragment;
  /** The parameters of the function the text is the body of (a resource's properties, a fn's parameters), with their types. */
  readonly parameters?: readonly ir.Param[];
}

function entry(id: string, owner: string, fragment: ir.Fragment, scope: FragmentText["scope"], parameters?: readonly ir.Param[]): FragmentText {
  return { id, owner, text: printFragment(fragment), ...(fragment.origin ? { origin: fragment.origin } : {}), scope, fragment, ...(parameters ? { parameters } : {}) };
}

/** Every fragment of the program; of its modules, only those `module` picks (all by default). */
export function collectFragments(program: ir.Program, module: (m: ir.Module) => boolean = () => true): FragmentText[] {
  const out: FragmentText[] = [];
  for (const m of program.modules) {
    if (!module(m)) continue;
    for (const f of m.functions) out.push(entry(`${m.name}/${f.name}`, `function ${f.name}`, f.body, { module: m.name }, f.params));
    for (const r of m.resources) {
      for (const [part, fragment] of [["get", r.get], ["test", r.test], ["safe", r.safe], ["set", r.set]] as const) {
        if (fragment && fragment.parts.length > 0) out.push(entry(`${m.name}/${r.name}/${part}`, `the ${part} of resource ${r.name}`, fragment, { module: m.name }, r.properties));
      }
    }
  }
  for (const c of program.configurations) {
    for (const r of c.resources) {
      for (const s of scriptValues(r)) {
        const id = `${c.name}/${r.id}/${s.name}`;
        const owner = `the ${s.name} of resource '${r.id}' in configuration ${c.name}`;
        if (s.value.kind === "script") out.push(entry(id, owner, s.value.fragment, { configuration: c.name }));
        else if (s.value.kind === "string") out.push({ id, owner, text: s.value.value, ...(s.origin ? { origin: s.origin } : {}), literal: true, scope: { configuration: c.name } });
      }
    }
  }
  return out;
}


/** Where a character of a fragment's text was written: a place (1-based) in a template's own text, or the `${...}` whose value printed it. */
type Written = Place | { readonly hole: { readonly file: string; readonly start: Position; readonly end: Position } };
type Position = { readonly line: number; readonly column: number };
type Place = Position & { readonly file: string };

/** A source file's text by its repo-relative path (the build's sources). */
export type SourceText = (file: string) => string | undefined;

/** writtenAt's maps, made on first need (null: the template was not found, or does not print as the text). */
const maps = new WeakMap<FragmentText, readonly (readonly Written[])[] | null>();

/**
 * Per line of a fragment's text, where each of its characters was written, and where its line
 * ends (one entry more than the line's length): read from the template in the source, whose
 * texts are the fragment's own (ps keeps the template's raw text) and whose `${...}` printed its
 * values; a ps`...` fragment interpolated into it (a helper's, another file's) maps to its own
 * template. Undefined for plain text, or when the source's template does not print as the text
 * (then fragmentSpan falls back on finding the line's text in the template).
 */
function writtenAt(f: FragmentText, sources: SourceText): readonly (readonly Written[])[] | undefined {
  let map = maps.get(f);
  if (map === undefined) {
    map = (f.fragment && !f.literal && templateMap(f.fragment, sources, f.text)) || null;
    maps.set(f, map);
  }
  return map ?? undefined;
}

/** Sources parsed to find templates in, by text (a finding's fragments mostly share a file or two). */
const parsed = new Map<string, { readonly file: ts.SourceFile; readonly lines: LineIndex }>();

/** The template literal whose tag (its name, for `x.tag`) starts at `origin`: its texts and `${...}`, as [start, end) offsets into `source`. */
function templateIn(source: string, origin: Span): { readonly lines: LineIndex; readonly texts: readonly (readonly [number, number])[]; readonly holes: readonly (readonly [number, number])[] } | undefined {
  const ts = typescript();
  let known = parsed.get(source);
  if (!known) {
    if (parsed.size >= 8) parsed.clear();
    known = { file: ts.createSourceFile(origin.file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS), lines: new LineIndex(source) };
    parsed.set(source, known);
  }
  const { file, lines } = known;
  const offset = lines.offset(origin.start.line, origin.start.column);
  let found: ts.TaggedTemplateExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.pos || offset > node.end) return;
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = ts.isPropertyAccessExpression(node.tag) ? node.tag.name : node.tag;
      if (tag.getStart(file) === offset) {
        found = node;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found) return undefined;
  const template = found.template;
  if (ts.isNoSubstitutionTemplateLiteral(template)) return { lines, texts: [[template.getStart(file) + 1, template.end - 1]], holes: [] };
  const texts: [number, number][] = [[template.head.getStart(file) + 1, template.head.end - 2]];
  const holes: [number, number][] = [];
  let before: ts.Node = template.head;
  for (const span of template.templateSpans) {
    const literal = span.literal;
    const start = literal.getStart(file);
    holes.push([before.end - 2, start + 1]);
    texts.push([start + 1, literal.end - (ts.isTemplateTail(literal) ? 1 : 2)]);
    before = literal;
  }
  return { lines, texts, holes };
}

/**
 * A fragment printed inline (its parts joined, as printExpr prints one inside another), with where
 * each character was written, and where its template ends; undefined when its template is not
 * found or does not print as its parts.
 */
function inlineOf(fragment: ir.Fragment, sources: SourceText, depth = 0): { readonly inline: string; readonly at: readonly Written[]; readonly end: Place } | undefined {
  const origin = fragment.origin;
  const source = origin && sources(origin.file);
  const template = source !== undefined && depth <= 64 ? templateIn(source, origin!) : undefined;
  if (!template) return undefined;
  const file = origin!.file;
  const { lines, texts, holes } = template;
  const place = (offset: number): Place => ({ file, ...lines.position(offset) });
  let inline = "";
  const at: Written[] = [];
  let p = 0;
  for (let i = 0; i < texts.length; i++) {
    // The template's raw text (LF for CRLF and CR, as the engine gives it), then as lowering reads
    // it (templateText, which only drops backslashes), with where each character is written.
    const [start, end] = texts[i]!;
    let raw = "";
    const rawAt: number[] = [];
    for (let k = start; k < end; k++) {
      if (source![k] === "\r" && source![k + 1] === "\n") continue;
      raw += source![k] === "\r" ? "\n" : source![k];
      rawAt.push(k);
    }
    const cooked = templateText(raw);
    for (let r = 0, c = 0; c < cooked.length; r++) {
      if (r >= raw.length) return undefined;
      if (raw[r] !== cooked[c]) {
        if (raw[r] !== "\\") return undefined;
        continue;
      }
      at.push(place(rawAt[r]!));
      c++;
    }
    if (cooked !== "") {
      const part = fragment.parts[p++];
      if (part?.kind !== "text" || part.text !== cooked) return undefined;
    }
    inline += cooked;
    if (i < holes.length) {
      const part = fragment.parts[p++];
      if (!part || part.kind === "text") return undefined;
      const printed = printExpr(part);
      // A fragment inside: its characters where its own template has them.
      const nested = part.kind === "fragment" ? inlineOf(part.fragment, sources, depth + 1) : undefined;
      if (nested && nested.inline === printed) at.push(...nested.at);
      else {
        const hole = { hole: { file, start: lines.position(holes[i]![0]), end: lines.position(holes[i]![1]) } };
        for (let k = 0; k < printed.length; k++) at.push(hole);
      }
      inline += printed;
    }
  }
  if (p !== fragment.parts.length) return undefined;
  return { inline, at, end: place(texts[texts.length - 1]![1]) };
}

function templateMap(fragment: ir.Fragment, sources: SourceText, text: string): readonly (readonly Written[])[] | undefined {
  const made = inlineOf(fragment, sources);
  if (!made) return undefined;
  const { inline, end } = made;
  const at = [...made.at, end];
  // printFragment's dedent: the blank lines at the start go, and `cut` characters of every line.
  const { lines: kept, leading, cut } = dedentShape(inline);
  if (kept.map((l) => (l.trim() === "" ? "" : l.slice(cut))).join("\n") !== text) return undefined;
  const map: Written[][] = [];
  let offset = 0;
  for (let skip = 0; skip < leading; skip++) offset = inline.indexOf("\n", offset) + 1;
  for (const line of kept) {
    const from = line.trim() === "" ? offset + line.length : offset + cut;
    map.push(at.slice(from, offset + line.length + 1));
    offset += line.length + 1;
  }
  return map;
}

/** The file a character was written in. */
function fileOf(w: Written): string {
  return "hole" in w ? w.hole.file : w.file;
}

/** The start of a place a character was written (a `${...}`: its `${`). */
function startOf(w: Written): Position {
  return "hole" in w ? w.hole.start : { line: w.line, column: w.column };
}

/** Just past a place a character was written (a `${...}`: past its `}`); `from` is where the span starts (in the same file). */
function endOf(w: Written, from: Written): Position {
  if (fileOf(w) !== fileOf(from)) return { line: startOf(from).line, column: startOf(from).column + 1 };
  return "hole" in w ? w.hole.end : { line: w.line, column: w.column + 1 };
}

/** The span in the TypeScript source of line `line` (1-based) of a fragment's text. */
export function fragmentLineSpan(f: FragmentText, line: number, sources: SourceText): Span | undefined {
  if (!f.origin) return undefined;
  if (f.literal) return f.origin;
  const written = writtenAt(f, sources)?.[line - 1];
  const own = f.text.split("\n")[line - 1];
  if (written && own !== undefined) {
    const first = written[own.length - own.trimStart().length]!;
    const last = written[Math.min(Math.max(own.length - own.trimStart().length, own.trimEnd().length - 1), written.length - 1)]!;
    return { file: fileOf(first), start: startOf(first), end: endOf(last, first) };
  }
  const source = sources(f.origin.file);
  // (the template was not found: the fragment's lines are counted from the template's first)
  const tsLine = f.origin.start.line + leadingOf(f) + line - 1;
  const text = source?.split("\n")[tsLine - 1];
  if (text === undefined) return f.origin;
  const start = text.length - text.trimStart().length + 1;
  return { file: f.origin.file, start: { line: tsLine, column: start }, end: { line: tsLine, column: Math.max(start + 1, text.trimEnd().length + 1) } };
}

/** The blank lines dedent removed before a fragment's first line. */
function leadingOf(f: FragmentText): number {
  if (!f.fragment) return 0;
  // (the text before dedent: only its leading blank lines matter here)
  const lines = f.fragment.parts.map((p) => (p.kind === "text" ? p.text : "x")).join("").replace(/\r\n?/g, "\n").split("\n");
  let leading = 0;
  while (leading < lines.length - 1 && lines[leading]!.trim() === "") leading++;
  return leading;
}

/**
 * The span in the TypeScript source of the text at line/column..endColumn of a fragment (PowerShell's
 * extent of a token or error): the same characters of the template, where a value's text stands for
 * its whole `${...}`. When the template is not found as written: where the fragment's line stands
 * verbatim in the template line, else at the same occurrence of the text itself (a line holding an
 * interpolated value), else the whole line.
 */
export function fragmentSpan(f: FragmentText, at: { line: number; column: number; endLine?: number; endColumn?: number; text?: string }, sources: SourceText): Span | undefined {
  const whole = fragmentLineSpan(f, at.line, sources);
  const source = f.origin ? sources(f.origin.file) : undefined;
  if (f.literal || !whole || !f.origin || source === undefined) return whole;
  const fragmentLine = f.text.split("\n")[at.line - 1];
  if (fragmentLine === undefined) return whole;
  const end = at.endLine === undefined || at.endLine === at.line ? (at.endColumn ?? at.column + 1) : fragmentLine.length + 1;
  const written = writtenAt(f, sources)?.[at.line - 1];
  if (written) {
    const first = written[Math.min(at.column - 1, written.length - 1)]!;
    const last = written[Math.min(Math.max(at.column, end - 1) - 1, written.length - 1)]!;
    return { file: fileOf(first), start: startOf(first), end: endOf(last, first) };
  }
  const tsLine = source.split("\n")[whole.start.line - 1];
  if (tsLine === undefined) return whole;
  const span = (start: number, width: number): Span => ({ file: whole.file, start: { line: whole.start.line, column: start }, end: { line: whole.start.line, column: start + Math.max(1, width) } });
  // On the template's first line, only what follows its opening backtick is the fragment.
  const from = whole.start.line === f.origin.start.line ? Math.max(0, tsLine.indexOf("`", f.origin.start.column - 1) + 1) : 0;
  const trimmed = fragmentLine.trim();
  const indent = fragmentLine.length - fragmentLine.trimStart().length;
  if (trimmed) {
    const verbatim = tsLine.indexOf(trimmed);
    if (verbatim >= 0 && tsLine.indexOf(trimmed, verbatim + 1) < 0) return span(verbatim + 1 + (at.column - 1 - indent), end - at.column);
  }
  const text = fragmentLine.slice(at.column - 1, end - 1);
  // The text, else its first word (a longer extent may hold an interpolated value the template spells differently).
  for (const token of new Set([text, text.split(/\s/)[0]!])) {
    if (!token.trim()) continue;
    let k = 0;
    for (let i = fragmentLine.indexOf(token); i >= 0 && i < at.column - 1; i = fragmentLine.indexOf(token, i + 1)) k++;
    let i = tsLine.indexOf(token, from);
    for (; i >= 0 && k > 0; k--) i = tsLine.indexOf(token, i + 1);
    if (i >= 0) return span(i + 1, token.length);
  }
  return whole;
}
