// Disruptive changes need a guard: a resource whose `set` reboots, renames, removes, uninstalls,
// stops services or changes ACLs must have `safe`; Restart-Computer is never called directly.
// Detection reads the commands a fragment calls, following calls into the program's own functions.
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type * as ir from "./ir.js";
import { forEachPart } from "./walk.js";
import type { Span } from "../../diagnostics/diagnostic.js";

/** Commands (or command + switch) that disrupt a node, with what they do. */
const DISRUPTIVE: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\bRestart-Computer\b/i, what: "reboots" },
  { pattern: /\bStop-Computer\b/i, what: "shuts down" },
  { pattern: /\bRename-Computer\b/i, what: "renames the computer" },
  { pattern: /\b(Add|Remove)-Computer\b/i, what: "changes the domain membership" },
  { pattern: /\bRemove-Item\b[^\n;|]*-Recurse\b/i, what: "removes a tree (Remove-Item -Recurse)" },
  { pattern: /\bUninstall-[A-Za-z]+\b/i, what: "uninstalls" },
  { pattern: /\bmsiexec(\.exe)?\b[^\n;|]*\/x\b/i, what: "uninstalls (msiexec /x)" },
  { pattern: /\bStop-Service\b/i, what: "stops a service" },
  { pattern: /\bRestart-Service\b/i, what: "restarts a service" },
  { pattern: /\bStop-Process\b/i, what: "stops processes" },
  { pattern: /\bSet-Acl\b/i, what: "changes an ACL" },
  { pattern: /\b(Remove|Disable)-Local(User|Group|GroupMember)\b/i, what: "removes or disables local accounts" },
  { pattern: /\b(Format-Volume|Clear-Disk|Remove-Partition)\b/i, what: "erases a disk" },
  { pattern: /\bDisable-NetAdapter\b/i, what: "disables a network adapter" },
];

/** The PowerShell text a fragment holds, plus the bodies of the program's functions it calls (transitively). */
function reachableText(fragment: ir.Fragment, functions: ReadonlyMap<string, ir.Function>, seen = new Set<string>()): string {
  const out: string[] = [];
  const visit = (e: ir.Part): void => {
    switch (e.kind) {
      case "text":
      case "raw":
        out.push(e.text);
        return;
      case "string":
      case "number":
      case "boolean":
      case "null":
      case "variable":
      case "runtime":
        // A value stands where it is written, so `Remove-Item ${path} -Recurse` stays one statement.
        out.push("$value");
        return;
      case "call": {
        // The command with its switches, as the statement reads (Remove-Item -Recurse through an extern).
        out.push([e.command, ...e.switches.filter((s) => s.on).map((s) => `-${s.name}`)].join(" "));
        e.args.forEach((a) => visit(a.value));
        const fn = functions.get(e.command.toLowerCase());
        if (fn && !seen.has(fn.name)) {
          seen.add(fn.name);
          out.push("\n" + reachableText(fn.body, functions, seen) + "\n");
        }
        return;
      }
      case "array":
        e.items.forEach(visit);
        return;
      case "map":
        e.entries.forEach((x) => visit(x.value));
        return;
      case "fragment":
      case "script":
        out.push(reachableText(e.fragment, functions, seen));
        return;
      default:
        return;
    }
  };
  fragment.parts.forEach(visit);
  return out.join("");
}

export function disruption(set: ir.Fragment, functions: ReadonlyMap<string, ir.Function>): string | undefined {
  const text = reachableText(set, functions);
  return DISRUPTIVE.find((d) => d.pattern.test(text))?.what;
}

/** The text of PowerShell code held as a value: plain text as written, a fragment with the functions it calls. */
function codeText(value: ir.Expr, functions: ReadonlyMap<string, ir.Function>): string {
  if (value.kind === "string") return value.value;
  if (value.kind === "script" || value.kind === "fragment") return reachableText(value.fragment, functions);
  return "";
}

/**
 * DSC Script resources in configurations: their scripts, plain text or fragments, get the checks a
 * resource type's fragments get. Restart-Computer is refused in every script; a disruptive
 * SetScript needs the `safe` option (or `disruptive: false`).
 */
function checkScripts(ctx: CompileContext, configurations: readonly ir.Configuration[], functions: ReadonlyMap<string, ir.Function>): void {
  const restart = /\bRestart-Computer\b/i;
  for (const c of configurations) {
    for (const r of c.resources) {
      const scripts = scriptValues(r);
      if (scripts.length === 0) continue;
      let restarts = false;
      for (const s of scripts) {
        if (restart.test(codeText(s.value, functions))) {
          ctx.diagnostics.add(diag("RestartComputer", { owner: `the ${s.name} of resource '${r.id}' in configuration ${c.name}` }, s.origin ?? r.origin));
          if (s.name === "SetScript") restarts = true;
        }
      }
      const set = scripts.find((s) => s.name === "SetScript");
      // A SetScript that calls Restart-Computer has its one diagnostic already.
      if (!set || restarts || r.safe || r.disruptive === false) continue;
      const why = r.disruptive ? "declared disruptive" : DISRUPTIVE.find((d) => d.pattern.test(codeText(set.value, functions)))?.what;
      if (why) ctx.diagnostics.add(diag("ScriptDisruptiveWithoutSafe", { id: r.id, configuration: c.name, why }, set.origin ?? r.origin));
    }
  }
}

export function checkSafety(ctx: CompileContext, modules: readonly ir.Module[], configurations: readonly ir.Configuration[] = []): void {
  const functions = new Map(modules.flatMap((m) => m.functions.map((f) => [f.name.toLowerCase(), f] as const)));
  checkScripts(ctx, configurations, functions);
  // A module's findings depend on its IR and on the program's functions its `set`s reach, found as
  // disruption() finds them (by name): in a watch session they are reused while all of those are
  // the same objects. The names each module calls are kept with its IR.
  const calls = new Map(modules.map((m) => [m, ctx.memo("safety: calls", m, [m], () => calledBy(m))] as const));
  const bodyCalls = new Map<ir.Function, readonly string[]>();
  for (const c of calls.values()) for (const [fn, names] of c.bodies) bodyCalls.set(fn, names);
  for (const m of modules) {
    const reached = (): unknown[] => [m, ...reachedFunctions(calls.get(m)!.sets, functions, bodyCalls)];
    ctx.memo("safety", m, reached, () => checkModule(ctx, m, functions));
  }
}

function checkModule(ctx: CompileContext, m: ir.Module, functions: ReadonlyMap<string, ir.Function>): void {
  const restart = /\bRestart-Computer\b/i;
  for (const f of m.functions) {
    if (restart.test(reachableText(f.body, new Map()))) ctx.diagnostics.add(diag("RestartComputer", { owner: `function ${f.name}` }, f.body.origin ?? f.origin));
  }
  for (const r of m.resources) {
    for (const [part, fragment] of [["get", r.get], ["test", r.test], ["set", r.set], ["safe", r.safe]] as const) {
      if (fragment && restart.test(reachableText(fragment, new Map()))) {
        ctx.diagnostics.add(diag("RestartComputer", { owner: `the ${part} of resource ${r.name}` }, fragment.origin ?? r.origin));
      }
    }
    if (r.safe || r.disruptive === false) continue;
    const why = r.disruptive ? "declared disruptive" : r.reboot === "after-set" ? "it needs a reboot" : disruption(r.set, functions);
    if (why) ctx.diagnostics.add(diag("DisruptiveWithoutSafe", { resource: r.name, why }, r.set.origin ?? r.origin));
  }
}

/** The commands a module's resources' `set`s call, and those its functions' bodies call (lowercased, as reachableText looks them up). */
function calledBy(m: ir.Module): { sets: readonly string[]; bodies: readonly (readonly [ir.Function, readonly string[]])[] } {
  const sets: string[] = [];
  for (const r of m.resources) calledNames(r.set, sets);
  return { sets, bodies: m.functions.map((f) => [f, calledNames(f.body, [])] as const) };
}

/** The names of the commands a fragment calls (nested fragments and arguments included), added to `out`. */
function calledNames(fragment: ir.Fragment, out: string[]): string[] {
  forEachPart(fragment, (part) => {
    if (part.kind === "call") out.push(part.command.toLowerCase());
  });
  return out;
}

/** Every name reachableText may look up from `names` (following the bodies it finds), with what it finds: undefined for none. */
function reachedFunctions(names: readonly string[], functions: ReadonlyMap<string, ir.Function>, bodyCalls: ReadonlyMap<ir.Function, readonly string[]>): (ir.Function | undefined)[] {
  const found: (ir.Function | undefined)[] = [];
  const seen = new Set<string>();
  const visit = (list: readonly string[]): void => {
    for (const name of list) {
      if (seen.has(name)) continue;
      seen.add(name);
      const fn = functions.get(name);
      found.push(fn);
      if (fn) visit(bodyCalls.get(fn) ?? calledNames(fn.body, []));
    }
  };
  visit(names);
  return found;
}

/** A resource's PowerShell code held as values (a dsc.Script's scripts and its safe script), in a fixed order. */
export function scriptValues(r: ir.Resource): { name: string; value: ir.Expr; origin?: Span }[] {
  const out: { name: string; value: ir.Expr; origin?: Span }[] = [];
  for (const s of r.scripts ?? []) {
    const value = r.properties.find((p) => p.name === s.name)?.value;
    if (value) out.push({ name: s.name, value, ...(s.origin ? { origin: s.origin } : {}) });
  }
  if (r.safe) out.push({ name: "safe script", value: r.safe.value, ...(r.safe.origin ? { origin: r.safe.origin } : {}) });
  return out;
}
