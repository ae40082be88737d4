// Every PowerShell fragment of a program as the text that will run, with where it was written, so
// PowerShell's parser can check it during the build and errors point at the TypeScript template.
import type { Span } from "../../diagnostics/diagnostic.js";
import type * as ir from "../3-lower/ir.js";
import { printExpr, printFragment } from "./powershell/quote.js";
import { dedentShape } from "../../util/text.js";
import { scriptValues } from "../3-lower/safety.js";

export interface FragmentText {
  readonly id: string;
  /** "function Get-X", "the test of resource Y", "the TestScript of resource 'z' in configuration C". */
  readonly owner: string;
  readonly text: string;
  readonly origin?: Span;
  /** Blank lines dedent removed before the first line, to map line numbers back to the template. */
  readonly leading: number;
  /** Plain text (a string, not a template): its lines do not map to source lines; findings point at the value. */
  readonly literal?: boolean;
  /** Whose commands it may call: its module's (and its imports'), or its configuration's modules'. */
  readonly scope: { readonly module: string } | { readonly configuration: string };
  /**
   * Where the text of each `${...}` is, per line of `text`: [start, end) columns from 0; and the
   * indentation dedent removed from each line. Undefined when a value's text spans lines.
   */
  readonly values?: { readonly lines: readonly (readonly (readonly [number, number])[])[]; readonly cut: number };
}

function inline(fragment: ir.Fragment): string {
  // The text before dedent: only its leading blank lines matter here.
  return fragment.parts.map((p) => (p.kind === "text" ? p.text : "x")).join("");
}

function entry(id: string, owner: string, fragment: ir.Fragment, scope: FragmentText["scope"]): FragmentText {
  const lines = inline(fragment).replace(/\r\n?/g, "\n").split("\n");
  let leading = 0;
  while (leading < lines.length - 1 && lines[leading]!.trim() === "") leading++;
  const values = valuesOf(fragment);
  return { id, owner, text: printFragment(fragment), ...(fragment.origin ? { origin: fragment.origin } : {}), leading, scope, ...(values ? { values } : {}) };
}

/** FragmentText.values: the columns of each interpolated value's text in the printed fragment (printFragment: the parts joined, then dedented). */
function valuesOf(fragment: ir.Fragment): FragmentText["values"] {
  let inline = "";
  const ranges: [number, number][] = [];
  for (const p of fragment.parts) {
    const text = p.kind === "text" ? p.text : printExpr(p);
    if (text.includes("\r") || (p.kind !== "text" && text.includes("\n"))) return undefined;
    if (p.kind !== "text") ranges.push([inline.length, inline.length + text.length]);
    inline += text;
  }
  const { lines, leading, cut } = dedentShape(inline);
  const out: [number, number][][] = lines.map(() => []);
  let line = 0;
  let lineStart = 0;
  for (const [start, end] of ranges) {
    for (let next = inline.indexOf("\n", lineStart); next >= 0 && next < start; next = inline.indexOf("\n", lineStart)) {
      line++;
      lineStart = next + 1;
    }
    // (a value on a blank line dedent removed prints nothing there)
    out[line - leading]?.push([Math.max(0, start - lineStart - cut), Math.max(0, end - lineStart - cut)]);
  }
  return { lines: out, cut };
}

/** Every fragment of the program; of its modules, only those `module` picks (all by default). */
export function collectFragments(program: ir.Program, module: (m: ir.Module) => boolean = () => true): FragmentText[] {
  const out: FragmentText[] = [];
  for (const m of program.modules) {
    if (!module(m)) continue;
    for (const f of m.functions) out.push(entry(`${m.name}/${f.name}`, `function ${f.name}`, f.body, { module: m.name }));
    for (const r of m.resources) {
      for (const [part, fragment] of [["get", r.get], ["test", r.test], ["safe", r.safe], ["set", r.set]] as const) {
        if (fragment && fragment.parts.length > 0) out.push(entry(`${m.name}/${r.name}/${part}`, `the ${part} of resource ${r.name}`, fragment, { module: m.name }));
      }
    }
  }
  for (const c of program.configurations) {
    for (const r of c.resources) {
      for (const s of scriptValues(r)) {
        const id = `${c.name}/${r.id}/${s.name}`;
        const owner = `the ${s.name} of resource '${r.id}' in configuration ${c.name}`;
        if (s.value.kind === "script") out.push(entry(id, owner, s.value.fragment, { configuration: c.name }));
        else if (s.value.kind === "string") out.push({ id, owner, text: s.value.value, ...(s.origin ? { origin: s.origin } : {}), leading: 0, literal: true, scope: { configuration: c.name } });
      }
    }
  }
  return out;
}

/** The span in the TypeScript source of line `line` (1-based) of a fragment's text. */
export function fragmentLineSpan(f: FragmentText, line: number, source: string | undefined): Span | undefined {
  if (!f.origin) return undefined;
  if (f.literal) return f.origin;
  const tsLine = f.origin.start.line + f.leading + line - 1;
  const text = source?.split("\n")[tsLine - 1];
  if (text === undefined) return f.origin;
  const start = text.length - text.trimStart().length + 1;
  return { file: f.origin.file, start: { line: tsLine, column: start }, end: { line: tsLine, column: Math.max(start + 1, text.trimEnd().length + 1) } };
}

/**
 * The span in the TypeScript source of the text at line/column..endColumn of a fragment (PowerShell's
 * extent of a token or error): found where the fragment's line stands verbatim in the template line,
 * else at the same occurrence of the text itself (a line holding an interpolated value), else the
 * whole line.
 */
export function fragmentSpan(f: FragmentText, at: { line: number; column: number; endLine?: number; endColumn?: number; text?: string }, source: string | undefined): Span | undefined {
  const whole = fragmentLineSpan(f, at.line, source);
  if (f.literal || !whole || !f.origin || source === undefined) return whole;
  const tsLine = source.split("\n")[whole.start.line - 1];
  const fragmentLine = f.text.split("\n")[at.line - 1];
  if (tsLine === undefined || fragmentLine === undefined) return whole;
  const end = at.endLine === undefined || at.endLine === at.line ? (at.endColumn ?? at.column + 1) : fragmentLine.length + 1;
  const span = (start: number, width: number): Span => ({ file: whole.file, start: { line: whole.start.line, column: start }, end: { line: whole.start.line, column: start + Math.max(1, width) } });
  // On the template's first line, only what follows its opening backtick is the fragment.
  const from = whole.start.line === f.origin.start.line ? Math.max(0, tsLine.indexOf("`", f.origin.start.column - 1) + 1) : 0;
  const exact = f.values && alignValues(fragmentLine, f.values.lines[at.line - 1] ?? [], tsLine, from + f.values.cut);
  if (exact) {
    const first = exact(at.column - 1);
    const last = exact(Math.max(at.column, end - 1) - 1);
    return { file: whole.file, start: { line: whole.start.line, column: first[0] + 1 }, end: { line: whole.start.line, column: Math.max(first[0], last[1]) + 2 } };
  }
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

/**
 * Maps a column of a fragment's line to the template's line, when the template's line is the
 * fragment's with each `${...}` in place of its value's text (`values`; the fragment's line starts at
 * `start` of the template's): a column of the fragment's own text maps to the same character of the
 * template, one in a value's text to the whole `${...}`. Returns [first, last] columns (from 0) of
 * the template; undefined when the lines do not match so (a `${...}` spanning lines, a value the
 * template line does not hold).
 */
function alignValues(fragmentLine: string, values: readonly (readonly [number, number])[], tsLine: string, start: number): ((column: number) => readonly [number, number]) | undefined {
  const holes = templateHoles(tsLine, start);
  if (!holes || holes.length !== values.length) return undefined;
  // The text between the values is the template's verbatim (ps keeps the template's raw text).
  let f = 0;
  let t = start;
  for (let i = 0; i <= values.length; i++) {
    const [fs, fe] = values[i] ?? [fragmentLine.length, fragmentLine.length];
    const [ts, te] = holes[i] ?? [t + (fragmentLine.length - f), 0];
    if (fragmentLine.slice(f, fs) !== tsLine.slice(t, ts)) return undefined;
    f = fe;
    t = te;
  }
  return (column) => {
    let fPrev = 0;
    let tPrev = start;
    for (let i = 0; i < values.length; i++) {
      const [fs, fe] = values[i]!;
      if (column < fs) break;
      if (column < fe) return [holes[i]![0], holes[i]![1] - 1];
      fPrev = fe;
      tPrev = holes[i]![1];
    }
    const at = tPrev + (column - fPrev);
    return [at, at];
  };
}

/** The `${...}` of a template's line from `start` on: [start, end) columns from 0 (undefined when one does not end on the line). */
function templateHoles(line: string, start: number): [number, number][] | undefined {
  const holes: [number, number][] = [];
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "`") break;
    if (c !== "$" || line[i + 1] !== "{") continue;
    let depth = 0;
    let j = i + 1;
    for (; j < line.length; j++) {
      const d = line[j];
      if (d === "'" || d === '"' || d === "`") {
        // a string inside the expression: to its closing quote
        for (j++; j < line.length && line[j] !== d; j++) if (line[j] === "\\") j++;
        continue;
      }
      if (d === "{") depth++;
      else if (d === "}" && --depth === 0) break;
    }
    if (j >= line.length) return undefined;
    holes.push([i, j + 1]);
    i = j;
  }
  return holes;
}
