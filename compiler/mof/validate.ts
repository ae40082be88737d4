// Checks the instances of a MOF document against class declarations (resource schemas,
// BaseResource.schema.mof, MSFT_DSCMetaConfiguration.mof, the document's own classes):
// known class and superclasses; every property declared in the class chain (names compare
// case-insensitively, so `ResourceID` matches the schema's `ResourceId`); value types; arrays only
// for array properties; EmbeddedInstance("X") properties take aliases of instances of X or a
// subclass; every Key/Required property of the chain present; string values within their ValueMap
// and MaxLen; aliases unique and defined. Problems are returned, never thrown.
//
// Instances of abstract classes are accepted (DSC writes `instance of MSFT_KeyValuePair`, which
// BaseResource.schema.mof declares Abstract); they too need their chain's Key/Required properties.

import type { MofClass, MofDocument, MofInstance, MofProperty, MofQualifier, MofValue } from "./reader.js";

export interface MofProblem {
  /** `ClassName $alias`, or `ClassName #n` (1-based position in the document) without an alias. */
  readonly instance: string;
  readonly property?: string;
  readonly message: string;
  readonly line: number;
}

/** Lower-cased class name → class; a later declaration of the same name replaces an earlier one. */
export function classIndex(docs: readonly MofDocument[]): Map<string, MofClass> {
  const index = new Map<string, MofClass>();
  for (const doc of docs) for (const c of doc.classes) index.set(c.name.toLowerCase(), c);
  return index;
}

/** Validates `doc`'s instances against `classes` plus the classes `doc` declares itself. */
export function validateDocument(doc: MofDocument, classes: ReadonlyMap<string, MofClass>): MofProblem[] {
  const index = doc.classes.length === 0 ? classes : new Map([...classes, ...classIndex([doc])]);
  const problems: MofProblem[] = [];
  const aliases = aliasTable(doc, problems);
  doc.instances.forEach((instance, i) => {
    const label = instance.alias === undefined ? `${instance.className} #${i + 1}` : `${instance.className} $${instance.alias}`;
    new InstanceCheck(instance, label, index, aliases, problems).run();
  });
  return problems;
}

/** Lower-cased alias → instance (first definition); duplicates are reported. */
function aliasTable(doc: MofDocument, problems: MofProblem[]): Map<string, MofInstance> {
  const table = new Map<string, MofInstance>();
  for (const instance of doc.instances) {
    if (instance.alias === undefined) continue;
    const key = instance.alias.toLowerCase();
    const first = table.get(key);
    if (first) {
      problems.push({
        instance: `${instance.className} $${instance.alias}`,
        message: `duplicate alias $${instance.alias} (first defined on line ${first.line})`,
        line: instance.line,
      });
    } else table.set(key, instance);
  }
  return table;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  uint8: [0, 0xff],
  uint16: [0, 0xffff],
  uint32: [0, 0xffffffff],
  uint64: [0, 2 ** 64 - 1],
  sint8: [-0x80, 0x7f],
  sint16: [-0x8000, 0x7fff],
  sint32: [-0x80000000, 0x7fffffff],
  sint64: [-(2 ** 63), 2 ** 63 - 1],
};
const REAL_LIMITS: Readonly<Record<string, number>> = { real32: 3.4028234663852886e38, real64: Number.MAX_VALUE };
const PRIMITIVES = new Set(["string", "boolean", "datetime", "char16", ...Object.keys(INTEGER_RANGES), ...Object.keys(REAL_LIMITS)]);

function qualifier(qualifiers: readonly MofQualifier[], name: string): MofQualifier | undefined {
  const lower = name.toLowerCase();
  return qualifiers.find((q) => q.name.toLowerCase() === lower);
}

/** Class chain of `cls`, most derived first; `error` set when a superclass is missing or cyclic. */
function classChain(cls: MofClass, index: ReadonlyMap<string, MofClass>): { chain: MofClass[]; error?: string } {
  const chain = [cls];
  let current = cls;
  while (current.superclass !== undefined) {
    const parent = index.get(current.superclass.toLowerCase());
    if (!parent) return { chain, error: `class ${current.name} derives from unknown class ${current.superclass}` };
    if (chain.includes(parent)) return { chain, error: `class ${current.name} has a cyclic superclass chain` };
    chain.push(parent);
    current = parent;
  }
  return { chain };
}

function describeValue(value: MofValue): string {
  switch (value.kind) {
    case "alias":
      return `instance alias $${value.name}`;
    case "array":
      return "an array";
    case "null":
      return "NULL";
    case "integer":
      return `integer ${value.value}`;
    case "real":
      return `real ${value.value}`;
    case "boolean":
      return `boolean ${value.value ? "True" : "False"}`;
    case "char":
      return "a char16";
    case "string":
      return "a string";
  }
}

/** Every alias named in a value (array items included). */
function aliasesIn(value: MofValue): string[] {
  if (value.kind === "alias") return [value.name];
  if (value.kind === "array") return value.items.flatMap(aliasesIn);
  return [];
}

class InstanceCheck {
  constructor(
    private readonly instance: MofInstance,
    private readonly label: string,
    private readonly index: ReadonlyMap<string, MofClass>,
    private readonly aliases: ReadonlyMap<string, MofInstance>,
    private readonly problems: MofProblem[],
  ) {}

  run(): void {
    this.checkAliasesDefined();
    const cls = this.index.get(this.instance.className.toLowerCase());
    if (!cls) {
      this.report(`unknown class ${this.instance.className}`);
      return;
    }
    const { chain, error } = classChain(cls, this.index);
    if (error !== undefined) this.report(error);
    const declared = new Map<string, MofProperty>();
    for (const c of chain) for (const p of c.properties) if (!declared.has(p.name.toLowerCase())) declared.set(p.name.toLowerCase(), p);

    const seen = new Map<string, MofValue>();
    for (const { name, value, line } of this.instance.properties) {
      const key = name.toLowerCase();
      if (seen.has(key)) {
        this.report(`property ${name} is set more than once`, name, line);
        continue;
      }
      seen.set(key, value);
      const decl = declared.get(key);
      if (!decl) {
        this.report(`unknown property ${name} (not declared by ${chain.map((c) => c.name).join(" : ")})`, name, line);
        continue;
      }
      for (const message of this.checkValue(decl, value)) this.report(message, name, line);
    }

    for (const decl of declared.values()) {
      const kind = qualifier(decl.qualifiers, "Key") ? "key" : qualifier(decl.qualifiers, "Required") ? "required" : undefined;
      if (kind === undefined) continue;
      const value = seen.get(decl.name.toLowerCase());
      if (value === undefined) this.report(`missing ${kind} property ${decl.name}`, decl.name);
      else if (value.kind === "null") this.report(`${kind} property ${decl.name} is NULL`, decl.name, this.lineOf(decl.name));
    }
  }

  private checkAliasesDefined(): void {
    for (const { name, value, line } of this.instance.properties) {
      for (const alias of aliasesIn(value)) {
        if (!this.aliases.has(alias.toLowerCase())) this.report(`alias $${alias} is not defined in this document`, name, line);
      }
    }
  }

  /** Problems with `value` for the declared property (empty when it fits). */
  private checkValue(decl: MofProperty, value: MofValue): string[] {
    if (value.kind === "null") return [];
    if (value.kind === "array") {
      if (!decl.array) return [`${decl.name} is not an array property (${this.typeText(decl)}); got an array`];
      return value.items.flatMap((item) =>
        item.kind === "array" ? [`${decl.name} has a nested array`] : this.checkScalar(decl, item),
      );
    }
    if (decl.array) return [`${decl.name} is an array property (${this.typeText(decl)}); got a single value (${describeValue(value)}), not an array`];
    return this.checkScalar(decl, value);
  }

  private checkScalar(decl: MofProperty, value: MofValue): string[] {
    if (value.kind === "null") return [];
    const type = decl.type.toLowerCase();
    const embedded = this.embeddedClass(decl);
    if (embedded !== undefined) return this.checkEmbedded(decl, embedded, value);
    const wrong = [`${decl.name} is of type ${this.typeText(decl)}; got ${describeValue(value)}`];
    if (type === "string" || type === "datetime") {
      if (value.kind !== "string") return wrong;
      return type === "string" ? this.checkStringFacets(decl, value.value) : [];
    }
    if (type === "boolean") return value.kind === "boolean" ? [] : wrong;
    if (type === "char16") return value.kind === "char" ? [] : wrong;
    const range = INTEGER_RANGES[type];
    if (range) {
      if (value.kind !== "integer") return wrong;
      return value.value < range[0] || value.value > range[1] ? [`${decl.name} is of type ${type}; ${value.value} is out of range ${range[0]}..${range[1]}`] : [];
    }
    const limit = REAL_LIMITS[type];
    if (limit !== undefined) {
      if (value.kind !== "real" && value.kind !== "integer") return wrong;
      return Math.abs(value.value) > limit ? [`${decl.name} is of type ${type}; ${value.value} is out of range`] : [];
    }
    return [`${decl.name} has unsupported type ${decl.type}`];
  }

  /** The class named by EmbeddedInstance("X"), or the property's type when that is a class name. */
  private embeddedClass(decl: MofProperty): string | undefined {
    const q = qualifier(decl.qualifiers, "EmbeddedInstance");
    if (q?.value?.kind === "string") return q.value.value;
    return PRIMITIVES.has(decl.type.toLowerCase()) ? undefined : decl.type;
  }

  private checkEmbedded(decl: MofProperty, expected: string, value: MofValue): string[] {
    if (value.kind !== "alias") return [`${decl.name} takes an alias of an instance of ${expected}; got ${describeValue(value)}`];
    const target = this.aliases.get(value.name.toLowerCase());
    if (!target || target.className.toLowerCase() === expected.toLowerCase()) return [];
    const targetClass = this.index.get(target.className.toLowerCase());
    if (!targetClass) return []; // reported as an unknown class on that instance
    const { chain } = classChain(targetClass, this.index);
    if (chain.some((c) => c.name.toLowerCase() === expected.toLowerCase())) return [];
    return [`${decl.name} takes an instance of ${expected}; $${value.name} is an instance of ${target.className}`];
  }

  /** ValueMap (case-insensitive) and MaxLen of a string property. */
  private checkStringFacets(decl: MofProperty, text: string): string[] {
    const problems: string[] = [];
    const valueMap = qualifier(decl.qualifiers, "ValueMap")?.value;
    if (valueMap?.kind === "array") {
      const allowed = valueMap.items.flatMap((v) => (v.kind === "string" ? [v.value] : []));
      const lower = text.toLowerCase();
      if (!allowed.some((a) => a.toLowerCase() === lower)) {
        problems.push(`${decl.name} value ${JSON.stringify(text)} is not in its ValueMap {${allowed.map((a) => JSON.stringify(a)).join(", ")}}`);
      }
    }
    const maxLen = qualifier(decl.qualifiers, "MaxLen")?.value;
    if (maxLen?.kind === "integer") {
      const length = [...text].length;
      if (length > maxLen.value) problems.push(`${decl.name} is ${length} characters long; MaxLen is ${maxLen.value}`);
    }
    return problems;
  }

  private typeText(decl: MofProperty): string {
    const embedded = this.embeddedClass(decl);
    const base = embedded !== undefined && embedded !== decl.type ? `${decl.type} (EmbeddedInstance ${embedded})` : decl.type;
    return decl.array ? `${base}[]` : base;
  }

  private lineOf(property: string): number {
    const lower = property.toLowerCase();
    return this.instance.properties.find((p) => p.name.toLowerCase() === lower)?.line ?? this.instance.line;
  }

  private report(message: string, property?: string, line = this.instance.line): void {
    this.problems.push(property === undefined ? { instance: this.label, message, line } : { instance: this.label, property, message, line });
  }
}
