// Shared by the delivery tests: the docutap build (compiled once per test run), CloudFormation
// YAML with its short-form intrinsic tags, laying a build out on disk, and the CLI.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseDocument, type Document, type ScalarTag } from "yaml";
import { compile, writeOutput, type CompileResult, type EmittedFile } from "../../compiler/index.js";
import { repoRoot } from "../helpers/pwsh.js";
import { sharedCompile } from "../helpers/shared-build.js";

export { repoRoot };
export const deliveryDir = join(repoRoot, "test", "delivery");
export const fixturesDir = join(deliveryDir, "fixtures");
export const docutapRoot = join(repoRoot, "examples", "docutap");

let docutap: Promise<CompileResult> | undefined;

/** examples/docutap compiled in memory (with the type check), once per test run (test/helpers/shared-build.ts). */
export function buildDocutap(): Promise<CompileResult> {
  docutap ??= sharedCompile(docutapRoot);
  return docutap;
}

/** Compiles a fixture config repo under test/delivery/fixtures/<name>. */
export function compileFixture(name: string, emit = true): Promise<CompileResult> {
  return compile({ root: join(fixturesDir, name), emit });
}

/** A build must succeed; its error diagnostics are the failure message otherwise. */
export function assertOk(result: CompileResult, what: string): void {
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    throw new Error(`${what} did not build:\n${errors.join("\n")}`);
  }
}

export function fileOf(result: CompileResult, path: string): EmittedFile {
  const f = result.files.find((x) => x.path === path);
  if (!f) throw new Error(`the build has no ${path}; it has ${result.files.map((x) => x.path).join(", ")}`);
  return f;
}

export function textOf(result: CompileResult, path: string): string {
  const c = fileOf(result, path).content;
  return typeof c === "string" ? c : Buffer.from(c).toString("utf8");
}

/** Writes a build's files into a fresh temporary folder (as `fleetform build` would) and returns it. */
export function writeBuild(result: CompileResult, prefix = "ff-delivery-"): string {
  const out = join(mkdtempSync(join(tmpdir(), prefix)), "dist");
  writeOutput(out, result.files);
  return out;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation YAML

/**
 * The short-form intrinsic functions the emitter writes, read into their JSON (long) form:
 * `!Ref X` → `{ Ref: "X" }`, `!Sub s` → `{ "Fn::Sub": s }`, `!GetAtt A.B` → `{ "Fn::GetAtt": ["A", "B"] }`.
 * Only the scalar forms: the emitter never writes the sequence forms.
 */
export const cfnTags: ScalarTag[] = [
  { tag: "!Ref", resolve: (v: string) => ({ Ref: v }) },
  { tag: "!Sub", resolve: (v: string) => ({ "Fn::Sub": v }) },
  {
    tag: "!GetAtt",
    resolve: (v: string) => {
      const dot = v.indexOf(".");
      return { "Fn::GetAtt": [v.slice(0, dot), v.slice(dot + 1)] };
    },
  },
];

/** Parses a CloudFormation template. `version: "1.1"` reads it the way CloudFormation's YAML 1.1 parser does. */
export function parseCfn(text: string, version: "1.1" | "1.2" = "1.2"): Record<string, unknown> {
  return parse(text, { customTags: cfnTags, version, uniqueKeys: true }) as Record<string, unknown>;
}

export function parseCfnDocument(text: string): Document.Parsed {
  const doc = parseDocument(text, { customTags: cfnTags, uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
  return doc;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

export function resourcesOf(template: Record<string, unknown>): Record<string, CfnResource> {
  return template.Resources as Record<string, CfnResource>;
}

// ---------------------------------------------------------------------------------------------
// The CLI

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** node bin/fleetform.js ... (lib/ must be built: `npx tsc -p .`). */
export function fleetform(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "fleetform.js"), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
