// DSC documents (dsc/<Config>/localhost.mof and localhost.meta.mof) exactly as Windows PowerShell
// 5.1 writes them (notes/mof.md a.1–a.7, c.2): the instance layout whose property lines are joined
// with a space, the `\r\n` PowerShell inserts before the final `\n` → `\r\n` pass (hence the CR CR LF
// lines), the five-space DependsOn quirk, the indented trailer. Only the property order differs from
// Windows, which writes .NET hash order; ours is fixed (docs: ResourceID first, then the class's
// known Windows order for in-box classes, else keys, other properties, SourceInfo, ModuleName, ModuleVersion).
import type * as ir from "../../3-lower/ir.js";
import { printFragment, quoteString } from "../powershell/quote.js";
import { quoteMofString } from "./quote.js";
import { commentText } from "../../../util/text.js";

interface Instance {
  readonly className: string;
  readonly alias: string;
  readonly properties: readonly (readonly [string, string])[];
}

/** Collects the instances of one document, numbering aliases per class as DSC does ($Class1ref, $Class2ref ...). */
class DocumentBuilder {
  readonly #counters = new Map<string, number>();
  readonly texts: string[] = [];

  alias(className: string): string {
    const n = (this.#counters.get(className) ?? 0) + 1;
    this.#counters.set(className, n);
    return `${className}${n}ref`;
  }

  /** An instance in the working text (`\n` line ends): properties joined with a space, a blank line before `};`. */
  static instanceText(i: Instance): string {
    const props = i.properties.map(([name, value]) => `${name} = ${value};\n`).join(" ");
    return `\ninstance of ${i.className} as $${i.alias}\n{\n${props}\n};\n`;
  }
}

function cutAtLastBrace(text: string): string {
  return text.slice(0, text.lastIndexOf("}"));
}

/** A value in MOF syntax; undefined when DSC leaves the property out (an empty array). */
function mofValue(expr: ir.Expr, doc: DocumentBuilder): string | undefined {
  switch (expr.kind) {
    case "string":
      return quoteMofString(expr.value);
    case "number":
      return Number.isInteger(expr.value) ? String(expr.value) : String(expr.value).includes(".") || /e/i.test(String(expr.value)) ? String(expr.value) : `${expr.value}.0`;
    case "boolean":
      return expr.value ? "True" : "False";
    case "null":
      return "NULL";
    case "array": {
      const items = expr.items.map((i) => mofValue(i, doc)).filter((v): v is string => v !== undefined);
      return items.length === 0 ? undefined : `{\n${items.map((v) => `    ${v}`).join(",\n")}\n}`;
    }
    case "map": {
      // A hashtable becomes MSFT_KeyValuePair instances written before their owner, referenced by alias.
      const aliases = expr.entries.map((e) => {
        const alias = doc.alias("MSFT_KeyValuePair");
        const value = e.value.kind === "string" ? e.value.value : e.value.kind === "number" || e.value.kind === "boolean" ? String(e.value.value) : "";
        doc.texts.push(DocumentBuilder.instanceText({ className: "MSFT_KeyValuePair", alias, properties: [["Key", quoteMofString(e.key)], ["Value", quoteMofString(value)]] }));
        return `$${alias}`;
      });
      return aliases.length === 0 ? undefined : `{\n${aliases.map((a) => `    ${a}`).join(",\n")}\n}`;
    }
    case "runtime": {
      if (expr.source === "credential") {
        // The AWS-ApplyDSCMofs convention: an MSFT_Credential whose UserName names the secret; the
        // password in the document is a placeholder (the real one is read on the instance).
        const alias = doc.alias("MSFT_Credential");
        doc.texts.push(DocumentBuilder.instanceText({ className: "MSFT_Credential", alias, properties: [["Password", quoteMofString(CREDENTIAL_PLACEHOLDER)], ["UserName", quoteMofString(expr.name)]] }));
        return `$${alias}`;
      }
      // AWS-ApplyDSCMofs resolves these tokens on the instance (notes/mof.md f).
      if (expr.source === "ec2Tag") return quoteMofString(`{tag:${expr.name}}`);
      if (expr.source === "ssmParameter") return quoteMofString(`{ssm:${expr.name}}`);
      if (expr.source === "env") return quoteMofString(`{env:${expr.name}}`);
      throw new Error(`${expr.source} values have no AWS-ApplyDSCMofs token`);
    }
    case "script":
    case "fragment":
      return quoteMofString(printFragment(expr.fragment));
    default:
      throw new Error(`a ${expr.kind} expression cannot be a DSC property value`);
  }
}

/** What a generated MSFT_Credential holds as its password: never a secret. */
export const CREDENTIAL_PLACEHOLDER = "resolved-by-AWS-ApplyDSCMofs";

function resourceId(r: ir.Resource): string {
  return `[${r.type.dsc.friendlyName}]${r.id}`;
}

function orderProperties(r: ir.Resource, props: Map<string, string>): [string, string][] {
  const known = r.type.dsc.propertyOrder;
  const fixedTail = ["SourceInfo", "ModuleName", "ModuleVersion"];
  if (known) {
    const listed = known.filter((n) => props.has(n));
    const others = [...props.keys()].filter((n) => !known.includes(n) && !fixedTail.includes(n) && n !== "ResourceID");
    const at = listed.indexOf("SourceInfo");
    const ordered = at >= 0 ? [...listed.slice(0, at), ...others, ...listed.slice(at)] : [...listed, ...others];
    for (const n of fixedTail) if (props.has(n) && !ordered.includes(n)) ordered.push(n);
    return ordered.map((n) => [n, props.get(n)!]);
  }
  const head = ["ResourceID"];
  const rest = [...props.keys()].filter((n) => !head.includes(n) && !fixedTail.includes(n));
  return [...head, ...rest, ...fixedTail].filter((n) => props.has(n)).map((n) => [n, props.get(n)!]);
}

/** Code held as a value (plain text or a fragment) as the text that runs. */
function codeOf(expr: ir.Expr): string {
  return expr.kind === "string" ? expr.value : expr.kind === "script" || expr.kind === "fragment" ? printFragment(expr.fragment) : "";
}

/**
 * A dsc.Script with a safe script: DSC's Script has no safe step, so SetScript runs the safe script
 * first and, unless it returns exactly $true, warns and changes nothing (as the generated DSC
 * resources do). The safe script runs in a script block of its own, on lines of its own.
 */
function guardedSetScript(r: ir.Resource, set: ir.Expr): string {
  const blocked = quoteString(`Not changing resource ${r.id}: its safe script says it is not safe to change now.`);
  return [
    "$fleetformSafe = @(& {",
    codeOf(r.safe!.value),
    "})",
    "if (-not ($fleetformSafe.Count -eq 1 -and $fleetformSafe[0] -is [bool] -and $fleetformSafe[0])) {",
    `    Write-Warning -Message ${blocked}`,
    "    return",
    "}",
    codeOf(set),
  ].join("\n");
}

/** The text of one resource instance, with DSC's three late edits (a.2 step 3). */
function resourceText(r: ir.Resource, c: ir.Configuration, byId: ReadonlyMap<string, ir.Resource>, doc: DocumentBuilder, propertyOrder: readonly string[]): string {
  const props = new Map<string, string>();
  props.set("ResourceID", quoteMofString(resourceId(r)));
  const byName = new Map(r.properties.map((p) => [p.name, p.value]));
  const set = byName.get("SetScript");
  if (r.safe && set) byName.set("SetScript", { kind: "string", value: guardedSetScript(r, set) });
  for (const name of propertyOrder) {
    const expr = byName.get(name);
    if (!expr) continue;
    const value = mofValue(expr, doc);
    if (value !== undefined) props.set(name, value);
  }
  const origin = r.origin;
  props.set("SourceInfo", quoteMofString(`${origin?.file ?? r.source}::${origin?.start.line ?? 0}::${origin?.start.column ?? 0}::${r.type.name}`));
  props.set("ModuleName", quoteMofString(r.type.dsc.moduleName));
  if (!r.type.dsc.builtin) props.set("ModuleVersion", quoteMofString(r.type.dsc.moduleVersion));

  const alias = doc.alias(r.type.dsc.className);
  let text = DocumentBuilder.instanceText({ className: r.type.dsc.className, alias, properties: orderProperties(r, props) });
  // a. In-box resources get their ModuleVersion appended after the property list.
  if (r.type.dsc.builtin) text = cutAtLastBrace(text) + `ModuleVersion = ${quoteMofString(r.type.dsc.moduleVersion)};` + "\r\n};";
  // b. DependsOn, items joined with a space (so the second and later ones have five leading spaces).
  if (r.dependsOn.length > 0) {
    const items = r.dependsOn.map((d, i, all) => `    ${quoteMofString(resourceId(byId.get(d)!))}${i < all.length - 1 ? ",\r\n" : ""}`);
    text = cutAtLastBrace(text) + "DependsOn = {\r\n" + items.join(" ") + "};" + "\r\n};";
  }
  // c. ConfigurationName, after trimming the text before the last brace.
  text = cutAtLastBrace(text).trimEnd() + `\r\n ConfigurationName = ${quoteMofString(c.name)};` + "\r\n};";
  return text;
}

const WMF51_TRAILER_SPACE = " ";

/**
 * Text for one line of the document's `/* *\/` header: 2-check refuses header fields that would need
 * this, and the emitter still makes sure no text can end the comment (a `*\/` and a line break
 * would start a new MOF instance) or add a line.
 */
export function mofCommentText(text: string): string {
  return commentText(text).replace(/\*\//g, "* /").replace(/\/\*/g, "/ *");
}

function header(node: string, s: ir.DscSettings): string {
  const field = mofCommentText;
  return `/*\n@TargetNode='${field(node)}'\n@GeneratedBy=${field(s.generatedBy)}\n@GenerationDate=${field(s.generationDate)}\n@GenerationHost=${field(s.generationHost)}\n*/\n`;
}

/** The OMI_ConfigurationDocument trailer in its final form (after the line-end pass). */
function configurationTrailer(c: ir.Configuration, s: ir.DscSettings): string {
  const blank = s.format === "wmf51" ? `${WMF51_TRAILER_SPACE}\r\r\n` : "\r\r\n";
  const indent = " ".repeat(24);
  const lines = [
    "instance of OMI_ConfigurationDocument\r\n",
    "\r\r\n",
    `${" ".repeat(20)}{\r\n`,
    ` Version="2.0.0";\r\n`,
    blank,
    `${indent}MinimumCompatibleVersion = "1.0.0";\r\n`,
    blank,
    `${indent}CompatibleVersionAdditionalProperties= {"Omi_BaseResource:ConfigurationName"};\r\n`,
    blank,
    `${indent}Author=${quoteMofString(s.generatedBy)};\r\n`,
    blank,
    `${indent}GenerationDate=${quoteMofString(s.generationDate)};\r\n`,
    blank,
    `${indent}GenerationHost=${quoteMofString(s.generationHost)};\r\n`,
    blank,
    `${indent}Name=${quoteMofString(c.name)};\r\n`,
    "\r\r\n",
    `${" ".repeat(20)}};\r\n`,
  ];
  return lines.join("");
}

/** Resource properties in the order of their type's parameters (keys first), for classes without a known order. */
export type PropertyOrder = (r: ir.Resource) => readonly string[];

/** The configuration document's text, in its final form (CRLF line ends, including DSC's CR CR LF lines). */
export function configurationMof(c: ir.Configuration, s: ir.DscSettings, propertyOrder: PropertyOrder): string {
  const doc = new DocumentBuilder();
  const byId = new Map(c.resources.map((r) => [r.id, r]));
  for (const r of c.resources) {
    const text = resourceText(r, c, byId, doc, propertyOrder(r));
    doc.texts.push(text);
  }
  const body = (header("localhost", s) + doc.texts.join("")).replace(/\n/g, "\r\n");
  return body + "\r\n" + configurationTrailer(c, s);
}

/** The meta-configuration (LCM settings) document, as `[DscLocalConfigurationManager()]` writes it for push mode. */
export function metaMof(c: ir.Configuration, s: ir.DscSettings): string {
  const doc = new DocumentBuilder();
  const alias = doc.alias("MSFT_DSCMetaConfiguration");
  const settings = c.lcm.map((p) => [p.name, mofValue(p.value, doc)!] as const);
  const instance = DocumentBuilder.instanceText({ className: "MSFT_DSCMetaConfiguration", alias, properties: settings });
  const trailer = [
    "\ninstance of OMI_ConfigurationDocument\n{\n",
    ` Version="2.0.0";\n`,
    ` MinimumCompatibleVersion = "1.0.0";\n`,
    ` CompatibleVersionAdditionalProperties= { "MSFT_DSCMetaConfiguration:StatusRetentionTimeInDays" };\n`,
    ` Author=${quoteMofString(s.generatedBy)};\n`,
    ` GenerationDate=${quoteMofString(s.generationDate)};\n`,
    ` GenerationHost=${quoteMofString(s.generationHost)};\n`,
    ` Name=${quoteMofString(c.name)};\n`,
    "};",
  ].join("");
  return (header("localhost", s) + instance + trailer).replace(/\n/g, "\r\n") + "\r\n";
}

/** Bytes as DSC writes them: UTF-16LE with a BOM (Windows PowerShell 5.1) or UTF-8 without one (PowerShell 7). */
export function encodeMof(text: string, format: ir.DscSettings["format"]): Uint8Array {
  return format === "wmf51" ? Buffer.from("\uFEFF" + text, "utf16le") : Buffer.from(text, "utf8");
}
