// Every PowerShell fragment of a program as the text that will run, with where it was written, so
// PowerShell's parser can check it during the build and errors point at the TypeScript template.
import type { Span } from "../../diagnostics/diagnostic.js";
import type * as ir from "../3-lower/ir.js";
import { printFragment } from "./powershell/quote.js";
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
}

function inline(fragment: ir.Fragment): string {
  // The text before dedent: only its leading blank lines matter here.
  return fragment.parts.map((p) => (p.kind === "text" ? p.text : "x")).join("");
}

function entry(id: string, owner: string, fragment: ir.Fragment): FragmentText {
  const lines = inline(fragment).replace(/\r\n?/g, "\n").split("\n");
  let leading = 0;
  while (leading < lines.length - 1 && lines[leading]!.trim() === "") leading++;
  return { id, owner, text: printFragment(fragment), ...(fragment.origin ? { origin: fragment.origin } : {}), leading };
}

export function collectFragments(program: ir.Program): FragmentText[] {
  const out: FragmentText[] = [];
  for (const m of program.modules) {
    for (const f of m.functions) out.push(entry(`${m.name}/${f.name}`, `function ${f.name}`, f.body));
    for (const r of m.resources) {
      for (const [part, fragment] of [["get", r.get], ["test", r.test], ["safe", r.safe], ["set", r.set]] as const) {
        if (fragment && fragment.parts.length > 0) out.push(entry(`${m.name}/${r.name}/${part}`, `the ${part} of resource ${r.name}`, fragment));
      }
    }
  }
  for (const c of program.configurations) {
    for (const r of c.resources) {
      for (const s of scriptValues(r)) {
        const id = `${c.name}/${r.id}/${s.name}`;
        const owner = `the ${s.name} of resource '${r.id}' in configuration ${c.name}`;
        if (s.value.kind === "script") out.push(entry(id, owner, s.value.fragment));
        else if (s.value.kind === "string") out.push({ id, owner, text: s.value.value, ...(s.origin ? { origin: s.origin } : {}), leading: 0, literal: true });
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
