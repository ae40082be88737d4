// Checks emitted artifacts against the targets' limits and schemas.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type * as AjvPackage from "ajv";
import type { ValidateFunction } from "ajv";
import { diag } from "../../diagnostics/messages.js";
import type { CompileContext } from "../context.js";
import { packageAsset } from "../../util/package.js";
import type * as ir from "../3-lower/ir.js";
import { fileHash, fileSize, fileText, type EmittedFile } from "./files.js";
import { KeptFindings } from "./kept.js";
import { keyOf } from "../../util/hash.js";
import { decodeMof, readMof, type MofClass, type MofDocument } from "../../mof/reader.js";
import { classIndex, validateDocument, type MofProblem } from "../../mof/validate.js";
import { mofPath, SYSTEMS_MANAGER_TEMPLATE as TEMPLATE } from "./cloudformation/index.js";
import { DEPENDENCIES_TEMPLATE } from "./cloudformation/dependencies.js";
import { PIPELINE_TEMPLATE } from "./cloudformation/pipeline.js";
import { SSM_SCHEMA_FILE } from "./ssm/index.js";
import { copies, HOOK_SCRIPTS } from "./codedeploy/index.js";
import { yamlPackage } from "./yaml.js";

export const SSM_DOCUMENT_LIMIT = 65536;
/** CloudFormation's limits on a template: read from S3, and sent inline (TemplateBody). */
export const TEMPLATE_LIMIT = 1_000_000;
export const TEMPLATE_INLINE_LIMIT = 51_200;

let validateSsm: ValidateFunction | undefined;

function ssmValidator(): ValidateFunction {
  if (!validateSsm) {
    const schema = JSON.parse(readFileSync(packageAsset("ssmSchema"), "utf8")) as object;
    // (ajv is loaded here, not at start-up: a build whose SSM documents' findings are all kept never needs it)
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof AjvPackage;
    validateSsm = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validateSsm;
}

let builtinSchemas: MofDocument[] | undefined;

/** The in-box classes (stdlib/dsc/schemas), read once. */
function builtinClasses(): MofDocument[] {
  if (!builtinSchemas) {
    const dir = packageAsset("dscSchemas");
    builtinSchemas = readdirSync(dir)
      .filter((f) => f.endsWith(".mof"))
      .sort()
      .map((f) => readMof(decodeMof(readFileSync(join(dir, f))), f));
  }
  return builtinSchemas;
}

function bytesOf(file: EmittedFile): Uint8Array {
  return typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
}

/** The owner of results about the whole output (one per process). */
const OUTPUT = {};

/**
 * Every instance of every DSC document fits its class: the in-box schemas and the ones we generate.
 * With the persistent cache, a document's problems are kept by its sha256 and the generated schemas'
 * (the in-box ones are fleetform's, in the cache's fingerprint): the class index is built only when
 * a document is not known.
 */
function verifyMofs(ctx: CompileContext, program: ir.Program, files: readonly EmittedFile[]): void {
  const schemas = files.filter((f) => f.path.endsWith(".schema.mof"));
  let classes: Map<string, MofClass> | undefined;
  const classesOf = (): Map<string, MofClass> => {
    if (classes) return classes;
    const texts = schemas.map((f) => ctx.memo("verify: mof text", f, [f], () => decodeMof(bytesOf(f))));
    // The class index is built again only when a generated schema's text changed. (The texts are the
    // key themselves: a text of a file reused from the last build is the same string, compared at once.)
    return (classes = ctx.memo("verify: classes", OUTPUT, () => [...texts, "|", ...schemas.map((f) => f.path)], () =>
      classIndex([...builtinClasses(), ...schemas.map((f, i) => readMof(texts[i]!, f.path))]),
    ));
  };
  let schemasKey: string | undefined;
  const keyOfSchemas = (): string => (schemasKey ??= keyOf(...schemas.flatMap((f) => [f.path, fileHash(f)])));
  const kept = new KeptFindings<MofProblem[]>(ctx, "verify-mof");
  const documents = new Map<string, EmittedFile[]>();
  for (const f of files) {
    const m = /^dsc\/([^/]+)\/[^/]+\.mof$/.exec(f.path);
    if (m) documents.set(m[1]!, [...(documents.get(m[1]!) ?? []), f]);
  }
  for (const c of program.configurations) {
    for (const file of documents.get(c.name) ?? []) {
      const problems = ctx.memo("verify: document", file, () => [file, classesOf()], () =>
        kept.of(() => keyOf(file.path, fileHash(file), keyOfSchemas()), () => validateDocument(readMof(decodeMof(bytesOf(file)), file.path), classesOf())),
      );
      if (problems.length > 0) {
        const message = problems.map((p) => `${p.instance}${p.property ? `.${p.property}` : ""}: ${p.message}`).join("; ");
        ctx.diagnostics.add(diag("SchemaViolation", { file: file.path, schema: "its DSC classes", message }, c.origin));
      }
    }
  }
  kept.save();
}

/** Everything the delivery files point at is in the bundle (the seed's appspec listed folders that did not exist). */
function verifyBundle(ctx: CompileContext, program: ir.Program, files: readonly EmittedFile[]): void {
  // (made again only when the list of paths changed)
  const paths = ctx.memo("verify: bundle paths", OUTPUT, () => files.map((f) => f.path), () => {
    const all = new Set<string>();
    for (const f of files) {
      // The file and every folder above it.
      for (let at = f.path.length; at > 0; at = f.path.lastIndexOf("/", at - 1)) all.add(f.path.slice(0, at));
    }
    return all;
  });
  const exists = (p: string): boolean => paths.has(p.replace(/\/+$/, "")) || p === "manifest.json";
  for (const c of copies(program)) {
    if (!exists(c.source)) ctx.diagnostics.add(diag("BundleSourceMissing", { what: "appspec.yml source", path: c.source }));
  }
  for (const script of Object.values(HOOK_SCRIPTS)) {
    if (!exists(script)) ctx.diagnostics.add(diag("BundleSourceMissing", { what: "appspec.yml hook", path: script }));
  }
  for (const c of program.configurations) {
    if (c.delivery.dsc && !exists(mofPath(c))) ctx.diagnostics.add(diag("BundleSourceMissing", { what: "MofsToApply document", path: mofPath(c) }, c.origin));
  }
}

/** The template holds every SSM document, so it outgrows CloudFormation's limits before they do. */
function verifyTemplate(ctx: CompileContext, program: ir.Program, byPath: ReadonlyMap<string, EmittedFile>): void {
  const template = byPath.get(TEMPLATE);
  if (!template) return;
  const size = fileSize(template);
  if (size <= TEMPLATE_INLINE_LIMIT || program.configurations.length === 0) return;
  // Reported at the configuration with the largest document: the first one to shrink.
  const largest = program.configurations
    .map((c) => {
      const doc = byPath.get(`ssm/${c.name}.yaml`);
      return { c, size: doc ? fileSize(doc) : 0 };
    })
    .reduce((a, b) => (b.size > a.size ? b : a));
  if (size <= TEMPLATE_LIMIT) {
    if (!program.stack.deployFromS3) ctx.diagnostics.add(diag("TemplateNeedsS3", { file: TEMPLATE, size, limit: TEMPLATE_INLINE_LIMIT, largest: largest.c.name, documentSize: largest.size }, largest.c.origin));
  } else ctx.diagnostics.add(diag("TemplateTooLarge", { file: TEMPLATE, size, limit: TEMPLATE_LIMIT, largest: largest.c.name, documentSize: largest.size }, largest.c.origin));
}

/**
 * A stack parameter of fleetform.config.ts that neither stack template declares (each declares the
 * ones it uses): nothing reads it and the pipeline never asks for it, which is seldom what its
 * author meant. The templates are fleetform's YAML, whose Parameters are the 2-space keys of its
 * top-level Parameters block.
 */
function verifyStackParameters(ctx: CompileContext, program: ir.Program, byPath: ReadonlyMap<string, EmittedFile>): void {
  if (program.stack.parameters.length === 0) return;
  const declared = new Set<string>();
  for (const path of [TEMPLATE, DEPENDENCIES_TEMPLATE]) {
    const file = byPath.get(path);
    if (file) for (const name of topLevelKeys(fileText(file), "Parameters")) declared.add(name);
  }
  // Parameters and resources share a template's names (a Ref names either): CloudFormation refuses
  // a stack parameter named like a resource a template makes of its own.
  const resources = new Map<string, string>();
  for (const path of [TEMPLATE, DEPENDENCIES_TEMPLATE, PIPELINE_TEMPLATE]) {
    const file = byPath.get(path);
    if (file) for (const name of topLevelKeys(fileText(file), "Resources")) if (!resources.has(name)) resources.set(name, path);
  }
  for (const p of program.stack.parameters) {
    const template = resources.get(p.name);
    if (template) ctx.diagnostics.add(diag("NameInvalid", { what: "stack parameter", name: p.name, message: `${template} has a resource of that name, and a template's parameters and resources share one set of names` }, p.origin));
    else if (!declared.has(p.name)) ctx.diagnostics.add(diag("StackParameterUnused", { name: p.name }, p.origin));
  }
}

/** The keys of a top-level block (Parameters, Resources) of fleetform's YAML: its 2-space keys. */
export function topLevelKeys(text: string, block: string): string[] {
  const body = new RegExp(`^${block}:\\n((?: {2}.*\\n|\\n)*)`, "m").exec(text)?.[1] ?? "";
  return [...body.matchAll(/^ {2}([A-Za-z0-9]+):/gm)].map((m) => m[1]!);
}

export function verify(ctx: CompileContext, program: ir.Program, files: readonly EmittedFile[]): void {
  verifyMofs(ctx, program, files);
  verifyBundle(ctx, program, files);
  const byPath = new Map(files.map((f) => [f.path, f]));
  verifyStackParameters(ctx, program, byPath);
  // (with the persistent cache, a document's schema check is kept by its sha256)
  const kept = new KeptFindings<{ message?: string }>(ctx, "verify-ssm");
  for (const c of program.configurations) {
    const file = byPath.get(`ssm/${c.name}.yaml`);
    if (!file) continue;
    const size = fileSize(file);
    const { message } = ctx.memo("verify: ssm", file, [file], () => kept.of(() => fileHash(file), () => {
      const text = fileText(file);
      const validate = ssmValidator();
      const valid = validate(yamlPackage().parse(text));
      return valid ? {} : { message: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`).join("; ") };
    }));
    if (size > SSM_DOCUMENT_LIMIT) ctx.diagnostics.add(diag("DocumentTooLarge", { configuration: c.name, size }, c.origin));
    if (message !== undefined) ctx.diagnostics.add(diag("SchemaViolation", { file: file.path, schema: SSM_SCHEMA_FILE, message }, c.origin));
  }
  kept.save();
  // A document over its own limit is the error to fix first; the template's size follows from it.
  if (!ctx.diagnostics.hasErrors()) verifyTemplate(ctx, program, byPath);
}
