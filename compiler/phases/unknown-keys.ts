// Options an authoring call does not take: a misspelt option is one mistake, reported once, at the
// misspelling, with the option it most likely means. tsc reports the same key as an excess property
// (that error is the one dropped: ours points at the key and names what was meant), and the checks
// of the option it means leave its absence alone (no "name 'undefined' is not valid" beside it).
import type { Span, Where } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { closest } from "../util/text.js";
import type { CompileContext } from "./context.js";

/**
 * The options of each authoring call, as stdlib/api/define.ts declares them (test/unit/unknown-keys.test.ts
 * reads that file and compares).
 */
export const OPTIONS = {
  /** defineConfig() (ConfigOptions). */
  config: ["layers", "modules", "configurations", "out", "install", "sameLayerImports", "dsc", "stack"],
  /** defineModule() (ModuleOptions). */
  module: ["name", "layer", "version", "description", "author"],
  /** fn() (FnOptions). */
  fn: ["name", "description", "params", "returns", "body"],
  /** extern() (ExternOptions). */
  extern: ["name", "module", "version", "builtin", "params", "switches"],
  /** resource() (ResourceOptions). */
  resource: ["name", "description", "properties", "get", "test", "set", "safe", "reboot", "disruptive"],
  /** A resource instance's options, its second argument (ScriptInstanceOptions: dsc.Script's; the check says where safe and disruptive do not apply). */
  instance: ["dependsOn", "safe", "disruptive"],
  /** configuration() (ConfigurationOptions). */
  configuration: ["name", "description", "targets", "schedule", "resources", "version", "timeoutSeconds", "delivery", "lcm", "association"],
} as const satisfies Record<string, readonly string[]>;

/** The options of each t.* type, as stdlib/api/types.ts declares them (their `Common` ones included). */
const COMMON = ["description", "key", "optional"] as const;
export const TYPE_OPTIONS = {
  string: [...COMMON, "pattern", "minLength", "maxLength", "default"],
  int: [...COMMON, "min", "max", "default"],
  bool: [...COMMON, "default"],
  enum: [...COMMON, "default"],
  array: [...COMMON],
  map: [...COMMON],
  script: [...COMMON],
  secret: [...COMMON],
  credential: [...COMMON],
} as const satisfies Record<string, readonly string[]>;

/**
 * A t.* type's options as given, and the ones its kind has (undefined for an unknown kind): the
 * arguments of t.enum, t.array and t.map (values, items) are not options.
 */
export function typeOptions(type: Readonly<Record<string, unknown>>): { name: unknown; given: Record<string, unknown>; known: readonly string[] | undefined } {
  const { type: name, ...given } = type as Record<string, unknown>;
  if (name === "enum" || name === "map") delete given.values;
  if (name === "array") delete given.items;
  return { name, given, known: TYPE_OPTIONS[name as keyof typeof TYPE_OPTIONS] };
}

/**
 * Whether a t.* type was given a misspelling of `default` or `optional` (FF2106 at its definition,
 * "did you mean"): whether its property is required is then what the author did not write.
 */
export function misspeltOptionality(type: Readonly<Record<string, unknown>>): boolean {
  const { given, known } = typeOptions(type);
  if (known === undefined) return false;
  return Object.keys(given).some((k) => !known.includes(k) && k !== "site" && ["default", "optional"].includes(meantKey(k, given, known)!));
}

/** The known key an unknown one most likely means: one not given, else any (FF2106's "did you mean"). */
function meantKey(key: string, given: Readonly<Record<string, unknown>>, known: readonly string[]): string | undefined {
  return closest(key, known.filter((k) => given[k] === undefined)) ?? closest(key, known);
}

/**
 * The keys of `given` that `known` lacks, each reported at its key (FF2106, with the known key it
 * most likely means: one not given, else any). Returns the known keys not given that a misspelling
 * means: their own errors (missing, 'undefined' not valid) would say the same again. The
 * definition's `site` (the authoring call's place, which every definition carries) is not an option.
 */
export function reportUnknownKeys(ctx: CompileContext, given: Readonly<Record<string, unknown>>, known: readonly string[], owner: string, spanOf: (key: string) => Span | undefined, what: "option" | "property" | "parameter" = "option"): Set<string> {
  const meant = new Set<string>();
  for (const key of Object.keys(given).sort()) {
    if (known.includes(key) || key === "site") continue;
    const suggestion = meantKey(key, given, known);
    if (suggestion !== undefined && given[suggestion] === undefined) meant.add(suggestion);
    ctx.diagnostics.add(diag("PropertyUnknown", { owner, what, name: key }, spanOf(key), suggestion ? [{ message: `did you mean '${suggestion}'?` }] : []));
  }
  return meant;
}

/**
 * Whether option `key` of `given` is left out. When it is, that is reported once: as FF2139 at
 * `span` (what the option must be), unless a misspelt option means it (reported as FF2106 already,
 * see reportUnknownKeys' `meant`).
 */
export function optionLeftOut(ctx: CompileContext, given: Readonly<Record<string, unknown>>, key: string, meant: ReadonlySet<string>, owner: string, expected: string, span: Where): boolean {
  if (given[key] !== undefined) return false;
  if (!meant.has(key)) ctx.diagnostics.add(diag("OptionMissing", { owner, option: key, expected }, span));
  return true;
}
