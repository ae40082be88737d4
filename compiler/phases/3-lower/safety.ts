// Disruptive changes need a guard: a resource whose `set` reboots, renames, removes, uninstalls,
// stops services or changes ACLs must have `safe`; Restart-Computer is never called directly.
// Detection reads the commands a fragment calls, following calls into the program's own functions.
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import type * as ir from "./ir.js";
import type { Span } from "../../diagnostics/diagnostic.js";
import { commandsIn, parameterValue, type WrittenCommand } from "../../powershell/commands.js";
import { LineIndex } from "../../util/text.js";
import { taggedTemplateAt } from "../1-load/lexical.js";

/**
 * Commands (or command + switch) that disrupt a node, found by name anywhere in the text, even in a
 * string some other command runs (`Start-Job ([scriptblock]::Create('Stop-Service ...'))`): the
 * fallback behind the commands the text runs as PowerShell resolves them (disruptionOf).
 */
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
  // The same through .NET and CIM/WMI methods, which no command name shows: a service's
  // ServiceController.Stop() / Pause(), Win32_Service's StopService / PauseService / Delete,
  // a process's Kill(), Win32_OperatingSystem's Reboot / Shutdown / Win32Shutdown.
  { pattern: /\b(Get-Service|ServiceController)\b[\s\S]*\.(Stop|Pause)\(\s*\)/i, what: "stops a service (ServiceController.Stop())" },
  { pattern: /\b(StopService|PauseService)\b/i, what: "stops a service (Win32_Service.StopService)" },
  { pattern: /\bWin32_Service\b[\s\S]*\b(Delete\(\s*\)|(-MethodName|-Name)\s+['"]?Delete\b)/i, what: "removes a service (Win32_Service.Delete)" },
  { pattern: /\b(Get-Process)\b[\s\S]*\.Kill\(/i, what: "stops processes (Process.Kill())" },
  { pattern: /\bWin32Shutdown(Tracker)?\b|\bWin32_OperatingSystem\b[\s\S]*\b(Reboot|Shutdown)\b/i, what: "reboots or shuts down (Win32_OperatingSystem)" },
];

/** In-box commands that disrupt a node whatever their arguments, by lower-case name. */
const DISRUPTIVE_COMMANDS: ReadonlyMap<string, string> = new Map([
  ["restart-computer", "reboots"],
  ["stop-computer", "shuts down"],
  ["rename-computer", "renames the computer"],
  ["add-computer", "changes the domain membership"],
  ["remove-computer", "changes the domain membership"],
  ["disable-windowsoptionalfeature", "uninstalls"],
  ["remove-windowspackage", "uninstalls"],
  ["remove-windowscapability", "uninstalls"],
  ["remove-appxpackage", "uninstalls"],
  ["remove-appxprovisionedpackage", "uninstalls"],
  ["stop-service", "stops a service"],
  ["suspend-service", "stops a service"],
  ["restart-service", "restarts a service"],
  ["stop-process", "stops processes"],
  ["set-acl", "changes an ACL"],
  ["remove-localuser", "removes or disables local accounts"],
  ["disable-localuser", "removes or disables local accounts"],
  ["remove-localgroup", "removes or disables local accounts"],
  ["remove-localgroupmember", "removes or disables local accounts"],
  ["format-volume", "erases a disk"],
  ["clear-disk", "erases a disk"],
  ["remove-partition", "erases a disk"],
  ["disable-netadapter", "disables a network adapter"],
  ["restart-netadapter", "restarts a network adapter"],
]);

/** A native program's argument, any case, written with / or - (`/r`, `-r`, `/grant:r`). */
const arg = (cmd: WrittenCommand, ...names: string[]): string | undefined =>
  cmd.args.find((a) => names.some((n) => new RegExp(`^[/-]${n}(:.*)?$`, "i").test(a)));

/** What FF3021 says to do instead: a resource type asks the runtime; a dsc.Script has no such option. */
const RESOURCE_REBOOT = 'reboots go through the runtime (a resource type\'s reboot: "after-set"), which asks SSM Agent with exit 3010 and guards against reboot loops';
const SCRIPT_REBOOT = 'a dsc.Script cannot ask for a reboot: write a resource type with reboot: "after-set" (the runtime asks SSM Agent with exit 3010 and guards against reboot loops)';

/** How a command reboots the computer (FF3021), as the message says it: undefined when it does not. */
function rebootOf(cmd: WrittenCommand): string | undefined {
  if (!cmd.native && cmd.name.toLowerCase() === "restart-computer") return "calls Restart-Computer";
  if (cmd.native && cmd.name.toLowerCase() === "shutdown") {
    const how = arg(cmd, "r", "g");
    if (how) return `runs shutdown ${how}`;
  }
  return undefined;
}

/** What a command does that disrupts a node (aliases and abbreviated parameters resolved), else undefined. */
function disruptionOf(cmd: WrittenCommand): string | undefined {
  const name = cmd.name.toLowerCase();
  if (!cmd.native) {
    const known = DISRUPTIVE_COMMANDS.get(name);
    if (known) return known;
    if (name.startsWith("uninstall-")) return "uninstalls";
    if (name === "remove-item") {
      const recurse = parameterValue(cmd, "Recurse", { isSwitch: true });
      if (recurse !== undefined && !/^\$false$/i.test(String(recurse))) return "removes a tree (Remove-Item -Recurse)";
    }
    if (name === "set-service") {
      const status = parameterValue(cmd, "Status");
      if (status !== undefined && !/^running$/i.test(String(status))) return "stops a service (Set-Service -Status)";
    }
    return undefined;
  }
  const first = cmd.args[0]?.toLowerCase();
  switch (name) {
    case "shutdown": {
      const how = arg(cmd, "r", "g", "s", "sg", "p", "h", "l");
      return how ? (/^[/-][rg](:|$)/i.test(how) ? `reboots (shutdown ${how})` : `shuts down (shutdown ${how})`) : undefined;
    }
    case "msiexec": {
      const how = cmd.args.find((a) => /^[/-](x|uninstall)/i.test(a));
      return how ? `uninstalls (msiexec ${how.slice(0, 2)})` : undefined;
    }
    case "wusa":
      return arg(cmd, "uninstall") ? "uninstalls (wusa /uninstall)" : undefined;
    case "dism": {
      const how = arg(cmd, "disable-feature", "remove-package", "remove-capability", "remove-provisionedappxpackage", "remove-driver");
      return how ? `uninstalls (dism ${how.replace(/:.*/, "")})` : undefined;
    }
    case "sc":
      return first === "stop" || first === "pause" ? `stops a service (sc.exe ${first})` : first === "delete" ? "removes a service (sc.exe delete)" : undefined;
    case "net":
    case "net1":
      if (first === "stop" || first === "pause") return `stops a service (net ${first})`;
      return (first === "user" || first === "localgroup") && arg(cmd, "delete", "del") ? "removes or disables local accounts (net user /delete)" : undefined;
    case "taskkill":
    case "tskill":
      return `stops processes (${name})`;
    case "icacls": {
      const how = arg(cmd, "grant", "deny", "remove", "reset", "setowner", "inheritance", "restore", "setintegritylevel");
      return how ? `changes an ACL (icacls ${how})` : undefined;
    }
    case "cacls":
      return arg(cmd, "e", "g", "r", "p", "d", "t") ? "changes an ACL (cacls)" : undefined;
    case "takeown":
      return "changes an ACL (takeown)";
    case "format":
      return "erases a disk (format)";
    case "rd":
    case "rmdir":
      return arg(cmd, "s") ? `removes a tree (${name} /s)` : undefined;
    case "del":
    case "erase":
      return arg(cmd, "s") ? `removes a tree (${name} /s)` : undefined;
    default:
      return undefined;
  }
}

/**
 * The commands `text` runs, with those it hands to another shell or program as text: `cmd /c ...`
 * (read as cmd reads it: no PowerShell aliases), Start-Process's program and arguments, and
 * Invoke-Expression's string.
 */
function runCommands(text: string, shell: "powershell" | "cmd" = "powershell", depth = 0): WrittenCommand[] {
  const out: WrittenCommand[] = [];
  for (const cmd of commandsIn(text, { aliases: shell === "powershell" })) {
    out.push(cmd);
    if (depth > 3) continue;
    const name = cmd.name.toLowerCase();
    if (cmd.native && name === "cmd") {
      const at = cmd.args.findIndex((a) => /^\/[ck]$/i.test(a));
      if (at >= 0) out.push(...runCommands(cmd.args.slice(at + 1).join(" "), "cmd", depth + 1));
    } else if (!cmd.native && name === "start-process") {
      const file = parameterValue(cmd, "FilePath") ?? cmd.args.find((a) => !a.startsWith("-"));
      const list = parameterValue(cmd, "ArgumentList");
      if (typeof file === "string") out.push(...runCommands(`& '${file.replace(/'/g, "''")}' ${typeof list === "string" ? list.replace(/,/g, " ") : ""}`, "powershell", depth + 1));
    } else if (!cmd.native && name === "invoke-expression") {
      const code = parameterValue(cmd, "Command") ?? cmd.args.find((a) => !a.startsWith("-"));
      if (typeof code === "string") out.push(...runCommands(code, "powershell", depth + 1));
    }
  }
  return out;
}

/** What in `text` disrupts a node: the commands it runs first, then any disruptive name in it. */
function disruptionIn(text: string): string | undefined {
  for (const cmd of runCommands(text)) {
    const what = disruptionOf(cmd);
    if (what) return what;
  }
  return DISRUPTIVE.find((d) => d.pattern.test(text))?.what;
}

/** How `text` reboots the computer itself (FF3021): Restart-Computer named anywhere, or shutdown /r. */
function rebootIn(text: string): string | undefined {
  if (/\bRestart-Computer\b/i.test(text)) return "calls Restart-Computer";
  for (const cmd of runCommands(text)) {
    const how = rebootOf(cmd);
    if (how) return how;
  }
  return undefined;
}

/**
 * The PowerShell text a fragment holds, plus the bodies of the program's functions it calls
 * (transitively): through `${fn(...)}`, after the call, and by name in its text
 * (`Stop-AcmeService -Name $Name`), at the end.
 */
export function reachableText(fragment: ir.Fragment, functions: ReadonlyMap<string, ir.Function>, seen = new Set<string>()): string {
  const out: string[] = [];
  // (the fragment's own text, its `${fn(...)}` calls' bodies left out: where its calls by name are read)
  const own: string[] = [];
  const both = (text: string): void => {
    out.push(text);
    own.push(text);
  };
  const visit = (e: ir.Part): void => {
    switch (e.kind) {
      case "text":
      case "raw":
        both(e.text);
        return;
      case "string":
      case "number":
      case "boolean":
      case "null":
      case "variable":
      case "runtime":
        // A value stands where it is written, so `Remove-Item ${path} -Recurse` stays one statement.
        both("$value");
        return;
      case "call": {
        // The command with its switches and arguments, as the statement reads (Remove-Item
        // -Recurse through an extern), in parentheses as a command inside a statement.
        both(`(${[e.command, ...e.switches.filter((s) => s.on).map((s) => `-${s.name}`)].join(" ")}`);
        for (const a of e.args) {
          both(` -${a.name} `);
          visit(a.value);
        }
        both(")");
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
        // (a nested fragment reads its own calls by name)
        out.push(reachableText(e.fragment, functions, seen));
        own.push("$value");
        return;
      default:
        return;
    }
  };
  fragment.parts.forEach(visit);
  if (functions.size > 0) {
    // (as the commands run: also those handed to Invoke-Expression, Start-Process or cmd /c as text)
    for (const c of runCommands(own.join(""))) {
      const fn = functions.get(c.name.toLowerCase());
      if (fn && !seen.has(fn.name)) {
        seen.add(fn.name);
        out.push("\n" + reachableText(fn.body, functions, seen) + "\n");
      }
    }
  }
  return out.join("");
}

/**
 * When a set is disruptive only through a function it calls: ", through <function>", the first one
 * it calls whose code (with what that calls) is; else "". Asked only for a diagnostic.
 */
function through(set: ir.Fragment, functions: ReadonlyMap<string, ir.Function>): string {
  const own = reachableText(set, new Map());
  if (disruptionIn(own)) return "";
  for (const c of runCommands(own)) {
    const fn = functions.get(c.name.toLowerCase());
    if (fn && disruptionIn(reachableText(fn.body, functions))) return `, through ${fn.name}`;
  }
  return "";
}

/**
 * What to look for in a set's template to point at what makes it disruptive: the first disruptive
 * command its own text runs (by the name it runs as), else the name list's match, else the first
 * function it calls that is disruptive.
 */
function disruptiveWord(set: ir.Fragment, functions: ReadonlyMap<string, ir.Function>): RegExp | undefined {
  const own = reachableText(set, new Map());
  const commands = runCommands(own);
  const word = (name: string): RegExp => new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "i");
  const command = commands.find((c) => disruptionOf(c));
  if (command) return word(command.name);
  const listed = DISRUPTIVE.find((d) => d.pattern.test(own));
  if (listed) return listed.pattern;
  const fn = commands
    .map((c) => functions.get(c.name.toLowerCase()))
    .find((f) => f && disruptionIn(reachableText(f.body, functions)));
  return fn ? word(fn.name) : undefined;
}

/** The words FF3021 is about, as a template writes them. */
const REBOOT_WORDS = /\bRestart-Computer\b|(?<![\w-])shutdown(\.exe)?(?![\w-])/i;

/**
 * Where `pattern` first matches in the template at `origin` (a fragment's: its tag's place), as a
 * span of the source: a closer place than the template's start. The template's start when it does
 * not match there (a command reached through a value, or an alias), undefined without an origin.
 */
function placeIn(ctx: CompileContext, origin: Span | undefined, pattern: RegExp | undefined): Span | undefined {
  const text = origin ? ctx.sources.get(origin.file) : undefined;
  if (!origin || !pattern || text === undefined) return origin;
  const lines = new LineIndex(text);
  const template = taggedTemplateAt(text, lines.offset(origin.start.line, origin.start.column));
  if (!template) return origin;
  const { open, end } = template;
  const found = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(text.slice(open + 1, end - 1));
  if (!found) return origin;
  return { file: origin.file, start: lines.position(open + 1 + found.index), end: lines.position(open + 1 + found.index + found[0].length) };
}

export function disruption(set: ir.Fragment, functions: ReadonlyMap<string, ir.Function>): string | undefined {
  return disruptionIn(reachableText(set, functions));
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
  for (const c of configurations) {
    for (const r of c.resources) {
      const scripts = scriptValues(r);
      if (scripts.length === 0) continue;
      let restarts = false;
      for (const s of scripts) {
        const reboots = rebootIn(codeText(s.value, functions));
        if (reboots) {
          ctx.diagnostics.add(diag("RestartComputer", { owner: `the ${s.name} of resource '${r.id}' in configuration ${c.name}`, reboots, remedy: SCRIPT_REBOOT }, s.origin ?? r.origin));
          if (s.name === "SetScript") restarts = true;
        }
      }
      const set = scripts.find((s) => s.name === "SetScript");
      // A SetScript that calls Restart-Computer has its one diagnostic already.
      if (!set || restarts || r.safe || r.disruptive === false) continue;
      const why = r.disruptive ? "declared disruptive" : disruptionIn(codeText(set.value, functions));
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
  for (const f of m.functions) {
    const reboots = rebootIn(reachableText(f.body, new Map()));
    if (reboots) ctx.diagnostics.add(diag("RestartComputer", { owner: `function ${f.name}`, reboots, remedy: RESOURCE_REBOOT }, placeIn(ctx, f.body.origin, REBOOT_WORDS) ?? f.origin));
  }
  for (const r of m.resources) {
    let setReboots = false;
    for (const [part, fragment] of [["get", r.get], ["test", r.test], ["set", r.set], ["safe", r.safe]] as const) {
      const reboots = fragment ? rebootIn(reachableText(fragment, new Map())) : undefined;
      if (reboots) {
        ctx.diagnostics.add(diag("RestartComputer", { owner: `the ${part} of resource ${r.name}`, reboots, remedy: RESOURCE_REBOOT }, placeIn(ctx, fragment!.origin, REBOOT_WORDS) ?? r.origin));
        if (part === "set") setReboots = true;
      }
    }
    // A set that reboots has its one diagnostic already: a safe check would not make it right.
    if (setReboots || r.safe || r.disruptive === false) continue;
    const why = r.disruptive ? "declared disruptive" : r.reboot === "after-set" ? "it needs a reboot" : disruption(r.set, functions);
    // (at what disrupts, in the set's template, when its text names it)
    const at = r.disruptive || r.reboot === "after-set" ? r.set.origin : placeIn(ctx, r.set.origin, disruptiveWord(r.set, functions));
    if (why) ctx.diagnostics.add(diag("DisruptiveWithoutSafe", { resource: r.name, why: `${why}${through(r.set, functions)}` }, at ?? r.origin));
  }
}

/** The commands a module's resources' `set`s call, and those its functions' bodies call (lowercased, as reachableText looks them up). */
function calledBy(m: ir.Module): { sets: readonly string[]; bodies: readonly (readonly [ir.Function, readonly string[]])[] } {
  const sets: string[] = [];
  for (const r of m.resources) calledNames(r.set, sets);
  return { sets, bodies: m.functions.map((f) => [f, calledNames(f.body, [])] as const) };
}

/**
 * The names of the commands a fragment calls, through `${fn(...)}` or by name in its text (nested
 * fragments and arguments included, and text handed to Invoke-Expression), added to `out`.
 */
function calledNames(fragment: ir.Fragment, out: string[]): string[] {
  for (const c of runCommands(reachableText(fragment, new Map()))) out.push(c.name.toLowerCase());
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
