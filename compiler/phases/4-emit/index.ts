import type * as ir from "../3-lower/ir.js";
import { fileHash, type EmittedFile } from "./files.js";
import { KeptFindings, keptFiles } from "./kept.js";
import { loweringKey } from "../3-lower/kept.js";
import { keyOf } from "../../util/hash.js";
import { emitManifest, manifestEntry } from "./manifest/index.js";
import { emitDscResourceTests } from "./pester/dsc-resources.js";
import { closure, emitConfigurationTests, emitManifestTest, emitModuleTests, emitStubModules, emitSharedTestModule, emitTestRunner } from "./pester/index.js";
import { emitConfiguration } from "./powershell/configuration.js";
import { emitModule } from "./powershell/module.js";
import { emitBaseSchema, emitSsm, emitSsmSchema } from "./ssm/index.js";
import { emitDscDocuments, emitDscResources } from "./mof/index.js";
import { emitCloudFormation, mofKey } from "./cloudformation/index.js";
import { emitDependencies, moduleReads } from "./cloudformation/dependencies.js";
import { emitPipeline } from "./cloudformation/pipeline.js";
import { emitCodeDeploy } from "./codedeploy/index.js";
import { PACKAGE_ASSETS } from "../../util/package.js";
import type { CompileContext } from "../context.js";

export type { EmittedFile } from "./files.js";

/**
 * IR in, files out (as data: nothing here touches the file system). Sorted by path. In a watch
 * session (ctx.memo), a module's files are reused while its IR is the same object, and a
 * configuration's while it and the modules it requires are. With the persistent cache (ctx.disk,
 * keptFiles), a module's files are kept by the digest of its IR, a configuration's by the digest of
 * its IR and of what it uses of the modules it requires, the templates by what they embed: a build
 * in a new process emits only what a change can affect.
 */
export function emit(ctx: CompileContext, program: ir.Program): EmittedFile[] {
  const steps = emitting(ctx, program);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * emit() in turns: each module's and configuration's files, once made, are passed to `made` (the
 * build sends their PowerShell to pwsh, which parses it while the next are made), and the event
 * loop runs between turns (what was written to pwsh's input flows while the main thread emits).
 * The time spent making files is added to ctx's "emit" step.
 */
export async function emitInTurns(ctx: CompileContext, program: ir.Program, made: (files: readonly EmittedFile[]) => void): Promise<EmittedFile[]> {
  const steps = emitting(ctx, program);
  for (;;) {
    const step = ctx.time("emit", () => steps.next());
    if (step.done) return step.value;
    made(step.value);
    await new Promise((next) => setImmediate(next));
  }
}

/** emit's work, yielding the files of each module and configuration once they are made. */
function* emitting(ctx: CompileContext, program: ir.Program): Generator<readonly EmittedFile[], EmittedFile[]> {
  const files: EmittedFile[] = [];
  // A file made again on every build with the content and source it had in the last one: the last
  // one's object, so that its manifest entry and watch's comparison with what it wrote are reused.
  const kept = (f: EmittedFile): EmittedFile => ctx.memo("emit: file", f.path, [f.content, f.source], () => f);
  for (const f of program.runtime.files) {
    files.push(kept({ path: `modules/${program.runtime.name}/${f.path}`, content: f.content, source: `fleetform:${PACKAGE_ASSETS.runtime}/${f.path}` }));
  }
  // A result per IR object, made once in this build and, in a watch session, once per object
  // (ctx.memo alone computes again without a session).
  const perObject = <O extends object, T>(kind: string, f: (o: O) => T): ((o: O) => T) => {
    const made = new Map<O, T>();
    return (o) => {
      if (!made.has(o)) made.set(o, ctx.memo(kind, o, [], () => f(o)));
      return made.get(o)!;
    };
  };
  // What a module's code reads on the instance (the dependencies template grants it).
  const readsOf = perObject("emit: module reads", (m: ir.Module) => {
    const reads = moduleReads(m);
    return { reads, text: JSON.stringify(reads) as string };
  });
  // Digests of a module's IR (the content keys): `whole`, of all of it; `use`, of what configurations'
  // files use of it (its name, version, requires, resource types and externs; not its description or
  // functions); and the text of what it reads. Its resource types, most of its text, are serialised
  // once for both digests. With the persistent cache, a module lowered under a key (3-lower/kept.ts:
  // its IR is a function of that key) has them kept by that key, without serialising its IR again.
  const keptDigests = new KeptFindings<ModuleDigests>(ctx, "emit-module-digests");
  const digestOf = perObject("emit: module digests", (m: ir.Module): ModuleDigests => {
    const compute = (): ModuleDigests => {
      const resources = JSON.stringify(m.resources);
      return {
        whole: keyOf("module", JSON.stringify({ ...m, resources: undefined }), resources),
        use: keyOf("module use", JSON.stringify([m.name, m.version, m.requires, m.externModules, m.externs]), resources),
        reads: readsOf(m).text,
      };
    };
    const lowered = loweringKey(m);
    return lowered === undefined ? compute() : keptDigests.of(() => lowered, compute, (d) => typeof d.whole === "string" && typeof d.use === "string" && typeof d.reads === "string");
  });
  for (const m of program.modules) {
    // The same IR object, else (a module lowered again because a file it imports changed) the same
    // IR by content: in this session, else in the persistent cache.
    const byContent = (): EmittedFile[] => keptFiles(ctx, "emit-module", () => [digestOf(m).whole], () => emitModuleFiles(m));
    const made = ctx.memo("emit: module", m, [m], () => ctx.memo("emit: module by content", m.name, () => [digestOf(m).whole], byContent));
    files.push(...made);
    yield made;
  }
  const settings = JSON.stringify([program.install, program.dsc, program.runtime.name, program.runtime.version, program.generator]);
  const byName = new Map(program.modules.map((m) => [m.name, m]));
  // Kept by name and compared by content: a configuration file evaluated again (it imports a
  // changed module) usually lowers to the same IR.
  const textOf = perObject("emit: configuration fingerprint", (c: ir.Configuration) => JSON.stringify(c));
  // A configuration's files use, of the modules it requires, their names, versions, resource
  // types and externs: what a module's description or function bodies say does not matter.
  const configurationKey = (c: ir.Configuration): string[] => [textOf(c), settings, ...[...closure(c.requires.map((r) => r.name), program)].sort().map((name) => digestOf(byName.get(name)!).use)];
  for (const c of program.configurations) {
    const key = (): string[] => configurationKey(c);
    const made = ctx.memo("emit: configuration", c.name, key, () => keptFiles(ctx, "emit-configuration", key, () => emitConfigurationFiles(c, program)));
    files.push(...made);
    yield made;
  }
  if (program.configurations.some((c) => c.delivery.runCommand)) files.push(kept(emitBaseSchema(program.ssmSchema)));
  // The template embeds every configuration's document; the bundle lists every module and configuration.
  let wholeParts: string[] | undefined;
  // (and each DSC configuration's MOF key: the MOF's sha256 names it in the template, and the MOF
  // follows its modules' resource types and versions too, not their code)
  const whole = (): string[] => (wholeParts ??= [settings, JSON.stringify(program.stack), ...program.configurations.map(textOf), ...program.configurations.filter((c) => c.delivery.dsc).map((c) => mofKey(c, program))]);
  // The hooks also list, per configuration, the modules it loads: the modules' requires count too.
  const versions = (): string => program.modules.map((m) => `${m.name}@${m.version}<${m.requires.map((r) => r.name).join("+")}`).join(",");
  const withReads = (): string[] => [...whole(), ...program.modules.map((m) => digestOf(m).reads)];
  const withVersions = (): string[] => [...whole(), versions()];
  files.push(
    ...emitStubModules(program).map(kept),
    kept(emitTestRunner()),
    kept(emitManifestTest()),
    ...(program.configurations.length > 0 ? [kept(emitSharedTestModule())] : []),
    ...ctx.memo("emit: cloudformation", "template", whole, () => keptFiles(ctx, "emit-template", whole, () => [emitCloudFormation(program)])),
    // The instance role grants what module code reads too: keyed on what each module reads as well
    // (kept with its IR: a module whose other code changed reads the same).
    ...ctx.memo("emit: cloudformation", "dependencies", withReads, () => keptFiles(ctx, "emit-dependencies", withReads, () => [emitDependencies(program, (m) => readsOf(m).reads)])),
    ...ctx.memo("emit: pipeline", "template", whole, () => keptFiles(ctx, "emit-pipeline", whole, () => [emitPipeline(program)])),
    ...ctx.memo("emit: codedeploy", "bundle", withVersions, () => keptFiles(ctx, "emit-codedeploy", withVersions, () => emitCodeDeploy(program))),
  );
  keptDigests.save();
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entry = (f: EmittedFile): string => ctx.memo("emit: manifest entry", f, [], () => manifestEntry(f, fileHash(f)));
  // The entries in runs of MANIFEST_RUN files, each run's bytes kept while its files are the same
  // objects: a rebuild encodes a few runs, not an entry per file (thousands).
  const entries = (sorted: readonly EmittedFile[]): Uint8Array[] => {
    const runs: Uint8Array[] = [];
    for (let at = 0; at < sorted.length; at += MANIFEST_RUN) {
      const run = sorted.slice(at, at + MANIFEST_RUN);
      runs.push(ctx.memo("emit: manifest run", String(at), run, () => Buffer.from(run.map(entry).join(",\n"), "utf8")));
    }
    return runs;
  };
  return [...files, emitManifest(files, program, entries)];
}

/** A module's digests (see emit): of all of its IR, of what configurations' files use of it, and what it reads. */
interface ModuleDigests {
  readonly whole: string;
  readonly use: string;
  /** The text of what its code reads on the instance (moduleReads: the dependencies template's grants). */
  readonly reads: string;
}

/** Files per run of manifest entries kept together (see emit). */
const MANIFEST_RUN = 64;

function emitModuleFiles(m: ir.Module): EmittedFile[] {
  const files = [...emitModule(m), emitModuleTests(m), ...emitDscResources(m)];
  const dscTests = emitDscResourceTests(m);
  if (dscTests) files.push(dscTests);
  return files;
}

function emitConfigurationFiles(c: ir.Configuration, program: ir.Program): EmittedFile[] {
  const files: EmittedFile[] = [];
  if (c.delivery.runCommand) files.push(...emitConfiguration(c, program), emitSsm(c), emitSsmSchema(c), emitConfigurationTests(c, program));
  if (c.dscDocument) files.push(...emitDscDocuments(c, program));
  return files;
}
