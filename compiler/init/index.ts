import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Diagnostic, Span } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { fleetformPackage } from "../util/package.js";
import { LineIndex } from "../util/text.js";
import { initFiles } from "./templates.js";

/**
 * What a folder may already hold for `fleetform init`: what `git init`, `npm init -y` and
 * `npm install -D fleetform` leave there. package.json and .gitignore are merged, the rest is kept.
 */
const KEPT = new Set(["package.json", "package-lock.json", "npm-shrinkwrap.json", ".gitignore", "node_modules", ".git"]);

/** The test script `npm init` writes: a placeholder, replaced like a missing script. */
const NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1';

export type InitResult =
  | { readonly files: string[]; readonly merged: string[] }
  | { readonly diagnostic: Diagnostic; readonly sources: ReadonlyMap<string, string> };

/**
 * Writes a new config repo into dir: a missing or empty folder, or one holding only what KEPT
 * allows. An existing package.json keeps every field it has; init adds its scripts where the
 * user has none (or npm's placeholder test), and fleetform as a devDependency if it is in neither
 * dependency list. An existing .gitignore gets the lines it lacks. Everything is checked before
 * anything is written: a refused init changes nothing.
 */
export function init(dir: string): InitResult {
  const root = resolve(dir);
  const sources = new Map<string, string>();
  const refuse = (diagnostic: Diagnostic): InitResult => ({ diagnostic, sources });
  if (existsSync(root) && !statSync(root).isDirectory()) return refuse(diag("InitFolderNotEmpty", { dir: root, entries: "it is a file, not a folder" }));
  const present = existsSync(root) ? readdirSync(root).sort() : [];
  const foreign = present.filter((entry) => !KEPT.has(entry));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((e) => JSON.stringify(e)).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
    return refuse(diag("InitFolderNotEmpty", { dir: root, entries: `it holds ${shown}` }));
  }
  const name = basename(root).toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "") || "fleet-config";
  const files = initFiles(name, fleetformPackage().version);
  const merged: string[] = [];

  if (present.includes("package.json")) {
    const text = readFileSync(join(root, "package.json"), "utf8");
    sources.set("package.json", text);
    const result = mergePackageJson(text, files["package.json"]!);
    if ("problem" in result) return refuse(diag("InitPackageJsonInvalid", { message: result.problem }, result.span));
    files["package.json"] = result.text;
    merged.push("package.json");
  }
  if (present.includes(".gitignore")) {
    const text = readFileSync(join(root, ".gitignore"), "utf8");
    files[".gitignore"] = mergeLines(text, files[".gitignore"]!);
    merged.push(".gitignore");
  }

  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, "utf8");
  }
  return { files: Object.keys(files).sort(), merged };
}

type Json = { [key: string]: unknown };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The user's package.json with what init needs added, in the user's indentation and line ends. */
export function mergePackageJson(text: string, template: string): { text: string } | { problem: string; span?: Span } {
  const body = text.replace(/^\uFEFF/, "");
  let user: unknown;
  try {
    user = JSON.parse(body);
  } catch (e) {
    return { problem: `it is not valid JSON (${(e as Error).message})`, ...jsonErrorSpan(text, e as Error) };
  }
  if (!isObject(user)) return { problem: "it is not a JSON object", span: spanAt(text, 0) };
  const wanted = JSON.parse(template) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
  for (const field of ["scripts", "dependencies", "devDependencies"] as const) {
    if (field in user && !isObject(user[field])) return { problem: `its "${field}" is not an object`, span: spanOfKey(text, field) };
  }

  const scripts: Json = { ...((user.scripts as Json | undefined) ?? {}) };
  for (const [script, command] of Object.entries(wanted.scripts)) {
    if (!(script in scripts) || (script === "test" && scripts[script] === NPM_INIT_TEST)) scripts[script] = command;
  }
  user.scripts = scripts;
  const deps = (user.dependencies as Json | undefined) ?? {};
  const devDeps = (user.devDependencies as Json | undefined) ?? {};
  if (!("fleetform" in deps) && !("fleetform" in devDeps)) {
    const sorted = Object.fromEntries(Object.entries({ ...devDeps, ...wanted.devDependencies }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    user.devDependencies = sorted;
  }

  const indent = /^[{[][ \t]*\r?\n([ \t]+)\S/.exec(body)?.[1] ?? "  ";
  const eol = body.includes("\r\n") ? "\r\n" : "\n";
  return { text: (JSON.stringify(user, null, indent) + "\n").replace(/\n/g, eol) };
}

/** Lines of `wanted` the user's file lacks, appended (nothing is removed or reordered). */
function mergeLines(text: string, wanted: string): string {
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = wanted.split("\n").filter((l) => l.trim() !== "" && !have.has(l.trim()));
  if (missing.length === 0) return text;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const sep = text === "" || text.endsWith("\n") ? "" : eol;
  return text + sep + missing.join(eol) + eol;
}

function spanAt(text: string, offset: number): Span {
  const lines = new LineIndex(text);
  const start = lines.position(Math.min(offset, text.length));
  return { file: "package.json", start, end: { line: start.line, column: start.column + 1 } };
}

/** Where JSON.parse stopped: Node's message says "at position N" (or "line L column C"). */
function jsonErrorSpan(text: string, error: Error): { span?: Span } {
  const bom = text.startsWith("\uFEFF") ? 1 : 0;
  const at = /at position (\d+)/.exec(error.message);
  if (at) return { span: spanAt(text, Number(at[1]) + bom) };
  const lc = /line (\d+) column (\d+)/.exec(error.message);
  if (lc) return { span: { file: "package.json", start: { line: Number(lc[1]), column: Number(lc[2]) }, end: { line: Number(lc[1]), column: Number(lc[2]) + 1 } } };
  if (/end of JSON input/.test(error.message)) return { span: spanAt(text, text.length) };
  return {};
}

/** The first `"key":` at the top level of the text (good enough to point at a field's value). */
function spanOfKey(text: string, key: string): Span | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*`).exec(text);
  if (!m) return undefined;
  const start = spanAt(text, m.index + m[0].length).start;
  const end = spanAt(text, m.index + m[0].length + 1).start;
  return { file: "package.json", start, end };
}
