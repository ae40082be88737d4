import { brand, captureSite, KIND, settled, type Site } from "./brand.js";
import type { Handles, Infer, PropType, Props, PropValue, PropValues } from "./types.js";
import type { Call, Fragment, Handle, RawText } from "./values.js";
import type { StackValue } from "./stack.js";

// ---------------------------------------------------------------------------------------------
// defineConfig

export interface InstallOptions {
  /** Where modules are installed on the instances; must be on PSModulePath. @default "C:\\Program Files\\WindowsPowerShell\\Modules" */
  readonly root?: string;
  /** Where the runtime writes its monthly JSON log files. @default "C:\\ProgramData\\Fleetform\\Logs" */
  readonly logDir?: string;
  /** Where the runtime keeps state that must survive a reboot (the reboot guard). @default "C:\\ProgramData\\Fleetform\\State" */
  readonly stateDir?: string;
  /** Where CodeDeploy puts manifest.json and the DSC documents. @default "C:\\ProgramData\\Fleetform\\Deploy" */
  readonly deployDir?: string;
  /**
   * The one group (a name such as "BUILTIN\\Event Log Readers", or a SID) that may read the log
   * files besides SYSTEM and Administrators. The runtime's folders are otherwise closed to everyone
   * else. @default none
   */
  readonly logReaders?: string;
}

export interface ConfigOptions<L extends string = string> {
  /** The layer stack, lowest first. A module may only use modules of a lower layer. */
  readonly layers: readonly L[];
  /** Glob patterns (relative to the config repo) of module entry files; one folder is one module. @default ["modules/*\/index.ts"] */
  readonly modules?: readonly string[];
  /** Glob patterns of configuration files, each with `export default configuration(...)`. @default ["configurations/*.ts"] */
  readonly configurations?: readonly string[];
  /** Output folder, relative to the config repo. @default "dist" */
  readonly out?: string;
  readonly install?: InstallOptions;
  /** Layers whose modules may use other modules of the same layer. @default [] */
  readonly sameLayerImports?: readonly L[];
  /** How DSC documents (dsc/<Config>/localhost.mof) are written. */
  readonly dsc?: DscOptions;
  /** The Systems Manager stack (cloudformation/systems-manager.yaml). */
  readonly stack?: StackOptions;
}

export interface StackParameterOptions {
  readonly description?: string;
  readonly allowedValues?: readonly string[];
  readonly default?: string;
}

/** The retention periods CloudWatch Logs accepts, in days (AWS::Logs::LogGroup RetentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** A KMS key ARN as AWS::Logs::LogGroup's KmsKeyId takes it (a key, not an alias). Java-compatible, for AllowedPattern too. */
export const KMS_KEY_ARN_PATTERN = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$";

/** The runtime's CloudWatch Logs log group (/fleetform/<prefix>/runtime) in the Systems Manager stack. */
export interface LogOptions {
  /** How long CloudWatch Logs keeps the runtime's log lines: one of the periods CloudWatch Logs accepts. @default 90 */
  readonly retentionDays?: LogRetentionDays;
  /**
   * The KMS key that encrypts the log group: a key ARN (arn:aws:kms:<region>:<account>:key/<id>)
   * or a stackParameter() holding one. Its key policy must let the CloudWatch Logs service of the
   * region use it. A stack parameter given the empty string at deploy time means no key (CloudWatch
   * Logs' own encryption); any other value must be a key ARN (the parameter's AllowedPattern).
   * @default none (CloudWatch Logs' own encryption)
   */
  readonly kmsKey?: string | StackValue;
}

export interface StackOptions {
  /** Prefix of the SSM document and association names. @default "fleetform" */
  readonly prefix?: string;
  /** Extra stack parameters (e.g. Environment), used through stackParameter() and sub``. */
  readonly parameters?: { readonly [name: string]: StackParameterOptions };
  /**
   * The tag values instances actually carry, per tag key. Association targets are checked against
   * them: tag values are case-sensitive, and a target no instance carries is an error.
   */
  readonly tags?: { readonly [key: string]: readonly (string | StackValue)[] };
  /** Fleet-wide associations of AWS-owned documents (patch scans, inventory, agent updates ...). */
  readonly associations?: readonly AwsAssociation[];
  /** The runtime's log group: retention and encryption. */
  readonly logs?: LogOptions;
  /** An EventBridge rule and SNS topic that alert when an association fails. @default false */
  readonly alerts?: boolean | { readonly email?: string | StackValue };
  /**
   * The template is deployed from S3 (`aws cloudformation deploy --s3-bucket ...`, or a pipeline's
   * artifact store), so CloudFormation's 51,200-byte limit on an inline template does not apply
   * and FF4007 is not reported. Its 1,000,000-byte limit still does (FF4006). @default false
   */
  readonly deployFromS3?: boolean;
}

export interface DscOptions {
  /**
   * "wmf51": exactly what Windows PowerShell 5.1 writes (UTF-16LE with BOM, CRLF). "psdsc2": what
   * PowerShell 7 with PSDesiredStateConfiguration 2.0 writes (UTF-8 without BOM).
   * @default "wmf51"
   */
  readonly format?: "wmf51" | "psdsc2";
  /** The header's @GeneratedBy and the document's Author. @default "fleetform" */
  readonly generatedBy?: string;
  /** The header's @GenerationHost. @default "fleetform" */
  readonly generationHost?: string;
  /**
   * The header's @GenerationDate, as DSC writes it (MM/dd/yyyy HH:mm:ss). When not set, the
   * SOURCE_DATE_EPOCH environment variable gives it, else 01/01/1970 00:00:00, so builds stay
   * byte-identical.
   */
  readonly generationDate?: string;
}

export interface Config<L extends string = string> extends ConfigOptions<L> {
  readonly [KIND]: "config";
  readonly site?: Site;
}

/** The config repo's settings: `export default defineConfig({ ... })` in fleetform.config.ts. */
export function defineConfig<const L extends string>(options: ConfigOptions<L>): Config<L> {
  return brand("config", { ...settled(options), site: captureSite(defineConfig) });
}

/**
 * Where a config repo registers its own config with fleetform's types, so that module layers are
 * checked (and completed in the editor) against the config's `layers`. In fleetform.config.ts:
 *
 * ```ts
 * const config = defineConfig({ layers: ["platform", "application"] });
 * export default config;
 * declare module "fleetform" {
 *   interface Register {
 *     config: typeof config;
 *   }
 * }
 * ```
 */
export interface Register {}

/** A layer of the registered config (see {@link Register}); any string when no config is registered. */
export type LayerName = Register extends { readonly config: Config<infer L> } ? L : string;

// ---------------------------------------------------------------------------------------------
// defineModule

export interface ModuleOptions {
  /** The PowerShell module name (also its folder name in dist/modules). */
  readonly name: string;
  /**
   * One of the `layers` of fleetform.config.ts. A module may only import modules of lower layers.
   * Offered and checked by the editor once the config is registered (see {@link Register}).
   */
  readonly layer: LayerName;
  /** The module version: 1.2, 1.2.3 or 1.2.3.4. */
  readonly version: string;
  readonly description: string;
  /** The manifest's Author. @default "fleetform" */
  readonly author?: string;
}

export interface ModuleDef extends ModuleOptions {
  readonly [KIND]: "module";
  readonly site?: Site;
}

/** Declares the PowerShell module made of this folder: `export const module = defineModule({ ... })`. */
export function defineModule(options: ModuleOptions): ModuleDef {
  return brand("module", { ...settled(options), site: captureSite(defineModule) });
}

// ---------------------------------------------------------------------------------------------
// fn and extern

/** An argument of a command call: a literal, a handle, a runtime value or another call/fragment. */
export type Arg<T extends PropType> = PropValue<T> | Handle<Infer<T>> | Call | Fragment | RawText;
type ArgsOf<P extends Props> = { readonly [K in keyof PropValues<P>]: PropValues<P>[K] | Handle<unknown> | Call | Fragment | RawText };

export interface FnOptions<P extends Props> {
  /** The PowerShell command name, Verb-Noun with an approved verb. */
  readonly name: string;
  readonly description?: string;
  readonly params: P;
  /** The PowerShell type of what the function returns, for `[OutputType()]`. */
  readonly returns?: PropType;
  /** The function body; each parameter is a handle rendering as `$Name`. */
  readonly body: (params: Handles<P>) => Fragment;
}

export interface FnDef<P extends Props = Props> extends FnOptions<P> {
  readonly [KIND]: "fn";
  readonly site?: Site;
}

/** A callable command: call it inside `ps` to get `(Verb-Noun -Param value)`. */
export type Command<P extends Props, D, S extends string = never> = ((args: ArgsOf<P> & { readonly [K in S]?: boolean }) => Call) & { readonly definition: D };

function command<P extends Props, D extends object, S extends string = never>(def: D): Command<P, D, S> {
  const call = (args: ArgsOf<P>): Call => brand("call", { target: def, args: { ...settled(args ?? {}) }, site: captureSite(call) });
  Object.defineProperty(call, "definition", { value: def, enumerable: true });
  Object.defineProperty(call, KIND, { value: (def as { [KIND]: string })[KIND], enumerable: false });
  return call as unknown as Command<P, D, S>;
}

/** A PowerShell function of this module. Export it; other modules call it through their imports. */
export function fn<const P extends Props>(options: FnOptions<P>): Command<P, FnDef<P>> {
  return makeFn(options, captureSite(fn));
}

/** @internal For the compiler, which records each definition the author makes: the site is the author's call. */
export function makeFn<const P extends Props>(options: FnOptions<P>, site: Site | undefined): Command<P, FnDef<P>> {
  return command(brand("fn", { ...settled(options), site }));
}

export interface ExternOptions<P extends Props, S extends string = string> {
  /** The command name, e.g. "Get-EC2Tag". */
  readonly name: string;
  /** The PowerShell module that provides it, e.g. "AWS.Tools.EC2". */
  readonly module: string;
  /** The minimum module version to require. */
  readonly version?: string;
  /**
   * The module ships with Windows (e.g. Microsoft.PowerShell.Management, NetTCPIP): it is not added
   * to RequiredModules, and generated tests stub the command where the build host lacks it.
   * @default false
   */
  readonly builtin?: boolean;
  readonly params: P;
  /** Switch parameters the command takes; pass them as booleans (`force: true` gives `-Force`). */
  readonly switches?: readonly S[];
}

export interface ExternDef<P extends Props = Props, S extends string = string> extends ExternOptions<P, S> {
  readonly [KIND]: "extern";
  readonly site?: Site;
}

/**
 * A command from another PowerShell module: typed, imported (unless `builtin`) by each generated
 * function that calls it when it runs (not a RequiredModules entry, so a resource can install it for
 * a later one; missing on the instance: exit code 34), stubbed in generated tests.
 */
export function extern<const P extends Props, const S extends string = never>(options: ExternOptions<P, S>): Command<P, ExternDef<P, S>, S> {
  return makeExtern(options, captureSite(extern));
}

/** @internal For the compiler, which records each definition the author makes: the site is the author's call. */
export function makeExtern<const P extends Props, const S extends string = never>(options: ExternOptions<P, S>, site: Site | undefined): Command<P, ExternDef<P, S>, S> {
  return command(brand("extern", { ...settled(options), site }));
}

// ---------------------------------------------------------------------------------------------
// resource

export type Reboot = "never" | "after-set";

export interface ResourceOptions<P extends Props> {
  /** The resource type name (PascalCase); its functions are Get-/Test-/Set-<Name>Resource. */
  readonly name: string;
  readonly description: string;
  readonly properties: P;
  /** Returns a hashtable of the current state. */
  readonly get: (props: Handles<P>) => Fragment;
  /** Returns exactly one [bool]: is the node in the desired state? Must not change anything. */
  readonly test: (props: Handles<P>) => Fragment;
  /** Converges the node. Its output is discarded. */
  readonly set: (props: Handles<P>) => Fragment;
  /** Returns exactly one [bool]: is it safe to run `set` now? If not, the resource is reported blocked. */
  readonly safe?: (props: Handles<P>) => Fragment;
  /** `after-set`: the change takes effect after a reboot, requested through the runtime (exit 3010). @default "never" */
  readonly reboot?: Reboot;
  /**
   * `set` disrupts the node (reboots, renames, removes, uninstalls, stops services, changes ACLs):
   * it then needs `safe`. fleetform detects the obvious cmdlets itself; `false` overrides a
   * detection you know to be wrong. @default detected
   */
  readonly disruptive?: boolean;
}

export interface ResourceDef<P extends Props = Props> extends ResourceOptions<P> {
  readonly [KIND]: "resource";
  readonly site?: Site;
  /** Set for DSC's in-box resources (stdlib `dsc.*`): the CIM class they are. */
  readonly dsc?: BuiltinDscClass;
}

/** An in-box DSC resource class (PSDesiredStateConfiguration 1.1). */
export interface BuiltinDscClass {
  readonly className: string;
  readonly moduleName: "PSDesiredStateConfiguration";
  readonly moduleVersion: string;
  /** The property order Windows PowerShell 5.1 writes for this class, where known from real files. */
  readonly propertyOrder?: readonly string[];
}

export interface InstanceOptions<D extends string = string> {
  /** Ids (keys in the configuration's `resources`) of resources that must be in the desired state first. */
  readonly dependsOn?: readonly D[];
}

/**
 * The options of a `dsc.Script` instance: `dependsOn`, and the guard of a disruptive SetScript.
 * DSC's Script has no safe script of its own: fleetform runs `safe` before SetScript (the runtime's
 * safe step through Run Command; in a DSC document, at the top of SetScript), and changes nothing
 * unless it returns exactly `$true`.
 */
export interface ScriptInstanceOptions<D extends string = string> extends InstanceOptions<D> {
  /** PowerShell code (a `ps` fragment or its text) that returns `$true` when it is safe to run SetScript now. */
  readonly safe?: Fragment | string;
  /**
   * SetScript disrupts the node (reboots, removes trees, stops services ...): it then needs `safe`.
   * Detected from the script's text; `false` overrides a detection you know to be wrong. @default detected
   */
  readonly disruptive?: boolean;
}

export interface ResourceInstance<P extends Props = Props, D extends string = string> {
  readonly [KIND]: "instance";
  readonly resource: ResourceDef<P>;
  readonly properties: PropValues<P>;
  readonly dependsOn: readonly D[];
  /** dsc.Script only: its safe script and disruptive declaration (ScriptInstanceOptions). */
  readonly safe?: Fragment | string;
  readonly disruptive?: boolean;
  /** The keys of the options it was given (its second argument): the check reports one it does not take. */
  readonly options?: readonly string[];
  readonly site?: Site;
}

export type ResourceType<P extends Props> = (<const D extends string = never>(properties: PropValues<P>, options?: InstanceOptions<D>) => ResourceInstance<P, D>) & {
  readonly definition: ResourceDef<P>;
};

/** A configuration resource: typed properties and get/test/set(/safe) fragments run by the runtime's four steps. */
export function resource<const P extends Props>(options: ResourceOptions<P>): ResourceType<P> {
  return makeResource(options, captureSite(resource));
}

/** @internal For the compiler, which records each definition the author makes: the site is the author's call. */
export function makeResource<const P extends Props>(options: ResourceOptions<P>, site: Site | undefined): ResourceType<P> {
  const def = brand("resource", { ...settled(options), site });
  const instance = (properties: PropValues<P>, opts?: InstanceOptions): ResourceInstance<P> =>
    brand("instance", { resource: def, properties: { ...settled(properties) }, dependsOn: [...settled(opts?.dependsOn ?? [])], ...optionKeys(opts), site: captureSite(instance) });
  Object.defineProperty(instance, "definition", { value: def, enumerable: true });
  Object.defineProperty(instance, KIND, { value: "resource", enumerable: false });
  return instance as ResourceType<P>;
}

/** ResourceInstance.options: the keys of an instance's options, when it was given an object. */
export function optionKeys(opts: unknown): { readonly options?: readonly string[] } {
  return typeof opts === "object" && opts !== null ? { options: Object.keys(opts) } : {};
}

// ---------------------------------------------------------------------------------------------
// configuration

/** Instances carrying an EC2 tag `tag` with one of `values` (tag values are case-sensitive). */
export interface TagTargets {
  readonly tag: string;
  readonly values: readonly (string | StackValue)[];
}

/** How State Manager runs an association (AWS::SSM::Association properties). */
export interface AssociationOptions {
  /** How many (or what percentage of) instances run at once. @default "10%" */
  readonly maxConcurrency?: string;
  /** How many (or what percentage of) errors stop the rollout. @default "10%" */
  readonly maxErrors?: string;
  /**
   * The association's compliance severity; for a configuration also the severity of the
   * per-resource items every run reports to SSM Compliance (Custom:Fleetform_<Configuration>).
   * @default "MEDIUM"
   */
  readonly complianceSeverity?: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "UNSPECIFIED";
  /** Run only on the cron schedule, not right after creation (cron schedules only). @default false */
  readonly applyOnlyAtCronInterval?: boolean;
  /** @default "AUTO" */
  readonly syncCompliance?: "AUTO" | "MANUAL";
  /** Days (1–6) to wait after the cron time; cron schedules with applyOnlyAtCronInterval only. */
  readonly scheduleOffset?: number;
}

export interface AwsAssociationOptions extends AssociationOptions {
  /** A name for the association (letters, digits, '-', '_', '.'). */
  readonly name: string;
  /** An AWS-owned document, e.g. "AWS-RunPatchBaseline". */
  readonly document: string;
  readonly parameters?: { readonly [name: string]: string | readonly string[] | StackValue };
  readonly targets: TagTargets;
  readonly schedule: Schedule;
}

export interface AwsAssociation extends AwsAssociationOptions {
  readonly [KIND]: "association";
  readonly site?: Site;
}

/** A fleet-wide association of an AWS-owned document (e.g. the daily patch scan). */
export function awsAssociation(options: AwsAssociationOptions): AwsAssociation {
  return makeAwsAssociation(options, captureSite(awsAssociation));
}

/** @internal For helpers that build associations: the site is their caller's. */
export function makeAwsAssociation(options: AwsAssociationOptions, site: Site | undefined): AwsAssociation {
  return brand("association", { ...settled(options), site });
}

/** A State Manager schedule: `rate(30 minutes)` (30 minutes to 30 days) or a `cron(...)` expression. */
export type Schedule = `rate(${string})` | `cron(${string})`;

/** Every dependsOn entry must name a resource of the same configuration (a typo is a type error). */
export type CheckedResources<R> = {
  readonly [K in keyof R]: R[K] extends ResourceInstance<infer P, infer D> ? ([D] extends [keyof R] ? R[K] : ResourceInstance<P, Extract<keyof R, string>>) : R[K];
};

export interface ConfigurationOptions<R extends Record<string, ResourceInstance<any, string>>> {
  /** The configuration name: its module is `<Name>`, its command `Invoke-<Name>`. */
  readonly name: string;
  readonly description?: string;
  /** The instances it applies to: those carrying EC2 tag `tag` with one of `values` (tag values are case-sensitive). */
  readonly targets: TagTargets;
  /** When State Manager runs it: `rate(30 minutes)` (30 minutes to under 31 days) or a six-field `cron(...)`. */
  readonly schedule: Schedule;
  /** The resources, by id. Order does not matter: they run in dependency order, ties by id. */
  readonly resources: R & CheckedResources<R>;
  /** The configuration module's version (1.2, 1.2.3 or 1.2.3.4). @default "1.0.0" */
  readonly version?: string;
  /** The script timeout on the instance, in seconds (5 to 172800). @default 3600 */
  readonly timeoutSeconds?: number;
  /** How the configuration reaches the instances. @default { runCommand: true, dsc: false } */
  readonly delivery?: Delivery;
  /**
   * Local Configuration Manager settings, written only to dsc/<Config>/localhost.meta.mof: nothing
   * the build delivers applies that file (AWS-ApplyDSCMofs applies the MOF on `schedule` and leaves
   * the LCM's settings alone), so the build warns (FF2144). On instances use `schedule`,
   * `delivery.dsc.mode` and `delivery.dsc.rebootBehavior` instead.
   */
  readonly lcm?: LcmSettings;
  /** How State Manager runs the configuration's associations. */
  readonly association?: AssociationOptions;
}

export interface Delivery {
  /** A State Manager association running ssm/<Config>.yaml (Invoke-<Config>). @default true */
  readonly runCommand?: boolean;
  /** An AWS-ApplyDSCMofs association applying dsc/<Config>/localhost.mof, which only a configuration delivered by DSC gets. @default false */
  readonly dsc?: boolean | DscDelivery;
}

export interface DscDelivery {
  /** AWS-ApplyDSCMofs RebootBehavior. @default "AfterMof" */
  readonly rebootBehavior?: "AfterMof" | "Immediately" | "Never";
  /** AWS-ApplyDSCMofs MofOperationMode. @default "Apply" */
  readonly mode?: "Apply" | "ReportOnly";
  /** The compliance type results are reported under. @default "Custom:<Config>" */
  readonly complianceType?: string;
}

export interface LcmSettings {
  /** @default "ApplyAndMonitor" */
  readonly configurationMode?: "ApplyOnly" | "ApplyAndMonitor" | "ApplyAndAutoCorrect" | "MonitorOnly";
  /** How often the LCM checks the configuration, 15 to 44640 minutes. @default 15 */
  readonly configurationModeFrequencyMins?: number;
  /** How often the LCM refreshes, 30 to 44640 minutes. */
  readonly refreshFrequencyMins?: number;
  /** @default false */
  readonly rebootNodeIfNeeded?: boolean;
  /** @default "ContinueConfiguration" */
  readonly actionAfterReboot?: "ContinueConfiguration" | "StopConfiguration";
}

export interface ConfigurationDef<R extends Record<string, ResourceInstance<any, string>> = Record<string, ResourceInstance<any, string>>> extends ConfigurationOptions<R> {
  readonly [KIND]: "configuration";
  readonly site?: Site;
}

/** A configuration: which resources a set of instances gets, on which schedule. `export default configuration({ ... })`. */
export function configuration<const R extends Record<string, ResourceInstance<any, string>>>(options: ConfigurationOptions<R>): ConfigurationDef<R> {
  return brand("configuration", { ...settled(options), site: captureSite(configuration) });
}
