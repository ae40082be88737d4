// Disruptive changes need a guard: a resource whose `set` reboots, renames, removes, uninstalls,
// stops services or changes ACLs must have `safe`; Restart-Computer is never called directly.
// Detection reads the commands a fragment calls, following calls into the program's own functions.
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../../context.js";
import type * as ir from "./ir.js";

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

export function checkSafety(ctx: CompileContext, modules: readonly ir.Module[]): void {
  const functions = new Map(modules.flatMap((m) => m.functions.map((f) => [f.name.toLowerCase(), f] as const)));
  const restart = /\bRestart-Computer\b/i;
  for (const m of modules) {
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
}
