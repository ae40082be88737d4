// Rules for names and texts that fleetform writes into PowerShell code, comments, file and folder
// names and DSC documents. Every value and name may be attacker-controlled text: each rule lets
// through only what cannot leave its place (a parameter name, a `#` comment line, a MOF comment, an
// AWS-ApplyDSCMofs token) and states itself in the message.
import { kindOf } from "../../stdlib/api/brand.js";
import type { PropType } from "../../stdlib/api/types.js";

/** A PowerShell parameter or variable name (also a DSC/MOF property name): `$Name` never needs braces. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
export const IDENTIFIER_RULE = "start with a letter; letters, digits and '_' only, at most 128 (it becomes a PowerShell parameter, $Name)";

/**
 * Parameters every generated function already has ([CmdletBinding()] adds the common parameters;
 * DSC adds its own properties to every resource instance), case-insensitively.
 */
const COMMON_PARAMETERS = ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm", "UseTransaction"];
const DSC_PROPERTIES = ["ResourceId", "SourceInfo", "DependsOn", "ModuleName", "ModuleVersion", "ConfigurationName", "PsDscRunAsCredential"];
/** PowerShell's automatic variables a parameter must not shadow. */
const AUTOMATIC = ["args", "input", "this", "true", "false", "null", "PSItem", "PSBoundParameters", "MyInvocation", "PSCmdlet", "PSScriptRoot", "PSCommandPath", "Error", "Host", "HOME", "PID", "PWD", "ExecutionContext", "ShellId", "Matches", "LASTEXITCODE", "ForEach", "Switch", "Event", "EventArgs", "Sender", "StackTrace", "PSDebugContext", "NestedPromptLevel", "Profile", "PSVersionTable", "PSHOME", "PSCulture", "PSUICulture", "PSSenderInfo", "PSEdition", "IsCoreCLR", "IsLinux", "IsMacOS", "IsWindows"];

/** Preference variables: a parameter of that name would change how the function's own commands behave. */
const PREFERENCE = ["ConfirmPreference", "DebugPreference", "ErrorActionPreference", "ErrorView", "FormatEnumerationLimit", "InformationPreference", "MaximumHistoryCount", "OFS", "OutputEncoding", "ProgressPreference", "PSDefaultParameterValues", "PSEmailServer", "PSModuleAutoLoadingPreference", "PSSessionApplicationName", "PSSessionConfigurationName", "PSSessionOption", "VerbosePreference", "WarningPreference", "WhatIfPreference", "PSNativeCommandArgumentPassing", "PSStyle"];

/** Each list by lower-case name (the first of a name, as a search of the list finds it). */
const byLowerCase = (list: readonly string[]): ReadonlyMap<string, string> => new Map([...list].reverse().map((n) => [n.toLowerCase(), n]));
const TAKEN = { common: byLowerCase(COMMON_PARAMETERS), automatic: byLowerCase(AUTOMATIC), preference: byLowerCase(PREFERENCE), dsc: byLowerCase(DSC_PROPERTIES) };

/** Why `name` cannot be a parameter (fn/extern params and switches, resource properties), or undefined. */
export function identifierProblem(name: string, kind: "parameter" | "property" | "switch"): string | undefined {
  if (!IDENTIFIER.test(name)) return IDENTIFIER_RULE;
  const lower = name.toLowerCase();
  const common = TAKEN.common.get(lower);
  if (common && kind !== "switch") return `-${common} is a common parameter every generated function has already ([CmdletBinding()])`;
  const automatic = TAKEN.automatic.get(lower);
  if (automatic && kind !== "switch") return `$${automatic} is a PowerShell automatic variable, which a parameter must not replace`;
  const preference = TAKEN.preference.get(lower);
  if (preference && kind !== "switch") return `$${preference} is a PowerShell preference variable, which a parameter would set for the function's own commands`;
  const dsc = kind === "property" ? TAKEN.dsc.get(lower) : undefined;
  if (dsc) return `${dsc} is a property DSC gives every resource instance`;
  return undefined;
}

/**
 * Windows device names: no file or folder may be named so, with or without an extension, trailing
 * dots or spaces (CON, CON.psd1, con . txt). Compared case-insensitively; COM/LPT with 0-9 and the
 * superscript digits Windows also reserves.
 */
const DEVICE = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3])(?=$|[ .])/i;

/** The device a file or folder name would open instead of a file, or undefined. */
export function reservedDeviceName(name: string): string | undefined {
  return DEVICE.exec(name)?.[1]?.toUpperCase();
}

/**
 * Characters that must not stand in text written into a `#` comment, a MOF comment or a param()
 * attribute: control characters (C0, C1), line and paragraph separators, the BOM and lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text for a message: control and line-breaking characters as \n or \uXXXX escapes, so a name cannot break the message. */
export function shown(text: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
}

/** The first control or line-breaking character of `text`, as U+XXXX, or undefined. */
export function unsafeCharacter(text: string): string | undefined {
  const m = UNSAFE_CHARACTER.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

/** Source paths (repo-relative): written into `#` comments, manifests and DSC SourceInfo. */
const SOURCE_PATH = /^[\p{L}\p{N}_ .@+()=,~/-]+$/u;
export const SOURCE_PATH_RULE = "file and folder names of sources may hold only letters, digits, spaces and . _ - + @ ( ) = , ~ (the path is written into comments of generated PowerShell and into DSC documents)";

export function sourcePathProblem(path: string): boolean {
  return !SOURCE_PATH.test(path);
}

/**
 * AWS-ApplyDSCMofs replaces `{<prefix>:<name>}` in a DSC document's strings on the instance
 * ({tag:..}, {tagb64:..}, {env:..}, {ssm:..}, {tagssm:..}; which other prefixes it reads is not
 * documented, so any word followed by ':' right after '{' counts). Its documentation gives no
 * escape, so such text cannot be a literal.
 */
const TOKEN = /\{\s*([A-Za-z0-9_]+)\s*:/;

/** The token-like text in `value` (e.g. `{ssm:`), or undefined. */
export function mofToken(value: string): string | undefined {
  const m = TOKEN.exec(value);
  return m ? m[0] : undefined;
}

/** The first literal string in a property value (arrays and maps too) in which `match` finds something, and what it found. */
function literalMatching(value: unknown, match: (text: string) => string | undefined): { text: string; token: string } | undefined {
  if (typeof value === "string") {
    const token = match(value);
    return token ? { text: value, token } : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = literalMatching(item, match);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null && !kindOf(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = literalMatching(key, match) ?? literalMatching(item, match);
      if (found) return found;
    }
  }
  return undefined;
}

/** The same in a ps`...` fragment's text and the values interpolated into it, too. */
function literalOrFragmentMatching(value: unknown, match: (text: string) => string | undefined): { text: string; token: string } | undefined {
  if (kindOf(value) === "fragment") {
    const f = value as { strings: readonly string[]; values: readonly unknown[] };
    const text = f.strings.join("");
    const token = match(text);
    if (token) return { text, token };
    for (const v of f.values) {
      const found = literalOrFragmentMatching(v, match);
      if (found) return found;
    }
    return undefined;
  }
  return literalMatching(value, match);
}

/**
 * Literal text of a property value (strings in arrays and maps, the text of a ps`...` fragment and
 * the strings interpolated into it) that AWS-ApplyDSCMofs would read as one of its tokens.
 */
export function tokenInLiteral(value: unknown): { text: string; token: string } | undefined {
  return literalOrFragmentMatching(value, mofToken);
}

/**
 * A control character other than TAB and the line breaks, or a lone surrogate: MOF has no escape for
 * these that every reader takes alike (`\x` takes 1 to 4 hex digits in MOF 2, 1 to 6 in MOF 3, so
 * a following digit is read differently), and no DSC value needs one.
 */
// eslint-disable-next-line no-control-regex
const MOF_UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first such character in a property value's literal text, as U+XXXX. */
function unwritableInLiteral(value: unknown): string | undefined {
  return literalOrFragmentMatching(value, (text) => {
    const m = MOF_UNWRITABLE.exec(text);
    return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : undefined;
  })?.token;
}

/** Runtime values reach a MOF as AWS-ApplyDSCMofs tokens, which exist only for some sources and only in strings. */
export function mofProblem(type: PropType | undefined, value: unknown): string | undefined {
  if (kindOf(value) !== "runtime") {
    const literal = tokenInLiteral(value);
    if (literal) return `the literal text holds '${literal.token}', which AWS-ApplyDSCMofs would read as a token and replace on the instance`;
    const unwritable = unwritableInLiteral(value);
    return unwritable ? `the literal text holds ${unwritable}, a control character (or lone surrogate) that a DSC document cannot carry: MOF readers take its escape differently` : undefined;
  }
  const source = (value as { source: string }).source;
  if (source === "instanceId") return "instanceId() has no AWS-ApplyDSCMofs token (tokens: {tag:...}, {ssm:...}, {env:...})";
  if (source === "secretsManager" && type?.type !== "credential") return "a Secrets Manager secret reaches a DSC document only as a t.credential() property (an MSFT_Credential naming the secret)";
  if (type?.type === "credential") return undefined;
  if (type && type.type !== "string" && type.type !== "enum" && type.type !== "secret") return `AWS-ApplyDSCMofs resolves tokens only in string properties, and this one is ${type.type}`;
  return undefined;
}

/**
 * Names of values resolved on the instance, per source. They become AWS-ApplyDSCMofs tokens
 * (`{tag:<name>}`) in DSC documents, so none may hold '{', '}' or a control character; each rule is
 * the AWS service's own (EC2 tag keys, Parameter Store names, Secrets Manager ids and ARNs).
 */
const RUNTIME_NAMES: Readonly<Record<string, { readonly pattern: RegExp; readonly rule: string }>> = {
  ec2Tag: { pattern: /^[\p{L}\p{N} +=._:/@-]{1,128}$/u, rule: "an EC2 tag key: 1 to 128 letters, digits, spaces and + - = . _ : / @" },
  ssmParameter: { pattern: /^[A-Za-z0-9_.:/-]{1,2048}$/, rule: "a Parameter Store name or ARN: 1 to 2048 of a-z A-Z 0-9 _ . - / :" },
  env: { pattern: /^[A-Za-z_][A-Za-z0-9_().]{0,254}$/, rule: "an environment variable name: a letter or '_', then letters, digits, _ . ( ), at most 255" },
  secretsManager: { pattern: /^[A-Za-z0-9/_+=.@:-]{1,2048}$/, rule: "a Secrets Manager secret name or ARN: 1 to 2048 of a-z A-Z 0-9 / _ + = . @ - :" },
};

/** The rule a runtime value's name breaks, or undefined. */
export function runtimeNameProblem(source: string, name: unknown): string | undefined {
  const rule = RUNTIME_NAMES[source];
  if (!rule) return undefined;
  return typeof name === "string" && rule.pattern.test(name) ? undefined : rule.rule;
}

/** What the call looks like in the author's source, for messages. */
export function runtimeCall(source: string): string {
  return source === "secretsManager" ? "secret" : source;
}

/**
 * DSC header fields (dsc.generatedBy, generationHost, generationDate): written into the document's
 * `/* ... *\/` header and as strings of its OMI_ConfigurationDocument.
 */
export function dscHeaderProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "it must be a string";
  if (value.length === 0 || value.length > 256) return "it must be 1 to 256 characters";
  const bad = unsafeCharacter(value);
  if (bad) return `it holds ${bad}; it is one line of the document's /* */ header, so no control or line-breaking characters`;
  if (value.includes("*/") || value.includes("/*")) return "it holds '*/' or '/*', which would end the document's /* */ header (and let the rest become MOF)";
  const token = mofToken(value);
  if (token) return `it holds '${token}', which AWS-ApplyDSCMofs would replace on the instance`;
  return undefined;
}

/** Layer names: written into `#` comments and manifests (PrivateData.Fleetform.Layer). */
export const LAYER = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const LAYER_RULE = "start with a letter; letters, digits, '_', '.', '-', at most 64";

/** External module names (extern's `module`): written into RequiredModules and Import-Module. */
export const EXTERN_MODULE = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_])){0,127}$/;
export const EXTERN_MODULE_RULE = "a PowerShell module name: letters, digits, '_', '-', dot-separated, at most 128 (e.g. AWS.Tools.EC2)";

/** Characters Windows refuses in a file or folder name (and the separators), and control characters. */
// eslint-disable-next-line no-control-regex
const PATH_NAME_FORBIDDEN = /[<>:"/\\|?*\x00-\x1f\x7f]/;

/**
 * What is wrong with an `install` path (undefined: nothing): an absolute path on a local drive,
 * of plain folder names, outside Windows' own folders. `takenOver`: the runtime makes the folder
 * its own (logDir, stateDir, deployDir: owner Administrators, only SYSTEM and Administrators
 * inherit access), so it may not be a drive's root or a folder others share (Users, Program
 * Files, ProgramData themselves).
 */
export function installPathProblem(path: string, takenOver: boolean): string | undefined {
  const absolute = /^[A-Za-z]:\\(.*?)\\?$/.exec(path);
  if (!absolute) return `an absolute path on a local drive, such as ${takenOver ? "C:\\ProgramData\\Fleetform\\Logs" : "C:\\Program Files\\WindowsPowerShell\\Modules"}`;
  const names = absolute[1] === "" ? [] : absolute[1]!.split("\\");
  if (names.some((n) => n === "" || n === "." || n === ".." || PATH_NAME_FORBIDDEN.test(n) || /[ .]$/.test(n))) {
    return "a path of plain folder names: none empty, '.' or '..', none ending in a space or '.', and none of < > : \" / | ? * or control characters";
  }
  const lower = names.map((n) => n.toLowerCase());
  if (lower[0] === "windows") return "a folder outside Windows' own (C:\\Windows)";
  if (!takenOver) return names.length === 0 ? "a folder, not a drive's root" : undefined;
  const shared = names.length === 0 || lower[0] === "users" || lower[0] === "program files" || lower[0] === "program files (x86)" || (names.length === 1 && lower[0] === "programdata");
  return shared ? "a folder of fleetform's own, such as C:\\ProgramData\\Fleetform\\Logs: the runtime makes it its own (owner Administrators, access for SYSTEM and Administrators only), so not a drive's root, Users, Program Files or ProgramData" : undefined;
}
