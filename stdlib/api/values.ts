import { brand, captureSite, KIND, type Site } from "./brand.js";

/** A property or parameter inside a fragment: renders as the PowerShell variable `$Name`. */
export interface Handle<T = unknown> {
  readonly [KIND]: "handle";
  readonly name: string;
  /** Type-level only. */
  readonly __type?: T;
}

/** A value resolved on the instance when the configuration runs, never at build time. */
export interface RuntimeValue<T = unknown, S extends boolean = boolean> {
  readonly [KIND]: "runtime";
  readonly source: "ec2Tag" | "ssmParameter" | "env" | "instanceId" | "secretsManager";
  readonly name: string;
  /** A secret: decrypted on the instance, redacted from logs, never in an artifact. */
  readonly secure: S;
  readonly site?: Site;
  /** Type-level only. */
  readonly __type?: T;
}

/** A secret reference: a SecureString parameter or a Secrets Manager secret. */
export type SecretRef = RuntimeValue<string, true>;

/** A Secrets Manager secret whose SecretString is {"Username": ..., "Password": ...}: what t.credential() takes. */
export type CredentialRef = RuntimeValue<string, true> & { readonly source: "secretsManager" };

/** Raw PowerShell text, pasted without quoting. Greppable on purpose: `ps.raw(`. */
export interface RawText {
  readonly [KIND]: "raw";
  readonly text: string;
  readonly site?: Site;
}

/** A PowerShell fragment built with the `ps` tagged template. */
export interface Fragment {
  readonly [KIND]: "fragment";
  /** The template's raw text pieces (backslashes kept as written). */
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
  readonly site?: Site;
}

/** A call of a `fn` or `extern` command, usable inside `ps` (renders as `(Verb-Noun -Param value)`). */
export interface Call {
  readonly [KIND]: "call";
  readonly target: object;
  readonly args: Readonly<Record<string, unknown>>;
  readonly site?: Site;
}

/**
 * What may be interpolated into `ps`: plain values become quoted PowerShell literals that cannot
 * break out of their position; handles become variables; calls become command calls; runtime
 * values become runtime helper calls; fragments nest. Anything else is a build error.
 */
export type PsValue =
  | string
  | number
  | boolean
  | null
  | Fragment
  | Call
  | RawText
  | Handle<unknown>
  | RuntimeValue<unknown>
  | readonly PsValue[]
  | { readonly [key: string]: PsValue };

interface Ps {
  /**
   * Builds a PowerShell fragment. Interpolated values are quoted, never pasted:
   * `ps\`Rename-Computer -NewName ${name}\`` gives `Rename-Computer -NewName $Name` for a handle and
   * `Rename-Computer -NewName 'web-01'` for a string. PowerShell's backtick must be written `` \` ``
   * inside the template, and a literal `${` as `\${`.
   */
  (strings: TemplateStringsArray, ...values: PsValue[]): Fragment;
  /** Raw PowerShell text, inserted as is. Use only for text you control; it is never quoted. */
  raw(text: string): RawText;
}

function psTag(strings: TemplateStringsArray, ...values: PsValue[]): Fragment {
  return brand("fragment", { strings: [...strings.raw], values, site: captureSite(psTag) });
}

function raw(text: string): RawText {
  return brand("raw", { text: String(text), site: captureSite(raw) });
}

export const ps: Ps = Object.assign(psTag, { raw });

function runtime<T, S extends boolean>(source: RuntimeValue["source"], name: string, secure: S, above: Function): RuntimeValue<T, S> {
  return brand("runtime", { source, name, secure, site: captureSite(above) }) as RuntimeValue<T, S>;
}

/** The value of the instance's EC2 tag `key`, read through IMDSv2 on the instance (instance metadata tags must be enabled). */
export function ec2Tag(key: string): RuntimeValue<string, false> {
  return runtime("ec2Tag", key, false, ec2Tag);
}

/** The EC2 instance id, read through IMDSv2 on the instance. */
export function instanceId(): RuntimeValue<string, false> {
  return runtime("instanceId", "", false, instanceId);
}

/**
 * A Systems Manager Parameter Store value, read on the instance. `secure: true` decrypts a
 * SecureString: the value is then a secret (only for t.secret() properties, redacted from logs).
 */
export function ssmParameter(name: string, options: { readonly secure: true }): SecretRef;
export function ssmParameter(name: string, options?: { readonly secure?: false }): RuntimeValue<string, false>;
export function ssmParameter(name: string, options?: { readonly secure?: boolean }): RuntimeValue<string> {
  return runtime("ssmParameter", name, options?.secure === true, ssmParameter);
}

/**
 * A Secrets Manager secret (id or ARN), read on the instance. For t.secret() properties it is the
 * SecretString; for t.credential() properties a JSON {"Username", "Password"} secret becomes a
 * PSCredential (in a DSC document: an MSFT_Credential whose UserName is the secret's id, the
 * AWS-ApplyDSCMofs convention).
 */
export function secret(secretId: string): CredentialRef {
  return runtime("secretsManager", secretId, true, secret) as CredentialRef;
}

/** An environment variable of the process running the configuration on the instance. */
export function env(name: string): RuntimeValue<string, false> {
  return runtime("env", name, false, env);
}

/** @internal Creates a handle; used by the compiler when it calls get/test/set/safe/body. */
export function handle(name: string): Handle {
  return brand("handle", { name });
}
