// The authoring API: everything a config repo imports from "fleetform".
export { KIND } from "./api/brand.js";
export type { Site } from "./api/brand.js";
export { t } from "./api/types.js";
export type { ArrayType, BoolType, EnumType, Handles, Infer, IntType, MapType, PropType, Props, PropValue, PropValues, ScriptType, SecretType, CredentialType, StringType } from "./api/types.js";
export { ps, ec2Tag, instanceId, ssmParameter, env, secret } from "./api/values.js";
export type { Call, CredentialRef, Fragment, Handle, PsValue, RawText, RuntimeValue, SecretRef } from "./api/values.js";
export { awsAssociation, configuration, defineConfig, defineModule, extern, fn, resource } from "./api/define.js";
export { stackParameter, sub } from "./api/stack.js";
export type { StackParameter, StackSub, StackValue } from "./api/stack.js";
export { cloudWatchAgent, cloudWatchAgentConfig, codeDeployAgent, patchBaselineScan, softwareInventory, updateSsmAgent } from "./associations.js";
export { dsc } from "./dsc/index.js";
export type {
  Arg,
  AssociationOptions,
  AwsAssociation,
  AwsAssociationOptions,
  BuiltinDscClass,
  Command,
  Config,
  ConfigOptions,
  LayerName,
  Register,
  ConfigurationDef,
  ConfigurationOptions,
  Delivery,
  DscDelivery,
  DscOptions,
  ExternDef,
  ExternOptions,
  FnDef,
  FnOptions,
  InstallOptions,
  InstanceOptions,
  ScriptInstanceOptions,
  LcmSettings,
  LogOptions,
  LogRetentionDays,
  ModuleDef,
  ModuleOptions,
  Reboot,
  ResourceDef,
  ResourceInstance,
  ResourceOptions,
  ResourceType,
  Schedule,
  StackOptions,
  StackParameterOptions,
  TagTargets,
} from "./api/define.js";
