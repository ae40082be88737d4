// Every YAML file fleetform writes, read by a YAML 1.1 reader (PyYAML, as CloudFormation, SSM and
// the CodeDeploy agent read YAML 1.1) and by fleetform's own reader (the `yaml` package, 1.2): both
// must see exactly the same data, and every string exactly the string fleetform meant, whatever it
// holds (line and paragraph separators, NEL, C0, DEL, C1, BOM, lone surrogates, 1.1-only scalars).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CompileResult } from "../../compiler/index.js";
import type * as ir from "../../compiler/phases/3-lower/ir.js";
import { emitCloudFormation } from "../../compiler/phases/4-emit/cloudformation/index.js";
import { emitCodeDeploy } from "../../compiler/phases/4-emit/codedeploy/index.js";
import { emitSsm } from "../../compiler/phases/4-emit/ssm/index.js";
import { taggedScalar, toYaml } from "../../compiler/phases/4-emit/yaml.js";
import { initFiles } from "../../compiler/init/templates.js";
import { pyyamlProblem, readWithPyYaml, readWithYaml } from "../helpers/pyyaml.js";
import { sharedCompile } from "../helpers/shared-build.js";
import { assertOk, buildDocutap, docutapRoot, repoRoot, textOf } from "./helpers.js";

const isYaml = (path: string): boolean => /\.ya?ml$/.test(path);

function yamlFiles(result: CompileResult): { path: string; text: string }[] {
  return result.files.filter((f) => isYaml(f.path)).map((f) => ({ path: f.path, text: textOf(result, f.path) }));
}

/** Both readers on every text; the texts' names where they disagree or either fails. */
function disagreements(named: readonly { path: string; text: string }[]): string[] {
  const py = readWithPyYaml(named.map((n) => n.text));
  const problems: string[] = [];
  named.forEach((n, i) => {
    const a = py[i]!;
    const b = readWithYaml(n.text);
    if ("error" in a) problems.push(`${n.path}: PyYAML: ${a.error}`);
    else if ("error" in b) problems.push(`${n.path}: yaml: ${b.error}`);
    else if (JSON.stringify(a.ok) !== JSON.stringify(b.ok)) problems.push(`${n.path}: PyYAML reads ${JSON.stringify(a.ok).slice(0, 400)}\n  yaml reads ${JSON.stringify(b.ok).slice(0, 400)}`);
  });
  return problems;
}

describe("PyYAML (YAML 1.1) is there", () => {
  it("is installed for /usr/bin/python3 (scripts/setup-test-deps.mjs, .ci/run): a missing reader fails, it never skips", () => {
    expect(pyyamlProblem()).toBeUndefined();
  });
});

describe("every emitted YAML file reads the same under YAML 1.1 (PyYAML) and fleetform's reader", () => {
  it("examples/docutap build output, its buildspec.yml and the init template's", async () => {
    const docutap = await buildDocutap();
    assertOk(docutap, "docutap");
    const named = yamlFiles(docutap);
    expect(named.map((n) => n.path)).toEqual(expect.arrayContaining(["cloudformation/systems-manager.yaml", "cloudformation/pipeline.yaml", "appspec.yml"]));
    named.push({ path: "examples/docutap/buildspec.yml", text: readFileSync(join(docutapRoot, "buildspec.yml"), "utf8") });
    for (const [path, text] of Object.entries(initFiles("demo", "0.1.0"))) if (isYaml(path)) named.push({ path: `init:${path}`, text });
    expect(disagreements(named)).toEqual([]);
  });

  it("the golden cases' build output", async () => {
    const casesDir = join(repoRoot, "test", "golden", "cases");
    const named: { path: string; text: string }[] = [];
    for (const name of readdirSync(casesDir).filter((n) => n !== "docutap").sort()) {
      const result = await sharedCompile(join(casesDir, name, "input"));
      assertOk(result, name);
      for (const f of yamlFiles(result)) named.push({ path: `${name}:${f.path}`, text: f.text });
    }
    expect(named.length).toBeGreaterThan(0);
    expect(disagreements(named)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile values through the real emitters

/** The reported injection: a target value that, read by a 1.1 reader, adds an IAM user with administrator rights. */
const INJECTION = "web\u2028  AdminUser:\u2028    Type: AWS::IAM::User\u2028    Properties:\u2028      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\u2028#";
const HOSTILE = [
  INJECTION,
  INJECTION.replace(/\u2028/g, "\u2029"),
  INJECTION.replace(/\u2028/g, "\u0085"),
  "x\r\n  Evil: 1",
  "del\u007f and c1 \u0080\u009b\u009f",
  "\ufeffbom",
  "lone \ud800 and \udfff",
  "yes",
  "Off",
  "y",
  "1:20",
  "010",
  "0o17",
  "=",
  "<<",
  ".Inf",
  "2001-12-14 21:59:43.10 -5",
  "~",
  "",
];

function lit(value: string): ir.CfnString {
  return { kind: "literal", value };
}

/** docutap's program with a hostile value in every string fleetform writes from the author's text. */
function hostileProgram(base: ir.Program, h: string): ir.Program {
  const configurations = base.configurations.map((c) => ({ ...c, description: h, targets: { tag: h, values: [lit(h), ...c.targets.values] } }));
  const stack: ir.Stack = {
    ...base.stack,
    parameters: [...base.stack.parameters, { name: "Hostile", description: h, default: h, allowedValues: [h] }],
    associations: base.stack.associations.map((a) => ({ ...a, targets: { tag: h, values: [lit(h)] }, parameters: [...a.parameters, { name: h === "" ? "empty" : h, values: [lit(h), { kind: "sub", template: h }] }] })),
    alerts: { email: lit(h) },
  };
  return { ...base, configurations, stack };
}

describe("hostile values in the generated files", () => {
  let base: ir.Program;
  beforeAll(async () => {
    const docutap = await buildDocutap();
    assertOk(docutap, "docutap");
    base = docutap.program!;
  });

  it("every class of hostile string is read back exactly, and the injected IAM user does not exist for a YAML 1.1 reader", () => {
    const named: { path: string; text: string }[] = [];
    for (const [i, h] of HOSTILE.entries()) {
      const program = hostileProgram(base, h);
      named.push({ path: `${i}:cloudformation`, text: emitCloudFormation(program).content as string });
      for (const c of program.configurations.filter((x) => x.delivery.runCommand)) named.push({ path: `${i}:ssm/${c.name}`, text: emitSsm(c).content as string });
      for (const f of emitCodeDeploy(program).filter((x) => isYaml(x.path))) named.push({ path: `${i}:${f.path}`, text: f.content as string });
    }
    expect(disagreements(named)).toEqual([]);

    const py = readWithPyYaml(named.filter((n) => n.path.endsWith(":cloudformation")).map((n) => n.text));
    for (const [i, r] of py.entries()) {
      const text = JSON.stringify(r);
      expect(text, `hostile value ${i}`).not.toMatch(/"AdminUser"|AWS::IAM::User"|"Evil"/);
      // The target value is exactly the hostile string, in the first configuration's association.
      expect(text).toContain(JSON.stringify(["Key", `tag:${HOSTILE[i]}`]).slice(1, -1));
    }
  });

  it("no raw line break other than \\n, no DEL, C1, BOM or other unsafe character in any file", () => {
    for (const h of HOSTILE) {
      const text = emitCloudFormation(hostileProgram(base, h)).content as string;
      expect(text).not.toMatch(/[\r\u0085\u2028\u2029\u007f-\u009f\ufeff\ud800-\udfff]/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The serialiser on a corpus of 100,000+ strings

/** Every character a YAML 1.1 reader treats as a line break, and the rest of the unsafe classes. */
const SEPARATORS = ["\n", "\r", "\u0085", "\u2028", "\u2029", "\u000b", "\u000c"];
const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
const C0 = range(0x00, 0x1f);
const C1 = range(0x80, 0x9f);
const SURROGATES = range(0xd800, 0xdfff);
const SPECIAL_CHARS = [...SEPARATORS, ...C0, "\u007f", ...C1, "\ufeff", "\u00a0", "\u200b", "\u202e", "\u2066", "\ufffe", "\uffff", "\ue000", "\u{1f600}", "\u{10ffff}"];
const WORDS_11 = ["y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "=", "<<", ".inf", ".Inf", ".INF", "-.inf", "+.INF", ".nan", ".NaN", ".NAN", "NaN", "0", "010", "0o17", "0x1F", "0b101", "1_000", "1:20", "190:20:30", "1:20.5", "-1:20", "1e5", "1.5e+3", "1.", ".5", "+1", "-0", "2002-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 Z"];

/** Strings built from the interesting characters, YAML indicators and the 1.1 scalars, around plain text. */
const corpusString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...SPECIAL_CHARS, ...SURROGATES.filter((_, i) => i % 97 === 0)), fc.constantFrom(..."ab :#-?&*!|>'\"%@`,[]{}\\/.0123456789"), fc.constantFrom("é", "ß", "日", "\u{1d11e}")), maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS_11), fc.constantFrom("", " ", "#", ":", " x")).map(([w, s]) => w + s) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789_:.-+eExXoObB ZTt"), minLength: 1, maxLength: 12 }) },
);

/** Every special character alone and inside text, every lone surrogate, every 1.1 word, the injection. */
function fixedCorpus(): string[] {
  const out = [INJECTION, ...WORDS_11, ...SURROGATES, ...SURROGATES.map((s) => `a${s}b`)];
  for (const ch of [...SPECIAL_CHARS, ...range(0x20, 0x7e)]) out.push(ch, `a${ch}b`, `${ch} x: y`, `key:${ch}  Evil: 1`, ` ${ch} `);
  return out;
}

const BATCHES = 8;
const tenth = (_: string, i: number): boolean => i % 10 === 0;
const RANDOM = 100_000;

describe("the YAML serialiser (compiler/phases/4-emit/yaml.ts) on a corpus of strings", () => {
  it(`${RANDOM}+ strings as values and keys (every tenth in a tagged scalar): PyYAML and fleetform's reader read back exactly each string`, () => {
    const strings = [...fixedCorpus(), ...fc.sample(corpusString, { numRuns: RANDOM, seed: 20261205 })];
    expect(strings.length).toBeGreaterThanOrEqual(RANDOM);
    // Every separator, C0, C1, DEL, BOM, NEL and lone surrogate is in the corpus.
    const all = strings.join("");
    for (const ch of [...SEPARATORS, ...C0, ...C1, "\u007f", "\ufeff", ...SURROGATES]) expect(all.includes(ch), `U+${ch.charCodeAt(0).toString(16)}`).toBe(true);

    const size = Math.ceil(strings.length / BATCHES);
    const docs: { strings: string[]; text: string }[] = [];
    for (let b = 0; b < BATCHES; b++) {
      const part = strings.slice(b * size, (b + 1) * size);
      const keys = new Map<string, string>();
      for (const s of part) keys.set(s, s);
      // Every tenth string also as the text of a tagged scalar (!Sub): PyYAML's pure-Python reader sets the pace.
      const text = toYaml({ values: part, keys, tagged: part.filter(tenth).map((s) => taggedScalar("!Sub", s)) });
      docs.push({ strings: part, text });
    }
    const py = readWithPyYaml(docs.map((d) => d.text));
    docs.forEach((d, b) => {
      const keys = [...new Set(d.strings)];
      const expected = ["map", [["values", ["seq", d.strings]], ["keys", ["map", keys.map((k) => [k, k])]], ["tagged", ["seq", d.strings.filter(tenth).map((s) => ["map", [["Fn::Sub", s]]])]]]] as const;
      const mine = readWithYaml(d.text);
      const theirs = py[b]!;
      if ("error" in theirs) throw new Error(`batch ${b}: PyYAML: ${theirs.error}`);
      if ("error" in mine) throw new Error(`batch ${b}: yaml: ${mine.error}`);
      // Compared part by part, entry by entry, so a failure names the strings.
      for (const [who, read] of [["PyYAML", theirs.ok], ["yaml", mine.ok]] as const) {
        const parts = (read as [string, [string, [string, unknown[]]][]])[1];
        const want = (expected as unknown as [string, [string, [string, unknown[]]][]])[1];
        expect(parts.map((p) => p[0]), `batch ${b}: ${who}: top-level keys`).toEqual(["values", "keys", "tagged"]);
        parts.forEach((part, n) => {
          const got = part[1][1];
          const exp = want[n]![1][1];
          const bad = exp.map((e, i) => [e, got[i]] as const).filter(([e, g]) => JSON.stringify(e) !== JSON.stringify(g)).slice(0, 5);
          expect(bad.map(([e, g]) => `${JSON.stringify(e)} read as ${JSON.stringify(g)}`), `batch ${b}: ${who}: ${part[0]}`).toEqual([]);
          expect(got.length, `batch ${b}: ${who}: ${part[0]} count`).toBe(exp.length);
        });
      }
    });
  }, 300_000);

  it("a string with any unsafe character is one double-quoted line, and 1.1-only scalars are quoted", () => {
    const text = toYaml({ a: "x\u2028y", b: "yes", c: "1:20", d: "\u0085", e: "plain text" });
    expect(text).toBe('a: "x\\u2028y"\nb: "yes"\nc: "1:20"\nd: "\\x85"\ne: plain text\n');
  });
});

