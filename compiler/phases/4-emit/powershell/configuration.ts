// Configurations → configurations/<Config>/<Config>.psm1 + .psd1 with Invoke-<Config>.
import type * as ir from "../../3-lower/ir.js";
import { defaultDescription } from "../../3-lower/index.js";
import { indent, oneLine } from "../../../util/text.js";
import { GENERATED, powershellFile, type EmittedFile } from "../files.js";
import { render } from "../templates.js";
import { manifest } from "./module.js";
import { helpText, location } from "./params.js";
import { printExpr, quoteKey, quoteString } from "./quote.js";

/** The properties block: evaluated inside the runtime, so a runtime value that fails fails only this resource. */
function propertiesBlock(r: ir.Resource): string {
  if (r.properties.length === 0) return "{ @{} }";
  return `{ @{ ${r.properties.map((p) => `${quoteKey(p.name)} = ${printExpr(p.value)}`).join("; ")} } }`;
}

function resourceFields(r: ir.Resource): string[] {
  const c = r.type.commands;
  // DSC's in-box Script runs its own scripts, as text, through the runtime.
  const call = (command: string, script: string): string => (r.type.dsc.builtin ? `Invoke-FfScript -Script $p.${script}` : `${command} @p`);
  const fields: [string, string][] = [
    ["Id", quoteString(r.id)],
    ["Category", quoteString(r.type.module)],
    ["Type", quoteString(r.type.name)],
    ["DependsOn", `@(${r.dependsOn.map(quoteString).join(", ")})`],
    ["Reboot", quoteString(r.reboot)],
    ["Properties", propertiesBlock(r)],
    ["Test", `{ param($p) ${call(c.test, "TestScript")} }`],
    ...(c.safe ? ([["Safe", `{ param($p) ${c.safe} @p }`]] as [string, string][]) : []),
    // A dsc.Script's safe script (its `safe` option), run by the runtime's safe step before SetScript.
    ...(r.safe ? ([["Safe", `{ param($p) Invoke-FfScript -Script ${printExpr(r.safe.value)} }`]] as [string, string][]) : []),
    ["Set", `{ param($p) ${call(c.set, "SetScript")} }`],
    // The state the runtime logs once the result is known (step get, `state`; the versions query reads it).
    ["Get", `{ param($p) ${call(c.get, "GetScript")} }`],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(width)} = ${v}`);
}

export function emitConfiguration(c: ir.Configuration, program: ir.Program): EmittedFile[] {
  const psm1 = render("powershell/configuration.psm1", {
    source: c.source,
    generated: GENERATED,
    name: c.name,
    nameLiteral: quoteString(c.name),
    // (the default description is the title itself: not "Configuration Web: Configuration Web")
    heading: c.description === defaultDescription(c.name) ? c.description : `${defaultDescription(c.name)}: ${oneLine(c.description)}`,
    help: indent(helpText(`${c.description.trim()}\nResources, in the order they run: ${c.resources.map((r) => r.id).join(", ") || "(none)"}.`), "    "),
    logDir: quoteString(program.install.logDir),
    stateDir: quoteString(program.install.stateDir),
    logReader: program.install.logReaders ? quoteString(program.install.logReaders) : "",
    // Every run reports its resources to SSM Compliance with the configuration's association severity.
    complianceSeverity: quoteString(c.association.complianceSeverity),
    resources: c.resources.map((r) => ({
      comment: `${r.id}: ${r.type.name} from module ${r.type.module}${r.dependsOn.length ? `, after ${r.dependsOn.join(", ")}` : ""} (${location(r.origin) || r.source})`,
      fields: resourceFields(r),
    })),
  });
  const psd1 = manifest({
    name: c.name,
    source: c.source,
    version: c.version,
    guid: c.guid,
    author: "fleetform",
    description: c.description,
    layer: "configuration",
    requires: c.requires,
    exports: [`Invoke-${c.name}`],
  });
  return [powershellFile(`configurations/${c.name}/${c.name}.psm1`, psm1, c.source), powershellFile(`configurations/${c.name}/${c.name}.psd1`, psd1, c.source)];
}
