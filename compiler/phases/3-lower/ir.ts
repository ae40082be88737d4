// The IR: plain, readonly, JSON-serialisable data with a `kind` tag and a source span on the nodes
// that come from author code. Collections are pre-sorted here; emitters never re-sort.
import type { Span } from "../../diagnostics/diagnostic.js";

import type { Layers } from "../2-check/module-graph.js";

export interface Program {
  readonly kind: "program";
  readonly generator: { readonly name: "fleetform"; readonly version: string };
  readonly install: { readonly root: string; readonly logDir: string; readonly stateDir: string; readonly deployDir: string; readonly logReaders?: string };
  readonly runtime: RuntimeModule;
  /** The text of fleetform's SSM Command document 2.2 JSON Schema (copied into the output). */
  readonly ssmSchema: string;
  readonly dsc: DscSettings;
  readonly stack: Stack;
  /** fleetform.config.ts's layers: which module may import which (FF2002's rule, mayImport). */
  readonly layers: Layers;
  /** Author modules, dependencies first, ties by name. */
  readonly modules: readonly Module[];
  /** By name. */
  readonly configurations: readonly Configuration[];
}

/** A string CloudFormation resolves at deploy time: literal text, `!Ref Param` or `!Sub "...${Param}..."`. */
export type CfnString = { readonly kind: "literal"; readonly value: string } | { readonly kind: "ref"; readonly name: string } | { readonly kind: "sub"; readonly template: string };

export interface Targets {
  readonly tag: string;
  readonly values: readonly CfnString[];
}

export interface AssociationSettings {
  readonly maxConcurrency: string;
  readonly maxErrors: string;
  readonly complianceSeverity: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "UNSPECIFIED";
  readonly applyOnlyAtCronInterval: boolean;
  readonly syncCompliance: "AUTO" | "MANUAL";
  readonly scheduleOffset?: number;
}

export interface Stack {
  /** Prefix of document and association names. */
  readonly prefix: string;
  /** Author-declared stack parameters, by name. */
  readonly parameters: readonly { readonly name: string; readonly description?: string; readonly allowedValues?: readonly string[]; readonly default?: string; readonly origin?: Span }[];
  /** Fleet-wide associations of AWS-owned documents, by name. */
  readonly associations: readonly AwsAssociation[];
  readonly alerts?: { readonly email?: CfnString };
  /** The runtime's log group: retention in days (one CloudWatch Logs accepts) and the KMS key that encrypts it. */
  readonly logs: { readonly retentionDays: number; readonly kmsKey?: CfnString };
  /** Deployed from S3: the inline template limit does not apply. */
  readonly deployFromS3: boolean;
}

export interface AwsAssociation {
  readonly kind: "awsAssociation";
  readonly name: string;
  readonly document: string;
  /** By name; every value a list, as AWS::SSM::Association wants. */
  readonly parameters: readonly { readonly name: string; readonly values: readonly CfnString[] }[];
  readonly targets: Targets;
  readonly schedule: string;
  readonly settings: AssociationSettings;
  readonly origin?: Span;
}

export interface DscSettings {
  readonly format: "wmf51" | "psdsc2";
  readonly generatedBy: string;
  readonly generationHost: string;
  /** MM/dd/yyyy HH:mm:ss, as DSC writes it. */
  readonly generationDate: string;
}

export interface RuntimeModule {
  readonly kind: "runtime";
  readonly name: "Fleetform.Runtime";
  readonly version: string;
  readonly guid: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

export interface ModuleRef {
  readonly name: string;
  readonly version: string;
  readonly guid?: string;
}

export interface Module {
  readonly kind: "module";
  readonly name: string;
  readonly layer: string;
  readonly version: string;
  readonly guid: string;
  readonly description: string;
  readonly author: string;
  /** The entry file, repo-relative. */
  readonly source: string;
  /** Modules to load first: fleetform's runtime and author modules (dependencies first). */
  readonly requires: readonly ModuleRef[];
  /**
   * The modules of its externs (not built-in), by name, with the highest version asked for: not
   * RequiredModules, but imported by each generated function that calls one, when it runs.
   */
  readonly externModules: readonly ModuleRef[];
  readonly functions: readonly Function[];
  readonly resources: readonly ResourceType[];
  /** Commands from other modules that the code calls (for test stubs), by name. */
  readonly externs: readonly ExternCommand[];
  readonly origin?: Span;
}

export interface ExternCommand {
  readonly kind: "extern";
  readonly name: string;
  readonly module: string;
  readonly builtin: boolean;
  readonly params: readonly Param[];
  readonly switches: readonly string[];
}

export type Type =
  | { readonly kind: "string"; readonly pattern?: Pattern; readonly minLength?: number; readonly maxLength?: number }
  | { readonly kind: "int"; readonly min?: number; readonly max?: number }
  | { readonly kind: "bool" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly items: Type }
  | { readonly kind: "map"; readonly values: Type }
  | { readonly kind: "script" }
  | { readonly kind: "secret" }
  | { readonly kind: "credential" };

export interface Pattern {
  readonly source: string;
  /** The JavaScript flags as .NET RegexOptions names, e.g. ["IgnoreCase"]; empty means case-sensitive. */
  readonly options: readonly string[];
  /** The same pattern in .NET syntax and meaning, for RegexOptions.None (compiler/util/dotnet-regex.ts). */
  readonly dotnet: string;
}

export interface Param {
  readonly kind: "param";
  /** The PowerShell parameter name (PascalCase). */
  readonly name: string;
  /** The TypeScript property name. */
  readonly property: string;
  readonly type: Type;
  readonly mandatory: boolean;
  readonly key: boolean;
  readonly default?: Expr;
  readonly description?: string;
}

export interface Function {
  readonly kind: "function";
  readonly name: string;
  readonly description?: string;
  readonly params: readonly Param[];
  readonly returns?: Type;
  readonly body: Fragment;
  readonly origin?: Span;
}

export type Reboot = "never" | "after-set";

export interface ResourceCommands {
  readonly get: string;
  readonly test: string;
  readonly set: string;
  readonly safe?: string;
}

export interface ResourceType {
  readonly kind: "resourceType";
  readonly name: string;
  readonly module: string;
  readonly description: string;
  readonly properties: readonly Param[];
  readonly get: Fragment;
  readonly test: Fragment;
  readonly set: Fragment;
  readonly safe?: Fragment;
  readonly reboot: Reboot;
  /** Declared by the author (true/false), or undefined: then detected from `set`. */
  readonly disruptive?: boolean;
  readonly commands: ResourceCommands;
  /** The MOF-based DSC resource generated for it (class name = friendly name = the resource name). */
  readonly dsc: { readonly className: string; readonly classVersion: string };
  readonly origin?: Span;
}

/** The DSC class a resource instance is written as. */
export interface DscClassRef {
  readonly className: string;
  readonly friendlyName: string;
  readonly moduleName: string;
  readonly moduleVersion: string;
  /** An in-box class of PSDesiredStateConfiguration. */
  readonly builtin: boolean;
  /** The order Windows PowerShell 5.1 writes this class's properties in, where known. */
  readonly propertyOrder?: readonly string[];
}

export interface Fragment {
  readonly kind: "fragment";
  readonly parts: readonly Part[];
  readonly origin?: Span;
}

export type Part = { readonly kind: "text"; readonly text: string } | Expr;

export type Expr =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "array"; readonly items: readonly Expr[] }
  | { readonly kind: "map"; readonly entries: readonly { readonly key: string; readonly value: Expr }[] }
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "call"; readonly command: string; readonly args: readonly { readonly name: string; readonly value: Expr }[]; readonly switches: readonly { readonly name: string; readonly on: boolean }[] }
  | RuntimeExpr
  | { readonly kind: "fragment"; readonly fragment: Fragment }
  /** PowerShell code held as a value (a Script resource's scripts): a string of the fragment's text. */
  | { readonly kind: "script"; readonly fragment: Fragment }
  | { readonly kind: "raw"; readonly text: string };

export interface RuntimeExpr {
  readonly kind: "runtime";
  /** secretsManager: a secret's SecretString; credential: a PSCredential from a {"Username","Password"} secret. */
  readonly source: "ec2Tag" | "ssmParameter" | "env" | "instanceId" | "secretsManager" | "credential";
  readonly name: string;
  readonly secure: boolean;
}

export interface Configuration {
  readonly kind: "configuration";
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly guid: string;
  readonly source: string;
  readonly targets: Targets;
  readonly schedule: string;
  readonly association: AssociationSettings;
  readonly timeoutSeconds: number;
  /** The runtime and the author modules whose resources it uses (dependencies first). */
  readonly requires: readonly ModuleRef[];
  /** In dependency order, ties by id. */
  readonly resources: readonly Resource[];
  readonly delivery: {
    readonly runCommand: boolean;
    readonly dsc?: { readonly rebootBehavior: "AfterMof" | "Immediately" | "Never"; readonly mode: "Apply" | "ReportOnly"; readonly complianceType: string };
  };
  /** Whether a DSC document can be written (every runtime value has an AWS-ApplyDSCMofs token). */
  readonly dscDocument: boolean;
  /** LCM settings for the meta MOF, in the order they are written. */
  readonly lcm: readonly { readonly name: string; readonly value: Expr }[];
  readonly origin?: Span;
}

export interface Resource {
  readonly kind: "resource";
  readonly id: string;
  readonly type: { readonly module: string; readonly name: string; readonly commands: ResourceCommands; readonly dsc: DscClassRef };
  readonly reboot: Reboot;
  /** By parameter name. */
  readonly properties: readonly { readonly name: string; readonly value: Expr }[];
  /** Sorted. */
  readonly dependsOn: readonly string[];
  /**
   * The properties that hold PowerShell code (a dsc.Script's scripts, as fragments or plain text),
   * with where each value was written: they are parsed and checked like fragments.
   */
  readonly scripts?: readonly { readonly name: string; readonly origin?: Span }[];
  /** dsc.Script: the safe script (a string or script expression) run before SetScript; see ScriptInstanceOptions. */
  readonly safe?: { readonly value: Expr; readonly origin?: Span };
  /** dsc.Script: declared disruptive (true/false), or undefined: then detected from SetScript. */
  readonly disruptive?: boolean;
  readonly source: string;
  readonly origin?: Span;
}
