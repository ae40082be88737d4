// The plan as Markdown for a pull-request comment (GitHub-flavoured: tables, a [!WARNING] alert,
// a collapsed <details> list of files). Deterministic: the plan's order, no dates or paths of this host.
import type { ConfigurationChange, Counts, DependencyStackChange, ModuleChange, NamedChange, ObservabilityChange, PermissionChange, Plan, ResourceChange, StackChange, Status } from "./diff.js";
import { notBumpedWhy } from "./diff.js";
import type { ValueChange } from "./values.js";
import { counted } from "../util/text.js";

export interface Labels {
  /** What the base is, e.g. "main (1a2b3c4)" or a folder. */
  readonly base: string;
  /** What the head is, e.g. "." or "examples/docutap". */
  readonly head: string;
}

/** Table cells longer than this are cut around their first difference. */
const CELL = 120;

export function renderMarkdown(plan: Plan, labels: Labels): string {
  const out: string[] = [];
  const from = `Base ${code(labels.base)} → head ${code(labels.head)}.`;
  if (!plan.changed) {
    out.push("## fleetform plan", "", from, "", "No changes.");
    return out.join("\n") + "\n";
  }
  out.push(`## fleetform plan: ${headline(plan)}`, "", from, "", summaryLine(plan));

  const widened = allPermissions(plan).filter((p) => p.widened);
  if (widened.length > 0) {
    const roles = [...new Set(widened.map((p) => p.role))];
    const who = roles.length === 1 ? `${code(roles[0]!)} may` : `${roles.map(code).join(", ")} may`;
    out.push(
      "",
      "> [!CAUTION]",
      `> **Permissions widened**: ${who} do more after this change (${widened.map((p) => `${code(p.role)} ${code(p.statement)}${p.wildcard ? " (wildcard)" : ""}`).join(", ")}); see the stacks below.`,
    );
  }

  if (plan.warnings.length > 0) {
    out.push("", "> [!WARNING]");
    plan.warnings.forEach((w, i) => {
      if (i > 0) out.push(">");
      const what = w.requires !== undefined ? `only its manifest changed (${code(`modules/${w.name}/${w.name}.psd1`)} requires ${code(w.requires)} now, a module it requires having moved)` : `${code(`modules/${w.name}/`)} changed`;
      out.push(`> **Module ${code(w.name)}**: ${what} but the version is still ${code(w.version)}; ${notBumpedWhy(w.configurations)}. Bump the version.`);
    });
  }

  if (plan.graph) {
    // GitHub renders a mermaid code block as a diagram; every author text in it is escaped (#NN;).
    out.push("", "### Module graph", "", "Added in green, removed in grey (dashed), moved layer or changed targets in orange; imports point down the layer stack, dashed arrows from a configuration to the modules it uses.", "", "```mermaid", plan.graph.mermaid.trimEnd(), "```");
  }

  if (plan.settings.length + plan.stack.length > 0) {
    out.push("", "### Settings (fleetform.config.ts)", "", ...valueTable("Setting", [...plan.settings, ...plan.stack]));
  }

  for (const c of plan.configurations) out.push("", ...configuration(c));

  if (plan.modules.length > 0) out.push("", "### Modules", "", ...modules(plan.modules, new Set(plan.warnings.map((w) => w.name))));

  if (plan.associations.length > 0) {
    out.push("", "### Fleet-wide associations", "", "| Association | Change | Setting | Before | After |", "|---|---|---|---|---|");
    for (const a of plan.associations) {
      if (a.status === "removed") {
        const doc = a.settings.find((s) => s.field === "document");
        out.push(row(code(a.name), a.status, code("document"), cell(doc?.before, undefined), ""));
        continue;
      }
      a.settings.forEach((s, i) => out.push(row(i === 0 ? code(a.name) : "", i === 0 ? a.status : "", code(s.field), cell(s.before, s.after), cell(s.after, s.before))));
    }
  }

  const d = plan.dependencies;
  if (hasChanges(d) || d.deploymentTargets.added.length + d.deploymentTargets.removed.length > 0) out.push("", ...dependencyStack(d));
  if (hasChanges(plan.pipeline)) out.push("", ...stackSection("Pipeline stack", "cloudformation/pipeline.yaml", plan.pipeline));
  if (plan.systemsManager.permissions.length > 0 || plan.observability.length > 0) out.push("", ...systemsManagerStack(plan));

  if (plan.files.length > 0) {
    const n = plan.files.length;
    out.push("", "<details>", `<summary>${counted(n, "file")} changed (${counts(plan.summary.files)})</summary>`, "", "| File | Change |", "|---|---|");
    for (const f of plan.files) out.push(row(code(f.path), f.status));
    out.push("", "</details>");
  }
  return out.join("\n") + "\n";
}

function allPermissions(plan: Plan): PermissionChange[] {
  return [...plan.dependencies.permissions, ...plan.pipeline.permissions, ...plan.systemsManager.permissions];
}

function hasChanges(s: StackChange): boolean {
  return s.status !== undefined || s.permissions.length + s.resources.length + s.parameters.length > 0;
}

function dependencyStack(d: DependencyStackChange): string[] {
  const out = stackSection("Dependency stack", "cloudformation/dependencies.yaml", d);
  const t = d.deploymentTargets;
  if (t.added.length + t.removed.length > 0) {
    out.push("", `Deployment group EC2 tag filters: ${[...t.added.map((x) => `+${code(x)}`), ...t.removed.map((x) => `−${code(x)}`)].join(", ")}.`);
  }
  return out;
}

/** The header of a table of resources and their changed properties (stacks and configurations alike). */
const RESOURCE_TABLE_HEADER = ["| Resource | Type | Change | Property | Before | After |", "|---|---|---|---|---|---|"];

function stackSection(title: string, path: string, s: StackChange): string[] {
  const out = [`### ${title} (${code(path)})${s.status ? `: ${s.status}` : ""}`];
  if (s.permissions.length > 0) out.push("", ...permissionTable(s.permissions));
  if (s.parameters.length > 0) out.push("", ...valueTable("Parameter", s.parameters));
  if (s.resources.length > 0) {
    out.push("", ...RESOURCE_TABLE_HEADER);
    for (const r of s.resources) {
      if (r.paths.length === 0) {
        out.push(row(code(r.id), code(r.type), r.status, "", "", ""));
        continue;
      }
      r.paths.forEach((p, i) => out.push(row(i === 0 ? code(r.id) : "", i === 0 ? code(r.type) : "", i === 0 ? r.status : "", code(p.field), cell(p.before, p.after), cell(p.after, p.before))));
    }
  }
  return out;
}

function permissionTable(permissions: readonly PermissionChange[]): string[] {
  const principals = permissions.some((p) => p.principals.added.length + p.principals.removed.length > 0);
  const out = [
    `| Role | Policy | Statement | Change | Actions | Resources |${principals ? " Principals |" : ""} Condition |`,
    `|---|---|---|---|---|---|${principals ? "---|" : ""}---|`,
  ];
  const items = (x: { added: readonly string[]; removed: readonly string[] }): string => [...x.added.map((a) => `+${code(a)}`), ...x.removed.map((r) => `−${code(r)}`)].join("<br>");
  for (const p of permissions) {
    const change = p.widened ? `${p.status}, **widened**${p.wildcard ? " (wildcard)" : ""} ⚠️` : p.status;
    const statement = p.effect === "Allow" ? code(p.statement) : `${code(p.statement)} (${p.effect})`;
    const condition = p.condition ? `${cell(p.condition.before, p.condition.after) || "none"} → ${cell(p.condition.after, p.condition.before) || "none"}` : "";
    const cells = [code(p.role), code(p.policy), statement, change, items(p.actions), items(p.resources), ...(principals ? [items(p.principals)] : []), condition];
    out.push(row(...cells));
  }
  return out;
}

function systemsManagerStack(plan: Plan): string[] {
  const out = ["### Systems Manager stack (`cloudformation/systems-manager.yaml`)"];
  if (plan.systemsManager.permissions.length > 0) out.push("", ...permissionTable(plan.systemsManager.permissions));
  if (plan.observability.length > 0) out.push("", "Observability:", "", ...plan.observability.map(observabilityLine));
  return out;
}

/** One readable line: "query `x` changed: query `...` → `...`", "alarm `x` changed: threshold `0` → `3`". */
export function observabilityLine(o: ObservabilityChange): string {
  const head = `- ${o.kind} ${code(o.name)} ${o.status}`;
  if (o.changes.length === 0) return head;
  const changes = o.changes.map((c) => {
    if (c.before === undefined) return `${c.field} added (${cell(c.after, undefined)})`;
    if (c.after === undefined) return `${c.field} removed`;
    return `${c.field} ${cell(c.before, c.after)} → ${cell(c.after, c.before)}`;
  });
  return `${head}: ${changes.join("; ")}`;
}

function headline(plan: Plan): string {
  const s = plan.summary;
  const parts = [
    plural(total(s.configurations), "configuration"),
    plural(total(s.resources), "resource"),
    plural(total(s.modules), "module"),
    plural(total(s.associations), "fleet-wide association"),
    plural(total(s.files), "file"),
  ].filter((p): p is string => p !== undefined);
  const changed = parts.length > 0 ? `${parts.join(", ")} changed` : "settings changed";
  if (s.permissions.widened > 0) return `${changed}, permissions widened${s.warnings > 0 ? `, ${counted(s.warnings, "warning")}` : ""}`;
  return s.warnings > 0 ? `${changed}, ${counted(s.warnings, "warning")}` : changed;
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const parts: string[] = [];
  const add = (label: string, c: Counts): void => {
    if (total(c) > 0) parts.push(`**${label}:** ${counts(c)}`);
  };
  add("Configurations", s.configurations);
  add("Resources", s.resources);
  add("Modules", s.modules);
  add("Fleet-wide associations", s.associations);
  add("Files", s.files);
  add("Permissions", s.permissions);
  add("Stack resources", s.stackResources);
  add("Observability", s.observability);
  if (s.permissions.widened > 0) parts.push(`**Widened:** ${s.permissions.widened}`);
  if (s.warnings > 0) parts.push(`**Warnings:** ${s.warnings}`);
  if (plan.settings.length + plan.stack.length > 0) parts.push(`**Settings:** ${plan.settings.length + plan.stack.length} changed`);
  return parts.join(" · ");
}

function configuration(c: ConfigurationChange): string[] {
  const out = [`### Configuration ${code(c.name)}: ${c.status}`];
  if (c.status === "removed") {
    out.push("", `Removed with its ${plural(c.resources.length, "resource") ?? "0 resources"} (${c.resources.map((r) => code(r.id)).join(", ") || "none"}).`);
    return out;
  }
  if (c.status === "added") out.push("", "| Setting | Value |", "|---|---|", ...c.settings.map((s) => row(code(s.field), cell(s.after, undefined))));
  else if (c.settings.length > 0) out.push("", ...valueTable("Setting", c.settings));
  if (c.resources.length > 0) {
    out.push("", ...RESOURCE_TABLE_HEADER);
    for (const r of c.resources) out.push(...resourceRows(r));
  }
  if (c.settings.length === 0 && c.resources.length === 0) {
    out.push("", `Only its generated files changed: ${c.files.map((f) => code(f.path)).join(", ")}.`);
  }
  return out;
}

function resourceRows(r: ResourceChange): string[] {
  const lines: [string, string | undefined, string | undefined][] = [];
  if (r.status === "removed") return [row(code(r.id), code(r.type), "removed", "", "", "")];
  if (r.typeBefore !== undefined) lines.push(["type", r.typeBefore, r.type]);
  for (const p of r.properties) lines.push([p.field, p.before, p.after]);
  const d = r.dependsOn;
  if (d.added.length > 0 || d.removed.length > 0) lines.push(["dependsOn", r.status === "added" ? undefined : list(d.before), list(d.after)]);
  if (r.reboot) lines.push(["reboot", r.reboot.before, r.reboot.after]);
  if (lines.length === 0) return [row(code(r.id), code(r.type), r.status, "", "", "")];
  return lines.map(([field, before, after], i) =>
    row(i === 0 ? code(r.id) : "", i === 0 ? code(r.type) : "", i === 0 ? r.status : "", code(field), cell(before, after), cell(after, before)),
  );
}

/** `warned`: the modules changed under their version that DSC may keep loaded (the plan's warnings): marked in the table. */
function modules(list: readonly ModuleChange[], warned: ReadonlySet<string>): string[] {
  const out = ["| Module | Change | Version | Content | Details |", "|---|---|---|---|---|"];
  for (const m of list) {
    let version: string;
    if (m.status === "added") version = code(m.versionAfter!);
    else if (m.status === "removed") version = code(m.versionBefore!);
    else if (m.versionBefore !== m.versionAfter) version = `${code(m.versionBefore!)} → ${code(m.versionAfter!)}`;
    else version = m.content === "code" && warned.has(m.name) ? `${code(m.versionAfter!)} (not bumped) ⚠️` : `${code(m.versionAfter!)}`;
    const content = m.status !== "changed" ? "" : m.content === "code" ? counted(m.files.length, "file") : m.content === "positions" ? "source positions only" : "unchanged";
    const details: string[] = [];
    if (m.status === "changed") {
      for (const s of m.settings) if (s.field !== "version") details.push(`${s.field}: ${cell(s.before, s.after)} → ${cell(s.after, s.before)}`);
      const named = (label: string, items: readonly NamedChange[]): void => {
        if (items.length > 0) details.push(`${label}: ${items.map((x) => `${sign(x.status)}${code(x.name)}${x.parts ? ` (${x.parts.join(", ")})` : ""}`).join(", ")}`);
      };
      named("functions", m.functions);
      named("resource types", m.resourceTypes);
      named("externs", m.externs);
    } else if (m.status === "added") {
      const layer = m.settings.find((s) => s.field === "layer")?.after;
      if (layer !== undefined) details.push(`layer ${code(layer)}`);
    }
    // (what the change reaches: the configurations whose instances load the module)
    if (m.usedBy.length > 0) details.push(`${m.status === "removed" ? "was used by" : "used by"} ${m.usedBy.map(code).join(", ")}`);
    out.push(row(code(m.name), m.status, version, content, details.join("; ")));
  }
  return out;
}

function valueTable(label: string, changes: readonly ValueChange[]): string[] {
  return [`| ${label} | Before | After |`, "|---|---|---|", ...changes.map((s) => row(code(s.field), cell(s.before, s.after), cell(s.after, s.before)))];
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

function row(...cells: string[]): string {
  return `| ${cells.join(" | ")} |`.replace(/ {2,}\|/g, " |");
}

/** A value cell: inline code, or an empty cell when absent; long values cut around their first difference from `other`. */
function cell(value: string | undefined, other: string | undefined): string {
  if (value === undefined) return "";
  return code(excerpt(value, other));
}

function excerpt(value: string, other: string | undefined): string {
  if (value.length <= CELL) return value;
  let at = 0;
  if (other !== undefined) while (at < value.length && at < other.length && value[at] === other[at]) at++;
  const start = Math.max(0, Math.min(at - 40, value.length - CELL));
  const end = Math.min(value.length, start + CELL);
  return `${start > 0 ? "…" : ""}${value.slice(start, end)}${end < value.length ? "…" : ""}`;
}

/** Inline code that survives any backticks and table pipes in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|")}${pad}${fence}`;
}

function list(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

function sign(status: Status): string {
  return status === "added" ? "+" : status === "removed" ? "−" : "~";
}

function total(c: Counts): number {
  return c.added + c.removed + c.changed;
}

function counts(c: Counts): string {
  return [c.added ? `${c.added} added` : "", c.removed ? `${c.removed} removed` : "", c.changed ? `${c.changed} changed` : ""].filter(Boolean).join(", ");
}

function plural(n: number, word: string): string | undefined {
  return n === 0 ? undefined : counted(n, word);
}
