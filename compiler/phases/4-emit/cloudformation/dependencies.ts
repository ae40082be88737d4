// cloudformation/dependencies.yaml: what the fleet needs in the account besides the Systems Manager
// stack, derived from the program: the instance role and instance profile (AmazonSSMManagedInstanceCore
// plus an inline policy granting exactly what the configurations read), the CodeDeploy application,
// its service role and a deployment group over the configurations' targets.
//
// The fleet-wide associations stay in systems-manager.yaml: that stack changes with every
// configuration change and needs no IAM capability; this one changes when what the code reads
// changes, and only this one needs CAPABILITY_IAM (README, "Delivery").
//
// The inline policy is a list of statements, each made by one grant function from the program
// (GRANTS below); `plan` compares the same statements to mark widened permissions.
import { AGENT_DOCUMENT, agentConfigParameterName, fleetLogGroupNames, reportsCompliance } from "./observability.js";
import type { Scalar } from "yaml";
import type * as ir from "../../3-lower/ir.js";
import { forEachIn } from "../../3-lower/walk.js";
import { runtimeComplianceType } from "../../2-check/references.js";
import { ASSOCIATION_PARAMETER_READS } from "../../2-check/stack.js";
import type { EmittedFile } from "../files.js";
import { BUCKET_CONSTRAINT, BUCKET_PATTERN, KEY_PREFIX_CONSTRAINT, KEY_PREFIX_PATTERN, mofKeyPattern, OPTIONAL_BUCKET_PATTERN, stackParameters, stackTemplateFile } from "./index.js";
import { cfnString, dropUnusedParameters, getAtt, quoted, ref, sub as subScalar } from "./intrinsics.js";

export const DEPENDENCIES_TEMPLATE = "cloudformation/dependencies.yaml";

// ---------------------------------------------------------------------------------------------
// What the program reads on the instance

export interface ParameterRef {
  readonly name: ir.CfnString;
  readonly secure: boolean;
}

/** Everything on AWS that the configurations read on the instance, sorted and without repeats. */
export interface InstanceReads {
  /** SSM parameters: ssmParameter(...) values, {ssm:...} MOF tokens, and the fleet associations' configuration parameters. */
  readonly parameters: readonly ParameterRef[];
  /** Secrets Manager secret ids or ARNs (secret(...)). */
  readonly secrets: readonly string[];
  /** EC2 tags read through the EC2 API: {tag:...} tokens in DSC documents (AWS-ApplyDSCMofs). Run Command reads tags from instance metadata. */
  readonly apiTags: readonly string[];
  /** The S3 keys (under MofKeyPrefix) of the DSC documents AWS-ApplyDSCMofs downloads. */
  readonly mofKeys: readonly string[];
  /** The compliance types reported from the instance (AWS-ApplyDSCMofs's ComplianceType). */
  readonly complianceTypes: readonly string[];
  /** CloudWatch Logs log groups the fleet writes to (none yet: the program declares no log groups). */
  readonly logGroups: readonly ir.CfnString[];
}

function walkExpr(e: ir.Expr | ir.Part, visit: (r: ir.RuntimeExpr) => void): void {
  forEachIn(e, (part) => {
    if (part.kind === "runtime") visit(part);
  });
}

function walkFragment(f: ir.Fragment, visit: (r: ir.RuntimeExpr) => void): void {
  for (const part of f.parts) walkExpr(part, visit);
}

const cfnKey = (v: ir.CfnString): string => JSON.stringify(v);


/**
 * The values a module's code reads on the instance (function bodies, resource get/test/set/safe,
 * defaults), in the order they are written. (A watch session keeps them with the module's IR.)
 */
export function moduleReads(m: ir.Module): ir.RuntimeExpr[] {
  const found: ir.RuntimeExpr[] = [];
  const visit = (r: ir.RuntimeExpr): void => void found.push(r);
  for (const f of m.functions) walkFragment(f.body, visit);
  for (const r of m.resources) {
    for (const f of [r.get, r.test, r.set, r.safe]) if (f) walkFragment(f, visit);
    for (const p of r.properties) if (p.default) walkExpr(p.default, visit);
  }
  for (const f of m.functions) for (const p of f.params) if (p.default) walkExpr(p.default, visit);
  return found;
}

/** `readsOf`: moduleReads, or what it returned for the module before. */
export function instanceReads(program: ir.Program, readsOf: (m: ir.Module) => readonly ir.RuntimeExpr[] = moduleReads): InstanceReads {
  const parameters = new Map<string, ParameterRef>();
  const secrets = new Set<string>();
  const apiTags = new Set<string>();
  const addParameter = (name: ir.CfnString, secure: boolean): void => {
    const key = cfnKey(name);
    const known = parameters.get(key);
    parameters.set(key, { name, secure: secure || (known?.secure ?? false) });
  };
  const onRuntime =
    (viaApi: boolean) =>
    (r: ir.RuntimeExpr): void => {
      if (r.source === "ssmParameter") addParameter({ kind: "literal", value: r.name }, r.secure);
      else if (r.source === "secretsManager" || r.source === "credential") secrets.add(r.name);
      else if (r.source === "ec2Tag" && viaApi) apiTags.add(r.name);
    };
  // Module code (function bodies, resource get/test/set/safe, defaults) runs on every instance
  // whose configuration uses the module: the role is shared by the fleet, so every module counts.
  for (const m of program.modules) readsOf(m).forEach(onRuntime(false));
  const mofKeys: string[] = [];
  const complianceTypes: string[] = [];
  for (const c of program.configurations) {
    for (const r of c.resources) for (const p of r.properties) walkExpr(p.value, onRuntime(false));
    if (c.delivery.dsc) {
      // AWS-ApplyDSCMofs resolves the document's tokens itself: {ssm:} through Parameter Store, {tag:} through the EC2 API.
      for (const r of c.resources) for (const p of r.properties) walkExpr(p.value, onRuntime(true));
      mofKeys.push(mofKeyPattern(c));
      complianceTypes.push(c.delivery.dsc.complianceType);
    }
  }
  for (const a of program.stack.associations) {
    const reads = ASSOCIATION_PARAMETER_READS[a.document];
    if (!reads) continue;
    const when = reads.when ? a.parameters.find((p) => p.name === reads.when![0]) : undefined;
    if (reads.when && !(when?.values.length === 1 && when.values[0]!.kind === "literal" && when.values[0]!.value === reads.when[1])) continue;
    const named = a.parameters.find((p) => p.name === reads.parameter)?.values ?? [];
    for (const v of named) addParameter(v, false);
    // Without a named location the agent reads the configuration the systems-manager stack generates.
    if (a.document === AGENT_DOCUMENT && named.length === 0 && program.configurations.length > 0) addParameter({ kind: "literal", value: agentConfigParameterName(program) }, false);
  }
  // Every run of a Run Command configuration reports its resources (Fleetform.Runtime, Complete-FfRun).
  if (reportsCompliance(program)) for (const c of program.configurations) if (c.delivery.runCommand) complianceTypes.push(runtimeComplianceType(c.name));
  const byKey = <T>(m: Map<string, T>): T[] => [...m.entries()].sort(([a], [b]) => compare(a, b)).map(([, v]) => v);
  return {
    parameters: byKey(parameters),
    secrets: [...secrets].sort(compare),
    apiTags: [...apiTags].sort(compare),
    mofKeys: [...new Set(mofKeys)].sort(compare),
    complianceTypes: [...new Set(complianceTypes)].sort(compare),
    logGroups: logGroups(program),
  };
}

/** The fleet's CloudWatch Logs log groups: the runtime's, which the CloudWatch agent writes to (./observability.ts). */
export function logGroups(program: ir.Program): ir.CfnString[] {
  return fleetLogGroupNames(program).map((value) => ({ kind: "literal", value }));
}

// ---------------------------------------------------------------------------------------------
// The instance role's inline policy

/** A policy statement as data: `resources` are CloudFormation strings (ARN templates for !Sub). */
export interface Statement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly ir.CfnString[];
  /** IAM condition block; values are CloudFormation strings. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, ir.CfnString>>>>;
  /** A template condition: the statement exists only when it holds. */
  readonly when?: string;
  /** Why the statement's resource is "*" (the actions have no resource-level permissions). */
  readonly anyResource?: string;
}

/** Stack parameters and conditions the grants use. */
export const PARAMETER_KEY = "ParameterKeyArn";
export const SECRET_KEY = "SecretKeyArn";
const HAS_PARAMETER_KEY = "HasParameterKey";
const HAS_SECRET_KEY = "HasSecretKey";
const HAS_OUTPUT_BUCKET = "HasOutputBucket";

const sub = (template: string): ir.CfnString => ({ kind: "sub", template });
/** Literal text inside a !Sub template: `${` becomes Fn::Sub's escape `${!`. */
const subLiteral = (text: string): string => text.replace(/\$\{/g, "${!");

/** The text of a CloudFormation string inside a !Sub template. */
function inSub(v: ir.CfnString): string {
  return v.kind === "literal" ? subLiteral(v.value) : v.kind === "ref" ? `\${${v.name}}` : v.template;
}

/** arn:...:parameter/<name> (a leading "/" of the name is the one after "parameter"); an ARN stays as it is. */
export function parameterArn(name: ir.CfnString): ir.CfnString {
  if (name.kind === "literal" && name.value.startsWith("arn:")) return name;
  const text = inSub(name);
  return sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${text.startsWith("/") ? text.slice(1) : text}`);
}

/** A secret's ARN with the six random characters Secrets Manager appends (`-??????`); an ARN stays as it is. */
export function secretArn(id: string): ir.CfnString {
  if (id.startsWith("arn:")) return { kind: "literal", value: id };
  return sub(`arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${subLiteral(id)}-??????`);
}

type Grant = (reads: InstanceReads, program: ir.Program) => Statement[];

/** Each grant turns what the program reads into statements; add one for a new kind of read. */
export const GRANTS: readonly Grant[] = [
  (reads) =>
    reads.parameters.length === 0 ? [] : [{ sid: "ReadParameters", actions: ["ssm:GetParameter", "ssm:GetParameters"], resources: reads.parameters.map((p) => parameterArn(p.name)) }],
  (reads) =>
    reads.parameters.some((p) => p.secure)
      ? [
          {
            sid: "DecryptSecureParameters",
            actions: ["kms:Decrypt"],
            resources: [{ kind: "ref", name: PARAMETER_KEY }],
            condition: { StringEquals: { "kms:ViaService": sub("ssm.${AWS::Region}.amazonaws.com") } },
            when: HAS_PARAMETER_KEY,
          },
        ]
      : [],
  (reads) => (reads.secrets.length === 0 ? [] : [{ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: reads.secrets.map(secretArn) }]),
  (reads) =>
    reads.secrets.length === 0
      ? []
      : [
          {
            sid: "DecryptSecrets",
            actions: ["kms:Decrypt"],
            resources: [{ kind: "ref", name: SECRET_KEY }],
            condition: { StringEquals: { "kms:ViaService": sub("secretsmanager.${AWS::Region}.amazonaws.com") } },
            when: HAS_SECRET_KEY,
          },
        ],
  (reads) =>
    reads.mofKeys.length === 0
      ? []
      : [{ sid: "ReadDscDocuments", actions: ["s3:GetObject"], resources: reads.mofKeys.map((k) => sub(`arn:\${AWS::Partition}:s3:::\${MofBucketName}/\${MofKeyPrefix}${subLiteral(k)}`)) }],
  () => [{ sid: "ReadDeploymentRevisions", actions: ["s3:GetObject"], resources: [sub("arn:${AWS::Partition}:s3:::${RevisionBucketName}/${RevisionKeyPrefix}*")] }],
  (_reads, program) =>
    program.configurations.some((c) => c.delivery.runCommand) || program.configurations.some((c) => c.delivery.dsc) || program.stack.associations.length > 0
      ? [{ sid: "WriteAssociationOutput", actions: ["s3:PutObject"], resources: [sub("arn:${AWS::Partition}:s3:::${OutputBucketName}/${OutputKeyPrefix}*")], when: HAS_OUTPUT_BUCKET }]
      : [],
  (reads) =>
    reads.complianceTypes.length === 0
      ? []
      : [{ sid: "ReportCompliance", actions: ["ssm:PutComplianceItems"], resources: [sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*")] }],
  (reads) =>
    reads.apiTags.length === 0
      ? []
      : // (AWS's guide to AWS-ApplyDSCMofs, Troubleshooting: tags in a MOF need ec2:DescribeInstances;
        // DescribeTags as well, for the lookups that use it; neither has resource-level permissions)
        [{ sid: "ReadInstanceTags", actions: ["ec2:DescribeInstances", "ec2:DescribeTags"], resources: [{ kind: "literal", value: "*" }], anyResource: "ec2:DescribeInstances and ec2:DescribeTags have no resource-level permissions" }],
  (reads) =>
    reads.logGroups.length === 0
      ? []
      : [
          {
            sid: "WriteLogs",
            actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            resources: reads.logGroups.map((g) => sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${inSub(g)}:*`)),
          },
        ],
];

/** The instance role's inline policy statements, in GRANTS order. */
export function instancePolicy(program: ir.Program, readsOf?: (m: ir.Module) => readonly ir.RuntimeExpr[]): Statement[] {
  const reads = instanceReads(program, readsOf);
  return GRANTS.flatMap((g) => g(reads, program));
}

/** The EC2 tag filters of the deployment group: every configuration's targets, without repeats. */
export function deploymentTargets(program: ir.Program): { readonly tag: string; readonly value: ir.CfnString }[] {
  const seen = new Map<string, { tag: string; value: ir.CfnString }>();
  for (const c of program.configurations) for (const v of c.targets.values) seen.set(JSON.stringify([c.targets.tag, v]), { tag: c.targets.tag, value: v });
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, v]) => v);
}

// ---------------------------------------------------------------------------------------------
// The template

const cfn = cfnString;

function statementNode(s: Statement): Record<string, unknown> {
  const node: Record<string, unknown> = {
    Sid: s.sid,
    Effect: "Allow",
    Action: [...s.actions],
    Resource: s.resources.map(cfn),
  };
  if (s.condition) node.Condition = Object.fromEntries(Object.entries(s.condition).map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, cfn(v)]))]));
  return s.when ? { "Fn::If": [s.when, node, ref("AWS::NoValue")] } : node;
}

const trust = (service: string): Record<string, unknown> => ({
  Version: quoted("2012-10-17"),
  Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

const BUCKET_DESCRIPTION = "S3 bucket name";
/** Empty, or one key's ARN (no wildcard, no alias: the grant is for exactly that key). */
export const KEY_ARN_PATTERN = "^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$";
const KEY_ARN_CONSTRAINT = "empty, or a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export function dependenciesTemplate(program: ir.Program, readsOf?: (m: ir.Module) => readonly ir.RuntimeExpr[]): Record<string, unknown> {
  const p = program.stack;
  const statements = instancePolicy(program, readsOf);
  const conditionsUsed = new Set(statements.map((s) => s.when).filter((w): w is string => w !== undefined));

  // Every parameter this template may use, in the order it declares them; the ones nothing refers to
  // are dropped below (dropUnusedParameters): the MOF bucket's, the output bucket's, the keys'.
  const parameters: Record<string, unknown> = stackParameters(p.parameters);
  parameters.RevisionBucketName = { Type: "String", Description: `${BUCKET_DESCRIPTION}: where CodeDeploy revisions (the zipped dist/) are uploaded`, AllowedPattern: BUCKET_PATTERN, ConstraintDescription: BUCKET_CONSTRAINT };
  parameters.RevisionKeyPrefix = { Type: "String", Default: "", Description: "Key prefix of the revisions in that bucket (end it with /)", AllowedPattern: KEY_PREFIX_PATTERN, ConstraintDescription: KEY_PREFIX_CONSTRAINT };
  parameters.MofBucketName = { Type: "String", Description: `${BUCKET_DESCRIPTION}: where the build uploads dist/dsc (as in the Systems Manager stack)`, AllowedPattern: BUCKET_PATTERN, ConstraintDescription: BUCKET_CONSTRAINT };
  parameters.MofKeyPrefix = { Type: "String", Default: "", Description: "Key prefix under which the build uploads dist/dsc (as in the Systems Manager stack)", AllowedPattern: KEY_PREFIX_PATTERN, ConstraintDescription: KEY_PREFIX_CONSTRAINT };
  parameters.OutputBucketName = { Type: "String", Default: "", Description: "The Systems Manager stack's OutputBucketName (empty: no S3 output)", AllowedPattern: OPTIONAL_BUCKET_PATTERN, ConstraintDescription: BUCKET_CONSTRAINT };
  parameters.OutputKeyPrefix = { Type: "String", Default: `${p.prefix}/`, Description: "The Systems Manager stack's OutputKeyPrefix", AllowedPattern: KEY_PREFIX_PATTERN, ConstraintDescription: KEY_PREFIX_CONSTRAINT };
  parameters[PARAMETER_KEY] = {
      Type: "String",
      Default: "",
      Description: "ARN of the KMS key of the SecureString parameters (empty: the AWS managed key aws/ssm, which needs no grant)",
      AllowedPattern: KEY_ARN_PATTERN,
      ConstraintDescription: KEY_ARN_CONSTRAINT,
  };
  parameters[SECRET_KEY] = {
      Type: "String",
      Default: "",
      Description: "ARN of the KMS key of the secrets (empty: the AWS managed key aws/secretsmanager, which needs no grant)",
      AllowedPattern: KEY_ARN_PATTERN,
      ConstraintDescription: KEY_ARN_CONSTRAINT,
  };

  const conditions: Record<string, unknown> = {};
  const notEmpty = (param: string): unknown => ({ "Fn::Not": [{ "Fn::Equals": [ref(param), ""] }] });
  if (conditionsUsed.has(HAS_OUTPUT_BUCKET)) conditions[HAS_OUTPUT_BUCKET] = notEmpty("OutputBucketName");
  if (conditionsUsed.has(HAS_PARAMETER_KEY)) conditions[HAS_PARAMETER_KEY] = notEmpty(PARAMETER_KEY);
  if (conditionsUsed.has(HAS_SECRET_KEY)) conditions[HAS_SECRET_KEY] = notEmpty(SECRET_KEY);

  const resources: Record<string, unknown> = {
    InstanceRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `fleetform: the ${p.prefix} fleet's instances (Systems Manager, CodeDeploy, and what the configurations read)`,
        AssumeRolePolicyDocument: trust("ec2.amazonaws.com"),
        ManagedPolicyArns: [subScalar("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")],
        Policies: [{ PolicyName: "fleetform-instance", PolicyDocument: { Version: quoted("2012-10-17"), Statement: statements.map(statementNode) } }],
      },
    },
    InstanceProfile: { Type: "AWS::IAM::InstanceProfile", Properties: { Roles: [ref("InstanceRole")] } },
    CodeDeployServiceRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `fleetform: CodeDeploy deploying to the ${p.prefix} fleet`,
        AssumeRolePolicyDocument: trust("codedeploy.amazonaws.com"),
        ManagedPolicyArns: [subScalar("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole")],
      },
    },
    CodeDeployApplication: { Type: "AWS::CodeDeploy::Application", Properties: { ApplicationName: p.prefix, ComputePlatform: "Server" } },
    DeploymentGroup: {
      Type: "AWS::CodeDeploy::DeploymentGroup",
      Properties: {
        ApplicationName: ref("CodeDeployApplication"),
        DeploymentGroupName: `${p.prefix}-fleet`,
        ServiceRoleArn: getAtt("CodeDeployServiceRole.Arn"),
        DeploymentConfigName: "CodeDeployDefault.OneAtATime",
        // Instances any configuration targets: the modules and DSC documents go to all of them.
        Ec2TagFilters: deploymentTargets(program).map((t) => ({ Key: t.tag, Value: cfn(t.value), Type: "KEY_AND_VALUE" })),
        AutoRollbackConfiguration: { Enabled: true, Events: ["DEPLOYMENT_FAILURE"] },
      },
    },
  };

  const outputs = {
    InstanceProfileName: { Description: "The instance profile to launch the fleet's instances with", Value: ref("InstanceProfile") },
    InstanceRoleArn: { Description: "The instances' role", Value: getAtt("InstanceRole.Arn") },
    CodeDeployApplicationName: { Description: "The CodeDeploy application", Value: ref("CodeDeployApplication") },
    DeploymentGroupName: { Description: "The deployment group of the fleet", Value: ref("DeploymentGroup") },
  };
  // (of the stack's own parameters too, the ones this template uses: the instances' tags, what module code reads)
  dropUnusedParameters(parameters, [conditions, resources, outputs]);

  return {
    AWSTemplateFormatVersion: quoted("2010-09-09"),
    Description: `fleetform: instance role and profile, CodeDeploy application and deployment group of the ${p.prefix} fleet`,
    Parameters: parameters,
    ...(Object.keys(conditions).length > 0 ? { Conditions: conditions } : {}),
    Resources: resources,
    Outputs: outputs,
  };
}

export function emitDependencies(program: ir.Program, readsOf?: (m: ir.Module) => readonly ir.RuntimeExpr[]): EmittedFile {
  return stackTemplateFile(DEPENDENCIES_TEMPLATE, dependenciesTemplate(program, readsOf));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
