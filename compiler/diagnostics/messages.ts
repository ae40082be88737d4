// The catalogue: every diagnostic fleetform reports comes from here, and every code is written here
// only (elsewhere: messages.<Name>.code). Codes are explicit strings, never enum order, and the
// entries are in code order: a new one goes in its place. test/unit/messages.test.ts checks all
// of it (unique, in order, each used, no code literal outside this file).
// Ranges: FF1xxx options and load, FF2xxx module graph, FF21xx values and references,
// FF3xxx lowering and PowerShell fragments, FF4xxx emit and target limits, FF9xxx internal.
import { located, type Diagnostic, type Note, type Severity, type Where } from "./diagnostic.js";

interface MessageDef {
  readonly code: string;
  readonly severity: Severity;
  readonly text: string;
}

export const messages = {
  ConfigNotFound: { code: "FF1001", severity: "error", text: "no fleetform.config.ts found in {dir}" },
  ConfigInvalid: { code: "FF1002", severity: "error", text: "{file} must `export default defineConfig(...)`" },
  EvaluationFailed: { code: "FF1003", severity: "error", text: "evaluating {file} threw: {message}" },
  ModuleExportMissing: { code: "FF1004", severity: "error", text: "{file} is a module entry but does not `export const module = defineModule(...)`{why}" },
  ConfigurationExportMissing: { code: "FF1005", severity: "error", text: "{file} must `export default configuration(...)`" },
  ImportNotFound: { code: "FF1006", severity: "error", text: "cannot resolve import '{specifier}' from {file}" },
  PatternMatchedNothing: { code: "FF1007", severity: "warning", text: "the {what} pattern '{pattern}' matches no file" },
  OptionInvalid: { code: "FF1008", severity: "error", text: "{owner}: `{option}` must be {expected}" },
  UnsupportedSource: { code: "FF1009", severity: "error", text: "{file} is not a TypeScript source (.ts); {what} must be written in TypeScript" },
  TypeScriptUnavailable: { code: "FF1010", severity: "error", text: "the TypeScript type checker could not be run: {message}" },
  DynamicImport: { code: "FF1011", severity: "error", text: "dynamic import() is not allowed in config sources; use a static import" },
  InitFolderNotEmpty: { code: "FF1012", severity: "error", text: "{dir} is not empty ({entries}); fleetform init writes a config repo into an empty folder, or one holding only package.json, its lock file, .gitignore, node_modules and .git" },
  InitPackageJsonInvalid: { code: "FF1013", severity: "error", text: "fleetform init cannot add its scripts to package.json: {message}" },
  OutputStale: { code: "FF1015", severity: "error", text: "{out} was not built from the current sources ({what}); run `fleetform build` first" },
  OutputMissing: { code: "FF1016", severity: "error", text: "{out} is not a whole build ({file} does not exist); run `fleetform build` first" },
  ToolMissing: { code: "FF1017", severity: "error", text: "{tool} is missing: {how}" },
  OutputFolderIsRepo: { code: "FF1020", severity: "error", text: "the output folder {out} is the config repo or contains it; choose a folder of its own (e.g. dist)" },
  OutputFolderBusy: { code: "FF1021", severity: "error", text: "another fleetform build (pid {pid}) is writing the output folder {out}; waited {seconds} s for it (its lock is {lock})" },
  EvaluationTimeout: { code: "FF1022", severity: "error", text: "evaluating {file} did not finish within {ms} ms (an endless loop?); fleetform stopped it. If it is only slow, raise the limit with --eval-timeout <ms>" },
  NestingTooDeep: { code: "FF1023", severity: "error", text: "{what} nests too deeply: {limit}{where}; build it in steps instead (with variables or a loop)" },
  OutputWriteFailed: { code: "FF1024", severity: "error", text: "could not write {path}: {reason}" },
  ConfigSettingInvalid: { code: "FF1025", severity: "error", text: "defineConfig: `{setting}` must be {expected}" },
  CommandLineValueInvalid: { code: "FF1026", severity: "error", text: "{option} takes {expected}, not '{value}'" },
  OutputFolderProtected: { code: "FF1030", severity: "error", text: "the output folder {out} is {where}a {folder} folder; fleetform replaces its output folder whole, so choose a folder of its own (e.g. dist)" },
  OutputFolderHoldsConfig: { code: "FF1031", severity: "error", text: "the output folder {out} holds a fleetform.config.ts; refusing to replace a config repo" },
  OutputFolderHoldsSource: { code: "FF1032", severity: "error", text: "the output folder {out} holds a source of this build ({source}); the build replaces the whole folder, so choose one of its own" },
  OutputFolderSymlink: { code: "FF1033", severity: "error", text: "the output folder {out} is a symbolic link; fleetform replaces its output folder whole, so give the folder it points to" },
  OutputFolderIsFile: { code: "FF1034", severity: "error", text: "the output folder {out} is a file, not a folder" },
  OutputFolderNotFleetforms: { code: "FF1035", severity: "error", text: "the output folder {out} is not empty and was not written by fleetform (it has no {marker}); fleetform replaces its output folder whole, so empty it, remove it or choose another" },
  OutputFolderMarkerGone: { code: "FF1036", severity: "error", text: "the output folder {out} no longer holds fleetform's {marker}; not writing into it" },
  ReportPathProtected: { code: "FF1037", severity: "error", text: "the JUnit report {path} is in a {folder} folder; choose another place" },
  ReportPathIsFolder: { code: "FF1038", severity: "error", text: "the JUnit report {path} is a folder, not a file" },
  ModuleOutsideEntry: { code: "FF1039", severity: "error", text: "{file} exports {export}, a defineModule that declares no module of the build: fleetform reads one module per folder, from its entry file's `export const module = defineModule(...)` ({entries}); this one is ignored" },
  SourceSyntax: { code: "FF1040", severity: "error", text: "{file} does not parse as TypeScript: {message}" },

  ImportCycle: { code: "FF2001", severity: "error", text: "modules import each other in a cycle: {cycle}" },
  LayerViolation: { code: "FF2002", severity: "error", text: "module '{from}' (layer '{fromLayer}') imports module '{to}' (layer '{toLayer}'){why}" },
  DuplicateModuleName: { code: "FF2003", severity: "error", text: "two modules are named '{name}'" },
  ModuleLayerUnknown: { code: "FF2004", severity: "error", text: "module '{module}' is in layer '{layer}', which is not one of the configured layers ({layers})" },
  DefinitionOutsideModule: { code: "FF2005", severity: "error", text: "{what} '{name}' is defined in {file}, which belongs to no module folder" },
  SharedFileWithoutModule: { code: "FF2006", severity: "error", text: "{file} is in no module folder but modules {modules} import it; move it into one module's folder, or make it a module of its own" },
  CallWithoutImport: { code: "FF2007", severity: "error", text: "module '{module}' calls {command} of module '{owner}' but does not import '{owner}'; the PowerShell would fail with 'command not found'" },
  UnusedImport: { code: "FF2008", severity: "warning", text: "module '{module}' imports module '{imported}' but none of its fragments calls it; the import still makes '{imported}' a RequiredModule" },

  UnknownDependsOn: { code: "FF2101", severity: "error", text: "dependsOn refers to unknown resource '{id}' in configuration '{configuration}'" },
  ResourceCycle: { code: "FF2102", severity: "error", text: "resources of configuration '{configuration}' depend on each other in a cycle: {cycle}" },
  DuplicateName: { code: "FF2103", severity: "error", text: "two {what} are named '{name}'" },
  PropertyValueInvalid: { code: "FF2104", severity: "error", text: "property '{property}' of {resource}: {message}" },
  PropertyMissing: { code: "FF2105", severity: "error", text: "{resource} requires property '{property}'" },
  PropertyUnknown: { code: "FF2106", severity: "error", text: "{owner} has no {what} '{name}'" },
  ScheduleInvalid: { code: "FF2107", severity: "error", text: "schedule '{schedule}' of {owner} is not valid: {message}" },
  NameInvalid: { code: "FF2108", severity: "error", text: "{what} '{name}' is not valid: {message}" },
  VersionInvalid: { code: "FF2109", severity: "error", text: "{what} '{name}' version '{version}' is not a PowerShell module version (1.2, 1.2.3 or 1.2.3.4, each number at most 2147483647)" },
  TargetsInvalid: { code: "FF2110", severity: "error", text: "targets of {owner}: {message}" },
  SelfDependsOn: { code: "FF2111", severity: "error", text: "resource '{id}' depends on itself" },
  DuplicateResourceKey: { code: "FF2112", severity: "error", text: "resources '{first}' and '{second}' of configuration '{configuration}' are both {type} with the same key properties ({keys})" },
  DuplicateResourceId: { code: "FF2113", severity: "error", text: "configuration '{configuration}' declares resource '{id}' twice; the first one would be silently replaced" },
  LcmSettingInvalid: { code: "FF2114", severity: "error", text: "lcm.{setting} of configuration '{configuration}' must be {range}" },
  BuiltinNeedsDsc: { code: "FF2115", severity: "error", text: "resource '{id}' is DSC's in-box {type}, which only runs through DSC: deliver configuration '{configuration}' as MOFs only (delivery.runCommand false, delivery.dsc true)" },
  SubstitutionInPlainText: { code: "FF2116", severity: "error", text: "'{value}' looks like a CloudFormation substitution but is plain text that CloudFormation will not substitute; {fix}" },
  TargetTagUnknown: { code: "FF2117", severity: "error", text: "no instance carries tag {tag}={value}: {message}" },
  AssociationOptionInvalid: { code: "FF2118", severity: "error", text: "{option} of {owner}: {message}" },
  StackParameterUnknown: { code: "FF2119", severity: "error", text: "stack parameter '{name}' is not declared in stack.parameters of fleetform.config.ts{suggestion}" },
  MofTokenInLiteral: { code: "FF2130", severity: "error", text: "property '{property}' of resource '{id}': '{value}' holds '{token}', which AWS-ApplyDSCMofs would read as a token and replace on the instance (its documentation gives no escape); a value resolved on the instance must come from ec2Tag(), ssmParameter(), env() or secret()" },
  RuntimeNameInvalid: { code: "FF2131", severity: "error", text: "{call}('{name}'): the name must be {rule}" },
  DscHeaderInvalid: { code: "FF2132", severity: "error", text: "dsc.{field} '{value}' is not valid: {message}" },
  ResourceIdCaseCollision: { code: "FF2133", severity: "error", text: "resources '{first}' and '{second}' of configuration '{configuration}' differ only in case; PowerShell and DSC compare resource ids ignoring case, so they would collide on the instance" },
  ReservedDeviceName: { code: "FF2134", severity: "error", text: "{what} '{name}' is the Windows device name {device}: Windows opens the device instead of a file or folder of that name (with any extension), and this name becomes folder and file names" },
  TextNotConstant: { code: "FF2135", severity: "error", text: "{what} of {owner} holds {character}; it is written as a constant into a PowerShell attribute ({attribute}), which cannot hold control or line-breaking characters{hint}" },
  SourcePathInvalid: { code: "FF2136", severity: "error", text: "'{path}' cannot be a source file: {rule}" },
  DuplicateParameter: { code: "FF2137", severity: "error", text: "{owner} has two {what} named '{name}' (PowerShell compares parameter names ignoring case)" },
  ResourceWithoutKey: { code: "FF2138", severity: "error", text: "resource '{name}' has no key property: its DSC resource needs at least one, the properties that tell one instance from another: mark one with `key: true` among its t.* options" },
  OptionMissing: { code: "FF2139", severity: "error", text: "{owner} has no `{option}`: it needs {expected}" },
  LogRetentionInvalid: { code: "FF2140", severity: "error", text: "stack.logs.retentionDays {value} is not a retention CloudWatch Logs accepts; use one of {allowed} (days){hint}" },
  LogKmsKeyInvalid: { code: "FF2141", severity: "error", text: "stack.logs.kmsKey {value} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>, no alias) or a stackParameter() holding one" },
  ModuleImportsConfiguration: { code: "FF2142", severity: "error", text: "module '{module}' imports the configuration file {file}: configurations sit above every layer, and a module may only import modules of lower layers; move what both use into a module" },
  ConflictingResources: { code: "FF2143", severity: "error", text: "configurations '{first}' and '{second}' both run on instances tagged {target}, and both declare {type} ({keys}) with a different {property}: {was} in '{firstId}' of '{first}', {is} in '{secondId}' of '{second}'; each run would undo the other's change. Declare it in one of them, or in a configuration of its own, or give the two targets no tag value in common" },
  LcmNotApplied: { code: "FF2144", severity: "warning", text: "lcm of configuration '{configuration}' {effect}{advice}" },
  RebootRefused: { code: "FF2145", severity: "warning", text: "configuration '{configuration}' is delivered by DSC with rebootBehavior \"Never\", but {resources} {take} effect after a reboot (reboot: \"after-set\"): AWS-ApplyDSCMofs will not restart the instance, so the change waits for a reboot nothing asks for; use \"AfterMof\" (the default) or \"Immediately\"" },
  AssociationClash: { code: "FF2146", severity: "error", text: "{owner} gets the Systems Manager stack's {what} '{value}', which {other} gets too ({why}): rename one of them" },

  BadInterpolation: { code: "FF3001", severity: "error", text: "cannot interpolate {what} into a ps`...` fragment: {hint}" },
  UnapprovedVerb: { code: "FF3002", severity: "error", text: "'{name}' uses '{verb}', which is not an approved PowerShell verb{suggestion}" },
  CommandNameInvalid: { code: "FF3003", severity: "error", text: "'{name}' is not a Verb-Noun command name" },
  FragmentThrew: { code: "FF3004", severity: "error", text: "the {part} of {owner} threw while building its fragment: {message}" },
  FragmentExpected: { code: "FF3005", severity: "error", text: "the {part} of {owner} must return a ps`...` fragment, got {got}" },
  PatternNotPortable: { code: "FF3006", severity: "error", text: "pattern /{pattern}/{flags} cannot be used as a PowerShell pattern: {message}" },
  ArgumentInvalid: { code: "FF3007", severity: "error", text: "call to {command}: {message}" },
  FunctionTooLate: { code: "FF3008", severity: "error", text: "function '{name}' is created while a fragment is built, too late for any module to define it; create it with fn(...) at the top level of a module file" },
  DisruptiveWithoutSafe: { code: "FF3020", severity: "error", text: "resource {resource} is disruptive ({why}) but has no `safe` check; add safe: () => ps`...` returning whether it is safe to change now, or declare disruptive: false if it is not" },
  RestartComputer: { code: "FF3021", severity: "error", text: "{owner} {reboots}; {remedy}" },
  FragmentSyntax: { code: "FF3022", severity: "error", text: "PowerShell syntax error in {owner}: {message}" },
  PowerShell7Only: { code: "FF3023", severity: "error", text: "{owner} uses {what}, which Windows PowerShell 5.1 (what SSM Agent and DSC run) cannot run" },
  FragmentsNotParsed: { code: "FF3024", severity: "warning", text: "the PowerShell fragments were not parsed: {reason}" },
  ScriptDisruptiveWithoutSafe: { code: "FF3040", severity: "error", text: "the SetScript of dsc.Script resource '{id}' in configuration {configuration} is disruptive ({why}) but has no safe script; give dsc.Script a second argument with safe: ps`...` (code returning $true when it is safe to change now), or with disruptive: false if it is not disruptive" },
  ScriptOptionNotScript: { code: "FF3041", severity: "error", text: "`{option}` is an option of dsc.Script only; {resource} does not take it" },
  CommandUnknown: { code: "FF3060", severity: "error", text: "{owner} calls '{name}', which is neither a command, alias or built-in function of Windows PowerShell 5.1, nor a function of {scope} or of a module it imports, nor a declared extern{hint}" },
  ParameterUnknown: { code: "FF3061", severity: "error", text: "{owner} calls {command}: {message}" },
  ParameterValueInvalid: { code: "FF3062", severity: "error", text: "{owner}: {message}" },
  DynamicCall: { code: "FF3063", severity: "info", text: "{owner} calls a command computed when it runs ('{text}', {operator}), so the build cannot link it against Windows PowerShell 5.1" },
  ShadowsInbox: { code: "FF3064", severity: "error", text: "{what} '{name}' has the name of Windows PowerShell 5.1's {inbox}; it would silently replace it wherever the module is imported: choose another name" },
  FragmentConfiguration: { code: "FF3065", severity: "error", text: "{owner} defines a DSC configuration (a Configuration statement); fleetform writes the DSC documents itself, from the dsc.* resources of a configuration delivered by DSC (delivery.dsc), and PowerShell on the build host cannot check a Configuration statement (Windows PowerShell compiles it against the DSC resource schemas of the node it runs on)" },
  ScriptDisruptiveInvalid: { code: "FF3066", severity: "error", text: "`disruptive` of dsc.Script must be true or false" },
  ScriptSafeInvalid: { code: "FF3067", severity: "error", text: "`safe` of dsc.Script must be PowerShell code: a ps`...` fragment or a string" },
  FragmentLoneSurrogate: { code: "FF3068", severity: "error", text: "{owner} holds a lone surrogate ({unit}, half of a UTF-16 pair), which no UTF-8 file can hold: it would be written as U+FFFD; pass whole characters, or build the character when the code runs ([char]0x{hex})" },
  BracedVariableAfterPath: { code: "FF3069", severity: "warning", text: "the template writes '{written}': JavaScript reads '\\$' as '$', so {effect}; to put the value after the backslash, {advice}, or build the path with -f or Join-Path" },
  ParameterTypeMismatch: { code: "FF3070", severity: "error", text: "{owner} passes ${variable} to {command} -{parameter}, which takes a {takes} in Windows PowerShell 5.1; ${variable} is a {what} of type [{type}], which does not convert to one: the call fails when it runs{hint}" },
  VariableNeverAssigned: { code: "FF3071", severity: "warning", text: "{owner} reads {variable}, which it never assigns{parameters}: did you mean {suggestion}? It reads as $null, or fails when the line runs under Set-StrictMode -Version 3.0, which the generated modules set" },

  DocumentTooLarge: { code: "FF4001", severity: "error", text: "SSM document for '{configuration}' is {size} bytes; the limit is 65536" },
  SchemaViolation: { code: "FF4002", severity: "error", text: "emitted {file} does not satisfy {schema}: {message}" },
  MofCannotHold: { code: "FF4003", severity: "error", text: "property '{property}' of resource '{id}' cannot be written to a DSC document: {message}" },
  BundleSourceMissing: { code: "FF4005", severity: "error", text: "{what} '{path}' is not in the build output" },
  TemplateTooLarge: { code: "FF4006", severity: "error", text: "{file} is {size} bytes; CloudFormation takes a template of at most {limit} bytes (uploaded to S3), and it embeds every SSM document: the largest is {largest}'s ({documentSize} bytes)" },
  TemplateNeedsS3: { code: "FF4007", severity: "warning", text: "{file} is {size} bytes, over the {limit} bytes CloudFormation takes inline, so deploy it through S3 (aws cloudformation deploy --s3-bucket ...); the largest SSM document it embeds is {largest}'s ({documentSize} bytes)" },
  StackParameterUnused: { code: "FF4008", severity: "warning", text: "stack parameter '{name}' is declared in stack.parameters but no template uses it, so no stack declares it and the deployer is never asked for it (stack.tags only lists the tag values instances carry, for fleetform's checks: no template reads it); use it with stackParameter() in targets, association parameters, stack.alerts or stack.logs, or remove it" },
  GeneratedFileUnparsable: { code: "FF4020", severity: "error", text: "fleetform generated {file}, which PowerShell cannot parse at line {line}, column {column}: {message}; the build is stopped (this is a bug in fleetform: please report it)" },
  GeneratedDataFileUnsafe: { code: "FF4021", severity: "error", text: "fleetform generated {file}, which is not a PowerShell data file (Import-PowerShellDataFile and Import-Module would refuse it): {message}; the build is stopped (this is a bug in fleetform: please report it)" },

  InternalError: { code: "FF9001", severity: "error", text: "internal error: {message}" },
} as const satisfies Record<string, MessageDef>;

export type MessageName = keyof typeof messages;

type Holes<S extends string> = S extends `${string}{${infer H}}${infer Rest}` ? H | Holes<Rest> : never;
export type MessageArgs<N extends MessageName> = { readonly [K in Holes<(typeof messages)[N]["text"]>]: string | number };

export function formatMessage(text: string, args: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in args ? String(args[name]) : m));
}

/** Builds a diagnostic from the catalogue. This is the only way fleetform reports anything. */
export function diag<N extends MessageName>(name: N, args: MessageArgs<N>, where?: Where, notes?: readonly Note[]): Diagnostic {
  const def: MessageDef = messages[name];
  const span = located(where);
  return {
    code: def.code,
    severity: def.severity,
    message: formatMessage(def.text, args as Record<string, string | number>),
    ...(span ? { span } : {}),
    ...(notes && notes.length > 0 ? { notes } : {}),
  };
}
