// The one YAML serialiser of every emitted YAML file (ssm/*.yaml, cloudformation/*.yaml,
// appspec.yml). Its readers are YAML 1.1 readers (CloudFormation, SSM, the CodeDeploy
// agent; PyYAML in the tests) and fleetform's own YAML 1.2 reader, so a string is written so that
// both read back exactly the same string, whatever text it holds:
//   - a string with any character outside SAFE (line and paragraph separators U+2028/U+2029, NEL,
//     C0, DEL, C1, BOM, other format and separator characters, private-use characters,
//     noncharacters, lone surrogates) is double-quoted on one line, every such character escaped
//     (\n, \x85, \u2028, \uD800 ...): no raw line break a 1.1 reader would break the line at, no
//     character a strict reader rejects;
//   - a string that a 1.1 or a 1.2 reader would resolve to something else (yes/no/on/off/y/n,
//     numbers in any base, sexagesimal 1:20, .inf/.nan, timestamps, null, `=` and the `<<` merge
//     key) is double-quoted;
//   - every other string is left to the `yaml` package (plain where that is unambiguous, quoted
//     where an indicator or `: `/` #` needs it).
// Lone surrogates cannot be written as UTF-8: they are escaped (\uD800), which the `yaml` package and
// PyYAML read back as the same code unit (libyaml, PyYAML's C reader, refuses such a file).
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Scalar, ScalarTag, ToStringOptions } from "yaml";

let yaml: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded when first needed rather than at start-up: a build whose YAML files
 * (and verify's findings about them) all come from the build cache never needs it.
 */
export function yamlPackage(): typeof Yaml {
  return (yaml ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}

/** The one option set: YAML 1.1 (what CloudFormation and SSM read), no line folding, no block scalars. */
const OPTIONS: ToStringOptions = { lineWidth: 0, minContentWidth: 0, blockQuote: false, indentSeq: true };

/**
 * Characters written as they are: printable ASCII, and every other code point except controls (Cc),
 * format characters (Cf: BOM, bidi overrides, zero-width ...), surrogates (Cs), private use (Co),
 * separators other than the space (Zs, Zl, Zp: U+2028, U+2029, NBSP ...) and noncharacters.
 */
const UNSAFE = /[^\x20-\x7e]/u;
const UNSAFE_NON_ASCII = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zs}\p{Zl}\p{Zp}\u{FDD0}-\u{FDEF}\u{FFFE}\u{FFFF}]/u;

function isSafeCodePoint(cp: number, ch: string): boolean {
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp < 0xa0) return false;
  if ((cp & 0xfffe) === 0xfffe) return false; // U+xFFFE, U+xFFFF in every plane
  return !UNSAFE_NON_ASCII.test(ch);
}

/** True when every character of `value` may stand in the file as it is. */
export function isSafeText(value: string): boolean {
  if (!UNSAFE.test(value)) return true;
  for (const ch of value) if (!isSafeCodePoint(ch.codePointAt(0)!, ch)) return false;
  return true;
}

/**
 * Strings a YAML 1.1 reader (the type repository: bool, int, float, null, timestamp, value, merge)
 * or a YAML 1.2 reader (core and JSON schemas) could resolve to something other than that string.
 * Deliberately wider than the exact rules: anything that starts like a number, any spelling of the
 * boolean and null words, .inf and .nan.
 */
const NOT_A_STRING = /^(?:[-+]?\.?[0-9].*|[-+]?\.(?:inf|nan)|y|n|yes|no|on|off|true|false|null|~|=|<<|)$/isu;

export function isAmbiguousScalar(value: string): boolean {
  return NOT_A_STRING.test(value);
}

const ESCAPES: Record<number, string> = {
  0x00: "\\0",
  0x07: "\\a",
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0c: "\\f",
  0x0d: "\\r",
  0x1b: "\\e",
  0x22: '\\"',
  0x5c: "\\\\",
};

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, "0");

/** A double-quoted YAML scalar on one line: only escapes YAML 1.1 knows (\x, \u, \U and the letters above). */
export function doubleQuoted(value: string): string {
  let out = '"';
  // Iterating a string by code point yields a lone surrogate as its own one-unit string.
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    const esc = ESCAPES[cp];
    if (esc !== undefined) out += esc;
    else if (isSafeCodePoint(cp, ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

/** A string scalar whose text is always double-quoted (e.g. "2010-09-09", which is a date to 1.1 readers). */
export function quotedScalar(value: string): Scalar {
  const { Scalar } = yamlPackage();
  const s = new Scalar(value);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** A number written with at least `fractionDigits` digits after the point (0 → `0.0`), never quoted. */
export function decimalScalar(value: number, fractionDigits: number): Scalar {
  const s = new (yamlPackage().Scalar)(value);
  s.minFractionDigits = fractionDigits;
  return s;
}

/** A scalar with a local tag (`!Ref X`, `!Sub ...`, `!GetAtt A.B`); its text is written like any string. */
export function taggedScalar(tag: string, value: string): Scalar {
  const s = new (yamlPackage().Scalar)(value);
  s.tag = tag;
  return s;
}

/**
 * The string tag of the YAML 1.1 schema with the rules above in front of the `yaml` package's own.
 * Keys, values and the text of tagged scalars (!Ref, !Sub, !GetAtt) all go through it.
 */
function stringTag(base: ScalarTag): ScalarTag {
  const { Scalar } = yamlPackage();
  return {
    ...base,
    stringify(item, ctx, onComment, onChompKeep) {
      const value = String((item as Scalar).value);
      if (!isSafeText(value) || isAmbiguousScalar(value) || (item as Scalar).type === Scalar.QUOTE_DOUBLE) return doubleQuoted(value);
      return base.stringify!(item, ctx, onComment, onChompKeep);
    },
  };
}

/**
 * `value` (plain data with Scalar nodes where a tag or a style is needed) as YAML text, ending in a
 * newline. Every YAML file fleetform writes goes through here.
 */
export function toYaml(value: unknown): string {
  const doc = new (yamlPackage().Document)(value, {
    version: "1.1",
    // Without the merge tag, which would claim the string "<<" and write it plain (a merge key to 1.1 readers).
    customTags: (tags) =>
      tags
        .filter((t) => typeof t !== "object" || t.tag !== "tag:yaml.org,2002:merge")
        .map((t) => (typeof t === "object" && t.tag === "tag:yaml.org,2002:str" && !("collection" in t) ? stringTag(t as ScalarTag) : t)),
  });
  return doc.toString(OPTIONS);
}
