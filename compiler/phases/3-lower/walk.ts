// Every part of lowered PowerShell code, in the order it is written: a fragment's parts and, inside
// them, a call's arguments, an array's items, a map's values and nested fragments and scripts (each
// part before what it holds).
import type * as ir from "./ir.js";

export function forEachPart(fragment: ir.Fragment, visit: (part: ir.Part) => void): void {
  for (const part of fragment.parts) forEachIn(part, visit);
}

/** `part` and every part it holds. */
export function forEachIn(part: ir.Part, visit: (part: ir.Part) => void): void {
  visit(part);
  switch (part.kind) {
    case "call":
      for (const a of part.args) forEachIn(a.value, visit);
      return;
    case "array":
      for (const item of part.items) forEachIn(item, visit);
      return;
    case "map":
      for (const e of part.entries) forEachIn(e.value, visit);
      return;
    case "fragment":
    case "script":
      forEachPart(part.fragment, visit);
      return;
    default:
      return;
  }
}
