// cloudformation/systems-manager.yaml: one AWS::SSM::Document and one AWS::SSM::Association per
// configuration delivered through Run Command, an AWS-ApplyDSCMofs association per configuration
// delivered as MOFs, the fleet-wide associations, and optional failure alerts. Stack-specific values
// are parameters used through !Ref/!Sub nodes; plain strings are never substitutions.
import type { Scalar } from "yaml";
import { KMS_KEY_ARN_PATTERN } from "../../../../stdlib/api/define.js";
import type * as ir from "../../3-lower/ir.js";
import { GENERATED, type EmittedFile } from "../files.js";
import { ssmDocument } from "../ssm/index.js";
import { toYaml } from "../yaml.js";
import { logicalId, stackAssociation } from "../../2-check/stack.js";
import { counted } from "../../../util/text.js";
import { sha256 } from "../../../util/hash.js";
import { emitDscDocuments } from "../mof/index.js";
import { cfnString, dropUnusedParameters, getAtt, quoted, ref, sub } from "./intrinsics.js";
import { AGENT_CONFIG_ID, AGENT_DOCUMENT, AGENT_LOCATION_PARAMETER, LOG_KMS_KEY_CONDITION, logKmsKeyParameter, observabilityResources } from "./observability.js";



/** Logical ids: letters and digits only. */

function targets(t: ir.Targets): unknown[] {
  return [{ Key: `tag:${t.tag}`, Values: t.values.map(cfnString) }];
}

function settings(s: ir.AssociationSettings, schedule: string): Record<string, unknown> {
  return {
    ScheduleExpression: schedule,
    ...(s.scheduleOffset !== undefined ? { ScheduleOffset: s.scheduleOffset } : {}),
    ...(s.applyOnlyAtCronInterval ? { ApplyOnlyAtCronInterval: true } : {}),
    MaxConcurrency: s.maxConcurrency,
    MaxErrors: s.maxErrors,
    ComplianceSeverity: s.complianceSeverity,
    SyncCompliance: s.syncCompliance,
  };
}

/**
 * S3 general purpose bucket names: 3-63 lower-case letters, digits, dots and hyphens, starting and
 * ending with a letter or digit, no "..", not an IP address, none of the reserved prefixes/suffixes.
 */
export const BUCKET_PATTERN = "^(?!xn--|sthree-|amzn-s3-demo-)(?!.*\\.\\.)(?!.*-s3alias$)(?!.*--ol-s3$)(?!.*--x-s3$)(?!\\d{1,3}(\\.\\d{1,3}){3}$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
export const OPTIONAL_BUCKET_PATTERN = `^$|${BUCKET_PATTERN}`;
export const BUCKET_CONSTRAINT = "an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";
/**
 * Key prefixes: empty, or folders of S3's safe key characters (letters, digits, ! - _ . * ' ( )),
 * each ending in "/"; no "..", no ":" (AWS-ApplyDSCMofs splits s3:bucket:key at colons).
 */
export const KEY_PREFIX_PATTERN = "^(?:(?!\\.{1,2}/)[0-9A-Za-z!_.*'()-]+/){0,32}$";
export const KEY_PREFIX_CONSTRAINT = "empty, or folder names of letters, digits and ! - _ . * ' ( ), each ending in /";
/** Email addresses as SNS's email protocol takes them (one address, no display name). */
export const EMAIL_PATTERN = "^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,63}$";

const OUTPUT_LOCATION_CONDITION = "HasOutputBucket";

function outputLocation(prefix: string): unknown {
  return {
    "Fn::If": [
      OUTPUT_LOCATION_CONDITION,
      { S3Location: { OutputS3BucketName: ref("OutputBucketName"), OutputS3KeyPrefix: sub(`\${OutputKeyPrefix}${prefix}`) } },
      ref("AWS::NoValue"),
    ],
  };
}

/** Where a configuration's MOF is in the build output. */
export function mofPath(c: ir.Configuration): string {
  return `dsc/${c.name}/localhost.mof`;
}

/** How many hex digits of the MOF's sha256 name its folder in S3 (the buildspec cuts as many). */
export const MOF_HASH_DIGITS = 16;

/**
 * The S3 key AWS-ApplyDSCMofs reads a configuration's MOF from: dsc/<Config>/<sha256 of the MOF,
 * 16 hex digits>/localhost.mof under MofKeyPrefix. The buildspec uploads each dist/dsc/<Config>/
 * there (its own sha256sum of the same bytes) and deletes nothing, so an upload before the
 * approval changes no instance: the association reads the new MOF only once the Systems Manager
 * stack's change set, which shows the new key, is executed, after the approval and after
 * CodeDeploy has installed the modules it needs.
 */
export function mofKey(c: ir.Configuration, program: ir.Program): string {
  // (asked for by the template and by its reuse key: the MOF is made once per build, whose program is a new object)
  let keys = mofKeys.get(program);
  if (!keys) mofKeys.set(program, (keys = new Map()));
  let key = keys.get(c);
  if (key === undefined) {
    const mof = emitDscDocuments(c, program).find((f) => f.path === mofPath(c))!;
    keys.set(c, (key = `dsc/${c.name}/${sha256(mof.content).slice(0, MOF_HASH_DIGITS)}/localhost.mof`));
  }
  return key;
}

const mofKeys = new WeakMap<ir.Program, Map<ir.Configuration, string>>();

/** The S3 keys of a configuration's MOFs, whatever their sha256 (the instance role's grant, which must hold before and after the association changes key). */
export function mofKeyPattern(c: ir.Configuration): string {
  return `dsc/${c.name}/*`;
}

export function systemsManagerTemplate(program: ir.Program): Record<string, unknown> {
  const p = program.stack;
  const resources: Record<string, unknown> = {};
  const associationIds: string[] = [];

  for (const c of program.configurations) {
    const name = `${p.prefix}-${c.name}`;
    if (c.delivery.runCommand) {
      const doc = logicalId("Config", c.name, "Document");
      resources[doc] = {
        Type: "AWS::SSM::Document",
        Properties: {
          Name: name,
          DocumentType: "Command",
          DocumentFormat: "YAML",
          // A fixed name needs NewVersion, or any content change fails the stack update.
          UpdateMethod: "NewVersion",
          Content: ssmDocument(c),
        },
      };
      const association = stackAssociation.runCommand(c.name);
      associationIds.push(association.id);
      resources[association.id] = {
        Type: "AWS::SSM::Association",
        Properties: {
          AssociationName: `${p.prefix}-${association.name}`,
          Name: ref(doc),
          Parameters: { Mode: ["apply"] },
          Targets: targets(c.targets),
          ...settings(c.association, c.schedule),
          OutputLocation: outputLocation(`${association.name}/`),
        },
      };
    }
    if (c.delivery.dsc) {
      const association = stackAssociation.dsc(c.name);
      associationIds.push(association.id);
      resources[association.id] = {
        Type: "AWS::SSM::Association",
        Properties: {
          AssociationName: `${p.prefix}-${association.name}`,
          Name: "AWS-ApplyDSCMofs",
          Parameters: {
            MofsToApply: [sub(`s3:\${MofBucketName}:\${MofKeyPrefix}${mofKey(c, program)}`)],
            ServicePath: ["default"],
            MofOperationMode: [c.delivery.dsc.mode],
            ComplianceType: [c.delivery.dsc.complianceType],
            // Modules arrive through CodeDeploy (appspec.yml), not from S3 or the Gallery.
            ModuleSourceBucketName: ["NONE"],
            AllowPSGalleryModuleSource: ["False"],
            RebootBehavior: [c.delivery.dsc.rebootBehavior],
            UseComputerNameForReporting: ["False"],
            EnableVerboseLogging: ["False"],
            EnableDebugLogging: ["False"],
          },
          Targets: targets(c.targets),
          ...settings(c.association, c.schedule),
          OutputLocation: outputLocation(`${association.name}/`),
        },
      };
    }
  }

  const observed = program.configurations.length > 0;
  for (const a of p.associations) {
    const association = stackAssociation.fleet(a.name);
    const id = association.id;
    associationIds.push(id);
    const params: [string, unknown[]][] = a.parameters.map((x) => [x.name, x.values.map(cfnString)]);
    // The CloudWatch agent reads the configuration this stack generates unless the author names one.
    if (a.document === AGENT_DOCUMENT && observed && !params.some(([n]) => n === AGENT_LOCATION_PARAMETER)) params.push([AGENT_LOCATION_PARAMETER, [ref(AGENT_CONFIG_ID)]]);
    resources[id] = {
      Type: "AWS::SSM::Association",
      Properties: {
        AssociationName: `${p.prefix}-${association.name}`,
        Name: a.document,
        ...(params.length > 0 ? { Parameters: Object.fromEntries(params) } : {}),
        Targets: targets(a.targets),
        ...settings(a.settings, a.schedule),
        OutputLocation: outputLocation(`${association.name}/`),
      },
    };
  }

  if (p.alerts) {
    // Encrypted with a key of the stack's own: EventBridge publishes to an encrypted topic only when
    // the key policy lets events.amazonaws.com use the key, which the AWS managed key alias/aws/sns
    // cannot (its policy is AWS's and allows only SNS's direct callers in the account). The key is
    // usable by EventBridge for this account only; the account administers it through IAM.
    resources.AssociationFailureTopicKey = {
      Type: "AWS::KMS::Key",
      Properties: {
        Description: `Encrypts the ${p.prefix} association failure topic`,
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: quoted("2012-10-17"),
          Statement: [
            { Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") }, Action: "kms:*", Resource: "*" },
            {
              Sid: "EventBridgePublishesToTheTopic",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
            },
            ...(observed
              ? [
                  {
                    Sid: "CloudWatchAlarmsPublishToTheTopic",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
                  },
                ]
              : []),
          ],
        },
      },
    };
    resources.AssociationFailureTopic = { Type: "AWS::SNS::Topic", Properties: { DisplayName: `${p.prefix} association failures`, KmsMasterKeyId: ref("AssociationFailureTopicKey") } };
    resources.AssociationFailureTopicPolicy = {
      Type: "AWS::SNS::TopicPolicy",
      Properties: {
        Topics: [ref("AssociationFailureTopic")],
        PolicyDocument: {
          Version: quoted("2012-10-17"),
          Statement: [
            {
              Sid: "TheFailureRulePublishes",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sns:Publish",
              Resource: ref("AssociationFailureTopic"),
              // Only this stack's rule, in this account, may publish (no confused deputy).
              Condition: { ArnEquals: { "aws:SourceArn": getAtt("AssociationFailureRule.Arn") }, StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
            },
            ...(observed
              ? [
                  {
                    Sid: "TheStacksAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: ref("AssociationFailureTopic"),
                    // Only this stack's alarms (named <prefix>-...), in this account.
                    Condition: { ArnLike: { "aws:SourceArn": sub(`arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${p.prefix}-*`) }, StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
                  },
                ]
              : []),
          ],
        },
      },
    };
    if (p.alerts.email) {
      resources.AssociationFailureSubscription = { Type: "AWS::SNS::Subscription", Properties: { TopicArn: ref("AssociationFailureTopic"), Protocol: "email", Endpoint: cfnString(p.alerts.email) } };
    }
    resources.AssociationFailureRule = {
      Type: "AWS::Events::Rule",
      Properties: {
        Description: `An association of the ${p.prefix} stack failed on an instance`,
        EventPattern: {
          source: ["aws.ssm"],
          "detail-type": ["EC2 State Manager Instance Association State Change"],
          detail: { status: ["Failed"], "association-id": associationIds.map((id) => getAtt(`${id}.AssociationId`)) },
        },
        Targets: [
          {
            Arn: ref("AssociationFailureTopic"),
            Id: "AssociationFailureTopic",
            InputTransformer: {
              InputPathsMap: { association: "$.detail.association-id", instance: "$.detail.instance-id", document: "$.detail.document-name", status: "$.detail.status" },
              InputTemplate: '"Association <association> (<document>) is <status> on instance <instance>."',
            },
          },
        ],
      },
    };
  }

  Object.assign(resources, observabilityResources(program, { ref, sub, cfn: cfnString, ...(p.alerts ? { alertTopic: "AssociationFailureTopic" } : {}) }));

  const parameters: Record<string, unknown> = stackParameters(p.parameters);
  const kmsKeyParameter = logKmsKeyParameter(program);
  if (kmsKeyParameter && parameters[kmsKeyParameter]) {
    // What the log group's KmsKeyId takes, checked when the change set is made: a key ARN, or "" for none.
    parameters[kmsKeyParameter] = { ...(parameters[kmsKeyParameter] as object), AllowedPattern: `^$|${KMS_KEY_ARN_PATTERN}`, ConstraintDescription: "empty (no key), or a KMS key ARN: arn:aws:kms:<region>:<account>:key/<key id>" };
  }
  parameters.OutputBucketName = {
    Type: "String",
    Default: "",
    Description: "S3 bucket for the full output of every association run (empty: no S3 output)",
    AllowedPattern: OPTIONAL_BUCKET_PATTERN,
    ConstraintDescription: BUCKET_CONSTRAINT,
  };
  parameters.OutputKeyPrefix = { Type: "String", Default: `${p.prefix}/`, Description: "Key prefix of the association output", AllowedPattern: KEY_PREFIX_PATTERN, ConstraintDescription: KEY_PREFIX_CONSTRAINT };
  // (declared here, dropped below when nothing refers to them: the MOFs' when no configuration is
  // delivered as MOFs and no value names them, the alert email's without stack.alerts' parameter)
  parameters.MofBucketName = { Type: "String", Description: "S3 bucket the build uploads dist/dsc to, read by AWS-ApplyDSCMofs", AllowedPattern: BUCKET_PATTERN, ConstraintDescription: BUCKET_CONSTRAINT };
  parameters.MofKeyPrefix = {
    Type: "String",
    Default: "",
    Description: "Key prefix under which the build uploads dist/dsc (end it with /)",
    AllowedPattern: KEY_PREFIX_PATTERN,
    ConstraintDescription: KEY_PREFIX_CONSTRAINT,
  };
  parameters.AlertEmail = { Type: "String", Description: "Who is emailed when an association fails", AllowedPattern: EMAIL_PATTERN, ConstraintDescription: "an email address such as ops@example.com" };

  const conditions = {
    [OUTPUT_LOCATION_CONDITION]: { "Fn::Not": [{ "Fn::Equals": [ref("OutputBucketName"), ""] }] },
    ...(kmsKeyParameter ? { [LOG_KMS_KEY_CONDITION]: { "Fn::Not": [{ "Fn::Equals": [ref(kmsKeyParameter), ""] }] } } : {}),
  };
  // (of the stack's own parameters, the ones this template uses; MofKeyPrefix only with MofBucketName's MOFs)
  dropUnusedParameters(parameters, [conditions, resources]);
  return {
    AWSTemplateFormatVersion: quoted("2010-09-09"),
    Description: `fleetform: Systems Manager documents and associations (${counted(program.configurations.length, "configuration")})`,
    Parameters: parameters,
    Conditions: conditions,
    Resources: resources,
    Outputs: Object.fromEntries(
      Object.keys(resources)
        .filter((id) => id.endsWith("Document"))
        .map((id) => [`${id}Name`, { Description: `Name of ${id}`, Value: ref(id) }]),
    ),
  };
}

export const SYSTEMS_MANAGER_TEMPLATE = "cloudformation/systems-manager.yaml";

/** A stack template built from the config and the configurations (systems-manager.yaml, dependencies.yaml) as a file. */
export function stackTemplateFile(path: string, template: object): EmittedFile {
  // CloudFormation reads templates as YAML 1.1: ../yaml.ts writes every string so that a 1.1 reader
  // reads the same string as fleetform's 1.2 reader (separators and controls escaped, yes/no/dates quoted).
  return { path, content: `# Generated by fleetform from fleetform.config.ts and the configurations. ${GENERATED}\n${toYaml(template)}`, source: "fleetform.config.ts" };
}

export function emitCloudFormation(program: ir.Program): EmittedFile {
  return stackTemplateFile(SYSTEMS_MANAGER_TEMPLATE, systemsManagerTemplate(program));
}

/** The declarations of the author's stack parameters (`stack.parameters`), as every stack declares them. */
export function stackParameters(declared: ir.Program["stack"]["parameters"]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const x of declared) {
    parameters[x.name] = {
      Type: "String",
      ...(x.description !== undefined ? { Description: x.description } : {}),
      ...(x.allowedValues ? { AllowedValues: [...x.allowedValues] } : {}),
      ...(x.default !== undefined ? { Default: x.default } : {}),
    };
  }
  return parameters;
}
