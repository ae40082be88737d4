import { brand, KIND } from "./brand.js";
import type { CredentialRef, Fragment, Handle, RuntimeValue, SecretRef } from "./values.js";

interface Common {
  /** Shown in hovers, in generated help and in the DSC schema. */
  readonly description?: string;
  /**
   * The property identifies the resource (a DSC `Key`). Key properties are always required.
   * @default false
   */
  readonly key?: boolean;
  /**
   * The property may be left out. Properties are required unless optional or defaulted.
   * @default false
   */
  readonly optional?: boolean;
}

export interface StringOptions extends Common {
  /**
   * A regular expression the value must match; checked at build time for literal values and by PowerShell
   * `[ValidatePattern()]` at run time, with the same meaning (JavaScript's: `$` is the very end, `\d` is 0-9).
   * Flags `i`, `m`, `s` only; no backreferences.
   */
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: string;
}
export interface IntOptions extends Common {
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}
export interface BoolOptions extends Common {
  readonly default?: boolean;
}

type Opt<O> = O extends { readonly optional: true } ? true : O extends { readonly default: unknown } ? true : false;

interface TypeBase<Name extends string, Optional extends boolean> {
  readonly [KIND]: "type";
  readonly type: Name;
  /** Type-level only: whether the property may be left out. */
  readonly __optional?: Optional;
}

export interface StringType<O extends boolean = boolean> extends TypeBase<"string", O>, StringOptions {}
export interface IntType<O extends boolean = boolean> extends TypeBase<"int", O>, IntOptions {}
export interface BoolType<O extends boolean = boolean> extends TypeBase<"bool", O>, BoolOptions {}
export interface EnumType<V extends string = string, O extends boolean = boolean> extends TypeBase<"enum", O>, Common {
  readonly values: readonly V[];
  readonly default?: V;
}
export interface ArrayType<I extends PropType = PropType, O extends boolean = boolean> extends TypeBase<"array", O>, Common {
  readonly items: I;
}
export interface MapType<V extends PropType = PropType, O extends boolean = boolean> extends TypeBase<"map", O>, Common {
  readonly values: V;
}

/** PowerShell code held as a value: a `ps` fragment (or its text), e.g. the scripts of a DSC Script resource. */
export interface ScriptType<O extends boolean = boolean> extends TypeBase<"script", O>, Common {}

/** A secret (a SecureString parameter or a Secrets Manager secret): only references, never a literal. */
export interface SecretType<O extends boolean = boolean> extends TypeBase<"secret", O>, Common {}
/** A credential: a Secrets Manager secret holding {"Username", "Password"}; a PSCredential in PowerShell. */
export interface CredentialType<O extends boolean = boolean> extends TypeBase<"credential", O>, Common {}

export type PropType = StringType | IntType | BoolType | EnumType | ArrayType<any> | MapType<any> | ScriptType | SecretType | CredentialType;
export type Props = { readonly [name: string]: PropType };

/** The TypeScript type of a property's value. */
export type Infer<T> = T extends StringType
  ? string
  : T extends IntType
    ? number
    : T extends BoolType
      ? boolean
      : T extends EnumType<infer V>
        ? V
        : T extends ArrayType<infer I>
          ? readonly Infer<I>[]
          : T extends MapType<infer V>
            ? { readonly [key: string]: Infer<V> }
            : T extends ScriptType
              ? Fragment | string
              : T extends SecretType | CredentialType
                ? string
                : never;

type OptionalKeys<P extends Props> = { [K in keyof P]: P[K] extends { readonly __optional?: infer O } ? (true extends O ? (false extends O ? never : K) : never) : never }[keyof P];
type RequiredKeys<P extends Props> = Exclude<keyof P, OptionalKeys<P>>;

/**
 * What a configuration passes for a property: a literal or a value resolved on the instance.
 * Secrets take only secret references; other properties never take secrets.
 */
export type PropValue<T> = T extends CredentialType ? CredentialRef : T extends SecretType ? SecretRef : Infer<T> | RuntimeValue<Infer<T>, false>;

/** The object a resource or function is called with. */
export type PropValues<P extends Props> = { readonly [K in RequiredKeys<P>]: PropValue<P[K]> } & { readonly [K in OptionalKeys<P>]?: PropValue<P[K]> };

/** Inside `get`/`test`/`set`/`safe`/`body`: each property as a handle that renders as `$Name`. */
export type Handles<P extends Props> = { readonly [K in keyof P]: Handle<Infer<P[K]>> };

function make<T extends object>(value: T): T & { readonly [KIND]: "type" } {
  return Object.freeze(brand("type", { ...value }));
}

/** Property types. They drive the TypeScript types, validation, the PowerShell `param()` block and the schemas. */
export const t = {
  /** A string. `pattern` becomes `[ValidatePattern()]`. */
  string<const O extends StringOptions = {}>(options?: O): StringType<Opt<O>> {
    return make({ type: "string", ...options }) as never;
  },
  /** A 32-bit signed integer. `min`/`max` become `[ValidateRange()]`. */
  int<const O extends IntOptions = {}>(options?: O): IntType<Opt<O>> {
    return make({ type: "int", ...options }) as never;
  },
  /** A boolean. */
  bool<const O extends BoolOptions = {}>(options?: O): BoolType<Opt<O>> {
    return make({ type: "bool", ...options }) as never;
  },
  /** One of a fixed set of strings; becomes `[ValidateSet()]`. */
  enum<const V extends string, const O extends Common & { readonly default?: V } = {}>(values: readonly V[], options?: O): EnumType<V, Opt<O>> {
    return make({ type: "enum", values: [...values], ...options }) as never;
  },
  /** An array of values of one type. */
  array<I extends PropType, const O extends Common = {}>(items: I, options?: O): ArrayType<I, Opt<O>> {
    return make({ type: "array", items, ...options }) as never;
  },
  /** PowerShell code as a value (a `ps` fragment or its text): the scripts of a DSC Script resource. */
  script<const O extends Common = {}>(options?: O): ScriptType<Opt<O>> {
    return make({ type: "script", ...options }) as never;
  },
  /** A secret: a SecureString parameter (ssmParameter(name, { secure: true })) or a Secrets Manager secret (secret(id)); never a literal. */
  secret<const O extends Common = {}>(options?: O): SecretType<Opt<O>> {
    return make({ type: "secret", ...options }) as never;
  },
  /** A credential from a Secrets Manager secret {"Username", "Password"} (secret(id)); a PSCredential in PowerShell, an MSFT_Credential in DSC. */
  credential<const O extends Common = {}>(options?: O): CredentialType<Opt<O>> {
    return make({ type: "credential", ...options }) as never;
  },
  /** A string-keyed hashtable of values of one type. */
  map<V extends PropType, const O extends Common = {}>(values: V, options?: O): MapType<V, Opt<O>> {
    return make({ type: "map", values, ...options }) as never;
  },
};
