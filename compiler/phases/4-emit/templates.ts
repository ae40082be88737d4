// Handlebars templates for PowerShell and Pester output, compiled once in an isolated instance.
// Templates only loop, branch and concatenate: every literal in a view is already printed by
// quote.ts. noEscape, because HTML escaping would corrupt PowerShell; strict, so a misspelt
// field throws instead of printing nothing. `{{{field}}}` pastes code a view printed; `{{field}}`
// is one line of plain text (comments, names): it goes through commentText, so no value can
// end a `#` comment and start a command.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { packageAsset } from "../../util/package.js";
import { commentText } from "../../util/text.js";

const hbs = Handlebars.create();
hbs.registerHelper("ffText", (value: unknown) => commentText(String(value)));

/** `{{field}}` → `{{ffText field}}`; blocks, partials, comments, `else` and `{{{raw}}}` stay. */
export function textMustaches(source: string): string {
  return source.replace(/(?<!\{)\{\{(?!\{)([^{}]*)\}\}(?!\})/g, (whole, inner: string) => {
    const expr = inner.trim();
    if (/^[#/>!^~]/.test(expr) || expr === "else" || expr.startsWith("else ")) return whole;
    if (!/^[@A-Za-z_][\w.@/-]*$/.test(expr)) throw new Error(`template text field {{${inner}}} must be a plain field; use {{{...}}} for printed code`);
    return `{{ffText ${expr}}}`;
  });
}
const compiled = new Map<string, Handlebars.TemplateDelegate>();
const root = (): string => packageAsset("templates");
let partialsRegistered = false;

/** Partials are the `<target>/<name>.partial.hbs` files, registered as `<target>/<name>`. */
function registerPartials(): void {
  if (partialsRegistered) return;
  for (const target of readdirSync(root(), { withFileTypes: true })) {
    if (!target.isDirectory()) continue;
    for (const file of readdirSync(join(root(), target.name))) {
      const m = /^(.*)\.partial\.hbs$/.exec(file);
      if (m) hbs.registerPartial(`${target.name}/${m[1]}`, textMustaches(readFileSync(join(root(), target.name, file), "utf8")));
    }
  }
  partialsRegistered = true;
}

function template(name: string): Handlebars.TemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    registerPartials();
    t = hbs.compile(textMustaches(readFileSync(join(root(), `${name}.hbs`), "utf8")), { noEscape: true, strict: true });
    compiled.set(name, t);
  }
  return t;
}

/** Renders a template named by its path under 4-emit (e.g. "powershell/module.psm1"). */
export function render(name: string, view: object): string {
  return template(name)(view);
}
