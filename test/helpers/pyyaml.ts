// PyYAML (Debian's python3-yaml, installed by scripts/setup-test-deps.mjs and .ci/run) as the YAML
// 1.1 reader the emitted YAML files are checked with: CloudFormation, SSM and the CodeDeploy agent
// read YAML 1.1, fleetform's own `yaml` package reads 1.2. Many documents are read in one python
// process. PyYAML's pure-Python SafeLoader is used (its reader rejects characters YAML does not
// allow, such as DEL and C1 controls, raw in the file), with constructors for CloudFormation's
// short-form tags that give the same JSON form as test/delivery/helpers.ts's cfnTags.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { isMap, isSeq, parseDocument, type ScalarTag } from "yaml";

export const SYSTEM_PYTHON = "/usr/bin/python3";

const READER = String.raw`
import datetime, json, sys, yaml

class Loader(yaml.SafeLoader):
    pass

def ref(loader, node):
    return {"Ref": loader.construct_scalar(node)}
def sub(loader, node):
    return {"Fn::Sub": loader.construct_scalar(node)}
def getatt(loader, node):
    v = loader.construct_scalar(node)
    a, _, b = v.partition(".")
    return {"Fn::GetAtt": [a, b]}
Loader.add_constructor("!Ref", ref)
Loader.add_constructor("!Sub", sub)
Loader.add_constructor("!GetAtt", getatt)

def plain(x):
    # Mappings become ["map", [[key, value], ...]] so that keys of any type and order survive JSON.
    if isinstance(x, dict):
        return ["map", [[plain(k), plain(v)] for k, v in x.items()]]
    if isinstance(x, list):
        return ["seq", [plain(v) for v in x]]
    if isinstance(x, (datetime.date, datetime.datetime)):
        return ["timestamp", x.isoformat()]
    if isinstance(x, bytes):
        return ["binary", x.hex()]
    if isinstance(x, float) and x != x:
        return ["nan"]
    if isinstance(x, float) and x in (float("inf"), float("-inf")):
        return ["inf", x > 0]
    return x

out = []
for text in json.load(sys.stdin):
    try:
        out.append({"ok": plain(yaml.load(text, Loader=Loader))})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
sys.stdout.write(json.dumps(out, ensure_ascii=True))
`;

export type Read = { ok: unknown } | { error: string };

/** Whether PyYAML can be run; the tests fail (never skip) when it cannot. */
export function pyyamlProblem(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} is missing: install Debian's python3-yaml (node scripts/setup-test-deps.mjs)`;
  const r = spawnSync(SYSTEM_PYTHON, ["-c", "import yaml"], { encoding: "utf8" });
  if (r.status !== 0) return `PyYAML is not installed for ${SYSTEM_PYTHON}: install Debian's python3-yaml (node scripts/setup-test-deps.mjs)\n${r.stderr}`;
  return undefined;
}

/** Reads every text with PyYAML (YAML 1.1) in one python process. */
export function readWithPyYaml(texts: readonly string[]): Read[] {
  const problem = pyyamlProblem();
  if (problem) throw new Error(problem);
  // JSON.stringify escapes lone surrogates (\ud800), which Python's json reads back as the same code unit.
  const r = spawnSync(SYSTEM_PYTHON, ["-c", READER], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`PyYAML reader failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as Read[];
}

const cfnTags: ScalarTag[] = [
  { tag: "!Ref", resolve: (v: string) => ({ Ref: v }) },
  { tag: "!Sub", resolve: (v: string) => ({ "Fn::Sub": v }) },
  {
    tag: "!GetAtt",
    resolve: (v: string) => {
      const dot = v.indexOf(".");
      return dot < 0 ? { "Fn::GetAtt": [v, ""] } : { "Fn::GetAtt": [v.slice(0, dot), v.slice(dot + 1)] };
    },
  },
];

/** The same form from fleetform's own reader (the `yaml` package, YAML 1.2, the default options). */
export function readWithYaml(text: string): Read {
  const doc = parseDocument(text, { customTags: cfnTags, uniqueKeys: true });
  if (doc.errors.length > 0) return { error: doc.errors.map((e) => e.message).join("; ") };
  const plain = (x: unknown): unknown => {
    if (x instanceof Map) return ["map", [...x.entries()].map(([k, v]) => [plain(k), plain(v)])];
    if (Array.isArray(x)) return ["seq", x.map(plain)];
    if (x !== null && typeof x === "object") return ["map", Object.entries(x).map(([k, v]) => [k, plain(v)])];
    if (typeof x === "number" && Number.isNaN(x)) return ["nan"];
    if (x === Infinity || x === -Infinity) return ["inf", x > 0];
    return x;
  };
  if (!isMap(doc.contents) && !isSeq(doc.contents) && doc.contents !== null) return { ok: plain(doc.toJS()) };
  return { ok: plain(doc.toJS({ mapAsMap: true })) };
}
