// DSC's in-box resources (Windows PowerShell 5.1, PSDesiredStateConfiguration 1.1), typed from
// their schema.mof files (stdlib/dsc/schemas). In a DSC document they are instances of the in-box
// classes (MSFT_ScriptResource, MSFT_RoleResource ...). Only Script also runs through Run Command
// (its scripts run through Fleetform.Runtime); the others need DSC delivery.
import { brand, captureSite, KIND } from "../api/brand.js";
import type { BuiltinDscClass, ResourceDef, ResourceInstance, ResourceType, ScriptInstanceOptions } from "../api/define.js";
import { optionKeys } from "../api/define.js";
import { t, type Props, type PropValues } from "../api/types.js";
import { ps } from "../api/values.js";

const ensure = t.enum(["Present", "Absent"], { optional: true, description: "Present (default) or Absent." });

function builtin<const P extends Props>(name: string, description: string, dsc: Omit<BuiltinDscClass, "moduleName" | "moduleVersion">, properties: P): ResourceType<P> {
  const unavailable = () => ps`throw ${`the in-box DSC resource ${name} has no PowerShell functions of its own`}`;
  const def = brand("resource", {
    name,
    description,
    properties,
    get: unavailable,
    test: unavailable,
    set: unavailable,
    dsc: { ...dsc, moduleName: "PSDesiredStateConfiguration" as const, moduleVersion: "1.0" },
    site: undefined,
  }) as ResourceDef<P>;
  const instance = <const D extends string = never>(props: PropValues<P>, opts?: ScriptInstanceOptions<D>): ResourceInstance<P, D> =>
    brand("instance", {
      resource: def,
      properties: { ...props },
      dependsOn: [...(opts?.dependsOn ?? [])],
      // Only Script's type offers these; kept when given, so the check reports them on other resources.
      ...(opts?.safe !== undefined ? { safe: opts.safe } : {}),
      ...(opts?.disruptive !== undefined ? { disruptive: opts.disruptive } : {}),
      ...optionKeys(opts),
      site: captureSite(instance),
    }) as ResourceInstance<P, D>;
  Object.defineProperty(instance, "definition", { value: def, enumerable: true });
  Object.defineProperty(instance, KIND, { value: "resource", enumerable: false });
  return instance as unknown as ResourceType<P>;
}

/** Script's instances take ScriptInstanceOptions (`safe`, `disruptive`) besides `dependsOn`. */
type ScriptResourceType<P extends Props> = (<const D extends string = never>(properties: PropValues<P>, options?: ScriptInstanceOptions<D>) => ResourceInstance<P, D>) & {
  readonly definition: ResourceDef<P>;
};

function script<P extends Props>(type: ResourceType<P>): ScriptResourceType<P> {
  return type as unknown as ScriptResourceType<P>;
}

/** DSC's in-box resources. */
export const dsc = {
  /**
   * Script (MSFT_ScriptResource): get/test/set scripts; the test script returns a [bool]. Its
   * scripts are checked like fragments (PowerShell's parser, Windows PowerShell 5.1, disruption);
   * a disruptive SetScript needs `safe` in the second argument: `dsc.Script({...}, { safe: ps\`...\` })`.
   */
  Script: script(builtin(
    "Script",
    "Runs PowerShell scripts to get, test and set state",
    { className: "MSFT_ScriptResource", propertyOrder: ["ResourceID", "GetScript", "TestScript", "SourceInfo", "SetScript", "ModuleName"] },
    {
      getScript: t.script({ key: true, description: "Returns a hashtable, conventionally @{ Result = ... }." }),
      setScript: t.script({ key: true, description: "Brings the node to the desired state." }),
      testScript: t.script({ key: true, description: "Returns $true when the node is in the desired state." }),
    },
  )),
  /** File (MSFT_FileDirectoryConfiguration): a file or folder and its content. */
  File: builtin(
    "File",
    "A file or directory exists (or not) with the desired content",
    { className: "MSFT_FileDirectoryConfiguration", propertyOrder: ["ResourceID", "Type", "Ensure", "Contents", "DestinationPath", "ModuleName", "SourceInfo"] },
    {
      destinationPath: t.string({ key: true }),
      sourcePath: t.string({ optional: true }),
      ensure,
      type: t.enum(["File", "Directory"], { optional: true }),
      contents: t.string({ optional: true }),
      checksum: t.enum(["SHA-1", "SHA-256", "SHA-512", "CreatedDate", "ModifiedDate"], { optional: true }),
      recurse: t.bool({ optional: true }),
      force: t.bool({ optional: true }),
      attributes: t.array(t.enum(["ReadOnly", "Hidden", "System", "Archive"]), { optional: true }),
      matchSource: t.bool({ optional: true }),
    },
  ),
  /** Registry (MSFT_RegistryResource): a registry key value. */
  Registry: builtin(
    "Registry",
    "A registry value has the desired data",
    { className: "MSFT_RegistryResource" },
    {
      key: t.string({ key: true, description: "The key path, e.g. HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso." }),
      valueName: t.string({ key: true }),
      valueData: t.array(t.string(), { optional: true }),
      valueType: t.enum(["String", "Binary", "Dword", "Qword", "MultiString", "ExpandString"], { optional: true }),
      ensure,
      hex: t.bool({ optional: true }),
      force: t.bool({ optional: true }),
    },
  ),
  /** WindowsFeature (MSFT_RoleResource): a Windows Server role or feature. */
  WindowsFeature: builtin(
    "WindowsFeature",
    "A Windows role or feature is installed (or not)",
    { className: "MSFT_RoleResource", propertyOrder: ["ResourceID", "Ensure", "SourceInfo", "Name", "ModuleName"] },
    {
      name: t.string({ key: true }),
      ensure,
      source: t.string({ optional: true }),
      includeAllSubFeature: t.bool({ optional: true }),
      logPath: t.string({ optional: true }),
    },
  ),
  /** Service (MSFT_ServiceResource): a Windows service's state and start mode. */
  Service: builtin(
    "Service",
    "A Windows service has the desired state and start mode",
    { className: "MSFT_ServiceResource" },
    {
      name: t.string({ key: true }),
      state: t.enum(["Running", "Stopped"], { optional: true }),
      startupType: t.enum(["Automatic", "Manual", "Disabled"], { optional: true }),
      builtInAccount: t.enum(["LocalSystem", "LocalService", "NetworkService"], { optional: true }),
      displayName: t.string({ optional: true }),
      description: t.string({ optional: true }),
      path: t.string({ optional: true }),
      dependencies: t.array(t.string(), { optional: true }),
      ensure,
    },
  ),
  /** Environment (MSFT_EnvironmentResource): a machine environment variable. */
  Environment: builtin(
    "Environment",
    "A machine environment variable has the desired value",
    { className: "MSFT_EnvironmentResource" },
    {
      name: t.string({ key: true }),
      value: t.string({ optional: true }),
      ensure,
      path: t.bool({ optional: true, description: "The variable is a path list (PATH-like): the value is added to it." }),
    },
  ),
  /** Package (MSFT_PackageResource): an MSI or setup.exe package. */
  Package: builtin(
    "Package",
    "A package is installed (or not)",
    { className: "MSFT_PackageResource" },
    {
      name: t.string({ key: true }),
      productId: t.string({ key: true }),
      path: t.string(),
      ensure,
      arguments: t.string({ optional: true }),
      returnCode: t.array(t.int({ min: 0 }), { optional: true }),
      logPath: t.string({ optional: true }),
    },
  ),
  /** Group (MSFT_GroupResource): a local group and its members. */
  Group: builtin(
    "Group",
    "A local group exists with the desired members",
    { className: "MSFT_GroupResource" },
    {
      groupName: t.string({ key: true }),
      ensure,
      description: t.string({ optional: true }),
      members: t.array(t.string(), { optional: true }),
      membersToInclude: t.array(t.string(), { optional: true }),
      membersToExclude: t.array(t.string(), { optional: true }),
    },
  ),
  /** User (MSFT_UserResource): a local user account (its Password, an MSFT_Credential, is not offered here). */
  User: builtin(
    "User",
    "A local user account exists with the desired settings",
    { className: "MSFT_UserResource" },
    {
      userName: t.string({ key: true }),
      ensure,
      fullName: t.string({ optional: true }),
      description: t.string({ optional: true }),
      disabled: t.bool({ optional: true }),
      passwordNeverExpires: t.bool({ optional: true }),
      passwordChangeRequired: t.bool({ optional: true }),
      passwordChangeNotAllowed: t.bool({ optional: true }),
    },
  ),
  /** WindowsProcess (MSFT_ProcessResource): a process runs (or not). */
  WindowsProcess: builtin(
    "WindowsProcess",
    "A process is running (or not)",
    { className: "MSFT_ProcessResource" },
    {
      path: t.string({ key: true }),
      arguments: t.string({ key: true }),
      ensure,
      standardOutputPath: t.string({ optional: true }),
      standardErrorPath: t.string({ optional: true }),
      standardInputPath: t.string({ optional: true }),
      workingDirectory: t.string({ optional: true }),
    },
  ),
};
