// examples/docutap/buildspec.yml against CodeBuild's buildspec 0.2 rules
// (shared/reference/notes/aws.md §h): the build builds and tests (a failing Pester test fails the
// build — the seed ran Invoke-Pester without -EnableExit/-CI, so it never did), the JUnit report
// is where the report group looks, dist/ is the artifact, and commands survive YAML.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeOutput } from "../../compiler/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, parse, parseDocument, type Document } from "yaml";
import { docutapRoot, parseCfn, resourcesOf, textOf, buildDocutap, assertOk } from "./helpers.js";

const PHASES = ["install", "pre_build", "build", "post_build"];
const REPORT_FORMATS = ["CUCUMBERJSON", "JUNITXML", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX", "CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"];
const TOP_LEVEL = ["version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"];

interface Phase {
  "runtime-versions"?: Record<string, unknown>;
  commands?: unknown[];
  finally?: unknown[];
  "on-failure"?: string;
}

interface Buildspec {
  version: unknown;
  env?: { variables?: Record<string, unknown> };
  phases: Record<string, Phase>;
  reports?: Record<string, { files: string[]; "base-directory"?: string; "file-format"?: string; "discard-paths"?: string }>;
  artifacts: { files: string[]; "base-directory"?: string };
  cache?: { paths?: string[] };
}

/** Splits a shell command into words (enough for these commands: no quotes inside the words we look at). */
const words = (command: string): string[] => command.trim().split(/\s+/);

/** `[npx] fleetform <sub> ...` commands. */
function fleetformCommands(commands: readonly string[], sub: string): string[][] {
  return commands.map(words).filter((w) => {
    const i = w.indexOf("fleetform");
    return i >= 0 && (i === 0 || w[i - 1] === "npx") && w[i + 1] === sub;
  });
}

function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe("examples/docutap/buildspec.yml", () => {
  let text: string;
  let spec: Buildspec;
  let doc: Document.Parsed;

  beforeAll(() => {
    text = readFileSync(join(docutapRoot, "buildspec.yml"), "utf8");
    doc = parseDocument(text, { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    spec = parse(text) as Buildspec;
  });

  it("is version 0.2 (a number, unquoted) with only buildspec keys", () => {
    expect(text).toMatch(/^version: 0\.2$/m);
    expect(spec.version).toBe(0.2);
    expect(Object.keys(spec).filter((k) => !TOP_LEVEL.includes(k))).toEqual([]);
    // A YAML 1.1 reader sees the same document.
    expect(parse(text, { version: "1.1" })).toEqual(spec);
  });

  it("has only the four phases, in order, each with a list of command strings", () => {
    const phases = Object.keys(spec.phases);
    expect(phases.filter((p) => !PHASES.includes(p))).toEqual([]);
    expect(phases).toEqual(PHASES.filter((p) => phases.includes(p)));
    for (const [name, phase] of Object.entries(spec.phases)) {
      expect(Object.keys(phase).filter((k) => !["run-as", "on-failure", "runtime-versions", "commands", "finally"].includes(k)), name).toEqual([]);
      expect(Array.isArray(phase.commands), `${name}.commands`).toBe(true);
      expect(phase.commands!.length, `${name}.commands`).toBeGreaterThan(0);
      for (const c of phase.commands!) expect(typeof c, `${name}: ${JSON.stringify(c)}`).toBe("string");
      if (phase["on-failure"] !== undefined) expect(["ABORT", "CONTINUE"]).toContain(phase["on-failure"]);
    }
  });

  it("installs a nodejs runtime", () => {
    const runtimes = spec.phases.install?.["runtime-versions"];
    expect(runtimes).toBeDefined();
    expect(runtimes).toHaveProperty("nodejs");
    expect(String(runtimes!.nodejs)).toMatch(/^(\d+(\.x|\.\d+)*|latest)$/);
    expect(Number.parseInt(String(runtimes!.nodejs), 10)).toBeGreaterThanOrEqual(20); // fleetform needs Node.js 20.19+
  });

  it("builds, then runs the generated tests, in the build phase: a failing test fails the build", () => {
    const commands = spec.phases.build!.commands as string[];
    const builds = fleetformCommands(commands, "build");
    const tests = fleetformCommands(commands, "test");
    expect(builds).toHaveLength(1);
    expect(tests).toHaveLength(1);
    const at = (argv: string[]): number => commands.findIndex((c) => words(c).join(" ") === argv.join(" "));
    expect(at(builds[0]!)).toBeLessThan(at(tests[0]!));
    // Nothing swallows the exit code, and the test run is not left to post_build (which runs after a failure too).
    for (const c of commands.filter((c) => /fleetform (build|test)/.test(c))) expect(c).not.toMatch(/\|\||;|\|\s*tee|exit 0|--no-typecheck/);
    for (const p of ["install", "pre_build", "post_build"]) {
      expect(fleetformCommands((spec.phases[p]?.commands ?? []) as string[], "test"), p).toEqual([]);
    }
    expect(spec.phases.build!["on-failure"] ?? "ABORT").toBe("ABORT");
  });

  it("keeps fleetform's build cache in CodeBuild's cache: the folder `fleetform build --cache-dir` names is a cache path", () => {
    const build = fleetformCommands(spec.phases.build!.commands as string[], "build")[0]!;
    const dir = optionOf(build, "--cache-dir");
    expect(dir, "fleetform build --cache-dir <dir>").toBeDefined();
    // A relative folder (relative to the source folder, as CodeBuild's cache paths are), with all of its files.
    expect(dir).not.toMatch(/^\//);
    expect(spec.cache?.paths).toContain(`${dir!.replace(/^\.\//, "").replace(/\/+$/, "")}/**/*`);
    for (const p of spec.cache!.paths!) expect(typeof p).toBe("string");
  });

  it("publishes the JUnit file `fleetform test --junit` writes as a JUNITXML report", () => {
    const commands = spec.phases.build!.commands as string[];
    const junit = optionOf(fleetformCommands(commands, "test")[0]!, "--junit");
    expect(junit, "fleetform test --junit <file>").toBeDefined();
    const groups = Object.entries(spec.reports ?? {});
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.length).toBeLessThanOrEqual(5);
    const matching = groups.filter(([, g]) => {
      const base = (g["base-directory"] ?? ".").replace(/\/+$/, "");
      return g.files.some((f) => (base === "." ? f : `${base}/${f}`) === junit!.replace(/^\.\//, ""));
    });
    expect(matching.map(([name]) => name)).toHaveLength(1);
    const [, group] = matching[0]!;
    expect(REPORT_FORMATS).toContain((group["file-format"] ?? "JUNITXML").toUpperCase());
    expect((group["file-format"] ?? "JUNITXML").toUpperCase()).toBe("JUNITXML");
  });

  it("hands dist/ to the pipeline as it is: the build puts appspec.yml at its root, nothing patches the revision", async () => {
    expect(spec.artifacts["base-directory"]).toBe("dist");
    expect(spec.artifacts.files.length).toBeGreaterThan(0);
    expect(spec.artifacts.files).toContain("**/*");
    const all = Object.values(spec.phases).flatMap((p) => (p.commands ?? []) as string[]);
    // No command copies, moves or writes into dist/ (the upload of dist/dsc only reads it: `aws s3 cp` from it).
    expect(all.filter((c) => /\b(cp|mv|rsync|tee|install)\b|>\s*dist\//.test(c.replace(/\baws s3 cp "\$d" "s3:\/\/[^"]*"/g, "")))).toEqual([]);
    const build = await buildDocutap();
    assertOk(build, "examples/docutap");
    expect(build.files.map((f) => f.path)).toContain("appspec.yml");
  });

  it("takes MOF_BUCKET/MOF_PREFIX from the CodeBuild project (pipeline.yaml), not from its own env (which would win over the project's)", async () => {
    expect(spec.env?.variables ?? {}).not.toHaveProperty("MOF_BUCKET");
    expect(spec.env?.variables ?? {}).not.toHaveProperty("MOF_PREFIX");
    const build = await buildDocutap();
    const pipeline = parseCfn(textOf(build, "cloudformation/pipeline.yaml"));
    const project = resourcesOf(pipeline).BuildProject!.Properties as { Source: { BuildSpec: string }; Environment: { EnvironmentVariables: { Name: string }[] } };
    expect(project.Source.BuildSpec).toBe("buildspec.yml");
    expect(project.Environment.EnvironmentVariables.map((v) => v.Name)).toEqual(["MOF_BUCKET", "MOF_PREFIX"]);
  });

  it("uploads each DSC document where the stack's AWS-ApplyDSCMofs association reads it, under its sha256, deleting nothing (the post_build command, run by sh with a recording aws)", async () => {
    const post = (spec.phases.post_build!.commands ?? []) as string[];
    const upload = post.find((c) => c.includes("dist/dsc"));
    expect(upload).toBeDefined();
    expect(upload).not.toMatch(/--delete|s3 rm|s3 sync/);
    const build = await buildDocutap();
    assertOk(build, "examples/docutap");
    const work = mkdtempSync(join(tmpdir(), "ff-buildspec-"));
    writeOutput(join(work, "dist"), build.files);
    const bin = join(work, "bin");
    mkdirSync(bin);
    // aws as CodeBuild's image has it, recording `s3 cp <dir> <s3 url> --recursive` as the keys it would write.
    writeFileSync(join(bin, "aws"), '#!/bin/sh\n[ "$1 $2 $5" = "s3 cp --recursive" ] || exit 3\nfor f in "$3"/*; do echo "$4$(basename "$f")" >> "$AWS_LOG"; done\n', { mode: 0o755 });
    const log = join(work, "aws.log");
    const run = (succeeding: string): ReturnType<typeof spawnSync> =>
      spawnSync("sh", ["-c", upload!], { cwd: work, encoding: "utf8", env: { PATH: `${bin}:${process.env.PATH}`, AWS_LOG: log, MOF_BUCKET: "artifacts", MOF_PREFIX: "mofs/", CODEBUILD_BUILD_SUCCEEDING: succeeding } });
    // A failed build publishes nothing.
    expect(run("0").status).toBe(0);
    expect(existsSync(log)).toBe(false);
    const r = run("1");
    expect(r.status, String(r.stderr)).toBe(0);
    const uploaded = readFileSync(log, "utf8").trim().split("\n").sort();
    const template = parseCfn(textOf(build, "cloudformation/systems-manager.yaml"));
    const read = Object.values(resourcesOf(template))
      .filter((r) => r.Properties.Name === "AWS-ApplyDSCMofs")
      .map((r) => ((r.Properties.Parameters as Record<string, { "Fn::Sub": string }[]>).MofsToApply![0]!)["Fn::Sub"]);
    expect(read.length).toBeGreaterThan(0);
    for (const key of read) {
      // s3:${MofBucketName}:${MofKeyPrefix}dsc/<Config>/<16 hex digits>/localhost.mof, as uploaded to s3://$MOF_BUCKET/$MOF_PREFIX...
      const m = /^s3:\$\{MofBucketName\}:\$\{MofKeyPrefix\}(dsc\/[A-Za-z0-9]+\/[0-9a-f]{16}\/localhost\.mof)$/.exec(key);
      expect(m, key).not.toBeNull();
      expect(uploaded).toContain(`s3://artifacts/mofs/${m![1]}`);
    }
    // An aws that fails fails the command (not only the last upload's).
    writeFileSync(join(bin, "aws"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    expect(run("1").status).not.toBe(0);
  });

  it("quotes every command with YAML-significant text (': ', ' #', a leading quote or brace), so each stays one intact string", () => {
    const phases = doc.get("phases") as unknown;
    expect(isMap(phases)).toBe(true);
    let checked = 0;
    for (const phase of (phases as { items: { value: unknown }[] }).items) {
      const commands = (phase.value as { get(k: string, keep: true): unknown }).get("commands", true);
      if (!isSeq(commands)) continue;
      for (const item of commands.items) {
        expect(isScalar(item), String(item)).toBe(true);
        if (!isScalar(item)) continue;
        const value = String(item.value);
        checked++;
        if (/: | #|^["'{[&*!|>%@`]/.test(value)) {
          expect(["QUOTE_SINGLE", "QUOTE_DOUBLE", "BLOCK_LITERAL", "BLOCK_FOLDED"], value).toContain(item.type);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The quoted commands read back as the shell text (the single-quoted YAML of the post_build commands).
    const post = spec.phases.post_build!.commands as string[];
    expect(post).toContain(
      'if [ "$CODEBUILD_BUILD_SUCCEEDING" = "1" ] && [ -n "$MOF_BUCKET" ] && [ -d dist/dsc ]; then (set -e; for d in dist/dsc/*/; do c=$(basename "$d"); h=$(sha256sum "$d/localhost.mof" | cut -c1-16); aws s3 cp "$d" "s3://$MOF_BUCKET/${MOF_PREFIX}dsc/$c/$h/" --recursive; done); fi',
    );
  });

  it("(the check above is not vacuous) an unquoted command with ': ' is not a string", () => {
    const bad = parse("phases:\n  build:\n    commands:\n      - echo status: done\n      - 'echo status: done'\n") as Buildspec;
    expect(bad.phases.build!.commands).toEqual([{ "echo status": "done" }, "echo status: done"]);
  });

  it("keeps env variables as strings", () => {
    for (const [k, v] of Object.entries(spec.env?.variables ?? {})) {
      expect(typeof v, k).toBe("string");
      expect(k).not.toMatch(/^CODEBUILD_/);
    }
  });
});
