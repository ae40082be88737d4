// cloudformation/pipeline.yaml: the pipeline stack, the one stack deployed by hand (README,
// "Delivery"). An artifact bucket, a CodeBuild project running the repo's buildspec.yml with its
// JUnit report group, and a CodePipeline: Source (CodeStar connection) → Build → change sets for
// the dependencies and Systems Manager stacks → manual approval (a parameter turns it off) →
// execute dependencies → CodeDeploy → execute Systems Manager (the modules are on the instances
// before the associations run the new documents).
//
// One source of truth: `fleetform build` emits it from the program (the stack prefix names the
// stacks, the CodeDeploy application and group; the Systems Manager and dependencies stacks'
// parameters without a default become this stack's parameters, passed through), and `fleetform
// init` writes the same text as pipeline.yaml. Each role is scoped to the names this template
// knows; `*` only where an action has no resource-level permissions (listed in ANY_RESOURCE).
import type { Scalar } from "yaml";
import type * as ir from "../../3-lower/ir.js";
import { GENERATED, type EmittedFile } from "../files.js";
import { toYaml } from "../yaml.js";
import { dependenciesTemplate } from "./dependencies.js";
import { getAtt, quoted, ref, sub } from "./intrinsics.js";
import { systemsManagerTemplate } from "./index.js";

export const PIPELINE_TEMPLATE = "cloudformation/pipeline.yaml";

/** Where the build uploads dist/dsc in the artifact bucket (MofKeyPrefix of both stacks). */
export const MOF_PREFIX = "mofs/";
/** The change set name the Prepare stage creates and the Deploy stage executes. */
const CHANGE_SET = "fleetform";

/** Literal text inside a !Sub template. */
const subLiteral = (text: string): string => text.replace(/\$\{/g, "${!");

/** The names the pipeline uses, derived from the stack prefix. */
export interface PipelineNames {
  /** CloudFormation stack names: letters, digits and '-', starting with a letter. */
  readonly dependenciesStack: string;
  readonly systemsManagerStack: string;
  /** The dependencies stack's CodeDeploy application and deployment group (fixed names from the prefix). */
  readonly application: string;
  readonly deploymentGroup: string;
  readonly buildProject: string;
  /** At most 32 characters (AWS::CodeStarConnections::Connection). */
  readonly connection: string;
}

export function pipelineNames(prefix: string): PipelineNames {
  const base = /^[A-Za-z]/.test(prefix) ? prefix.replace(/[^A-Za-z0-9-]/g, "-") : `fleet-${prefix.replace(/[^A-Za-z0-9-]/g, "-")}`;
  return {
    dependenciesStack: `${base}-dependencies`,
    systemsManagerStack: `${base}-systems-manager`,
    application: prefix,
    deploymentGroup: `${prefix}-fleet`,
    buildProject: `${base}-build`.slice(0, 150),
    connection: base.slice(0, 32),
  };
}

/**
 * Actions granted on "*" and why: they have no resource-level permissions (the Service
 * Authorization Reference lists no resource type for them).
 */
export const ANY_RESOURCE: Readonly<Record<string, string>> = {
  "kms:CreateKey": "a key's ARN does not exist before it is created",
  "ssm:ListAssociations": "no resource-level permissions",
  "ssm:DescribeParameters": "no resource-level permissions",
  "logs:PutQueryDefinition": "no resource-level permissions",
  "logs:DeleteQueryDefinition": "no resource-level permissions",
  "logs:DescribeQueryDefinitions": "no resource-level permissions",
};

/** Parameters the pipeline gives the stacks itself (never passed through). */
const SUPPLIED = new Set(["RevisionBucketName", "MofBucketName", "MofKeyPrefix"]);
/** This template's own parameters (a stack parameter of the same name is not passed through). */
const OWN = ["RepositoryId", "BranchName", "ConnectionArn", "ConnectionProvider", "RequireApproval"] as const;

export interface Passed {
  readonly name: string;
  readonly definition: Record<string, unknown>;
}

/** Parameters of a stack template that have no default: the deployer gives them once, to this stack. */
function required(template: Record<string, unknown>): Passed[] {
  const parameters = (template.Parameters ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(parameters)
    .filter(([name, p]) => p.Default === undefined && !SUPPLIED.has(name) && !(OWN as readonly string[]).includes(name))
    .map(([name, p]) => ({ name, definition: p }));
}

/** What the pipeline template is made from: the stack prefix and what the two stacks declare. */
export interface PipelineInput {
  readonly prefix: string;
  /** Parameters of systems-manager.yaml the pipeline gives (MofBucketName, MofKeyPrefix when declared). */
  readonly ssmSupplied: readonly string[];
  /** Parameters of systems-manager.yaml without a default, passed through from this stack. */
  readonly ssmPassed: readonly Passed[];
  /** The same for dependencies.yaml. */
  readonly depsSupplied: readonly string[];
  readonly depsPassed: readonly Passed[];
}

/** A starter repo's input (no DSC delivery, no parameter without a default): what `fleetform init` writes. */
export function starterPipelineInput(prefix: string): PipelineInput {
  return { prefix, ssmSupplied: [], ssmPassed: [], depsSupplied: ["RevisionBucketName"], depsPassed: [] };
}

export function pipelineInput(program: ir.Program): PipelineInput {
  // One source of truth: the parameters are read from the templates the build writes, made by the
  // same functions (systems-manager.yaml and dependencies.yaml), never inferred beside them.
  return { prefix: program.stack.prefix, ...stackParameters("ssm", systemsManagerTemplate(program)), ...stackParameters("deps", dependenciesTemplate(program)) };
}

/**
 * What the pipeline gives a stack template: of the parameters the pipeline supplies itself
 * (SUPPLIED), the ones the template declares; and every parameter without a default, passed
 * through from this stack.
 */
function stackParameters<K extends "ssm" | "deps">(key: K, template: Record<string, unknown>): Record<`${K}Supplied`, string[]> & Record<`${K}Passed`, Passed[]> {
  const declared = Object.keys((template.Parameters ?? {}) as object);
  const supplied = [...SUPPLIED].filter((p) => declared.includes(p));
  return { [`${key}Supplied`]: supplied, [`${key}Passed`]: required(template) } as Record<`${K}Supplied`, string[]> & Record<`${K}Passed`, Passed[]>;
}

/** ParameterOverrides: a JSON object whose values are filled in by Fn::Sub. */
function overrides(supplied: readonly string[], passed: readonly Passed[]): Scalar {
  const values: Record<string, string> = {};
  for (const name of supplied) {
    values[name] = name === "MofBucketName" || name === "RevisionBucketName" ? "${ArtifactBucket}" : name === "MofKeyPrefix" ? MOF_PREFIX : "";
  }
  for (const p of passed) values[p.name] = `\${${p.name}}`;
  // JSON text inside !Sub: only the ${Name} placeholders substitute (names are letters and digits).
  // Without one, plain text: a !Sub with no variable is a mistake to cfn-lint (W1020).
  const text = JSON.stringify(values);
  return /\$\{[A-Za-z0-9]+\}/.test(text) ? sub(text.replace(/\$\{(?![A-Za-z0-9]+\})/g, "${!")) : quoted(text);
}

const trust = (service: string): Record<string, unknown> => ({
  Version: quoted("2012-10-17"),
  Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

const statement = (sid: string, actions: string[], resources: unknown[], condition?: Record<string, unknown>): Record<string, unknown> => ({
  Sid: sid,
  Effect: "Allow",
  Action: actions,
  Resource: resources,
  ...(condition ? { Condition: condition } : {}),
});

const ARN = "arn:${AWS::Partition}";
const REGION_ACCOUNT = "${AWS::Region}:${AWS::AccountId}";

export function pipelineTemplate(input: PipelineInput): Record<string, unknown> {
  const prefix = input.prefix;
  const n = pipelineNames(prefix);
  const passed = new Map<string, Passed>();
  for (const p of [...input.ssmPassed, ...input.depsPassed]) if (!passed.has(p.name)) passed.set(p.name, p);

  const stackArn = (stack: string): Scalar => sub(`${ARN}:cloudformation:${REGION_ACCOUNT}:stack/${stack}/*`);
  const applicationArn = sub(`${ARN}:codedeploy:${REGION_ACCOUNT}:application:${subLiteral(n.application)}`);
  const deploymentGroupArn = sub(`${ARN}:codedeploy:${REGION_ACCOUNT}:deploymentgroup:${subLiteral(n.application)}/${subLiteral(n.deploymentGroup)}`);
  const deploymentConfigArn = sub(`${ARN}:codedeploy:${REGION_ACCOUNT}:deploymentconfig:CodeDeployDefault.*`);
  const connectionArn = { "Fn::If": ["CreateConnection", ref("Connection"), ref("ConnectionArn")] };
  const bucketObjects = sub("${ArtifactBucket.Arn}/*");
  const mofObjects = sub(`\${ArtifactBucket.Arn}/${MOF_PREFIX}*`);
  // CloudFormation names what it creates <stack>-<logical id>-<random>: the stacks' roles, topics and rules.
  const dependenciesRoles = sub(`${ARN}:iam::\${AWS::AccountId}:role/${n.dependenciesStack}-*`);
  const ssmDocuments = sub(`${ARN}:ssm:${REGION_ACCOUNT}:document/${subLiteral(prefix)}-*`);

  const parameters: Record<string, unknown> = {
    RepositoryId: {
      Type: "String",
      Description: "The config repo as owner/name (GitHub, Bitbucket or GitLab)",
      AllowedPattern: "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$",
      ConstraintDescription: "owner/name",
    },
    BranchName: { Type: "String", Default: "main", Description: "The branch the pipeline deploys", AllowedPattern: "^[^\\s]+$" },
    ConnectionArn: {
      Type: "String",
      Default: "",
      Description: "ARN of an existing CodeStar connection to the repository's host (empty: this stack creates one; confirm it in the console)",
      AllowedPattern: "^$|^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[A-Za-z0-9-]+$",
      ConstraintDescription: "empty, or a connection ARN",
    },
    ConnectionProvider: { Type: "String", Default: "GitHub", AllowedValues: ["Bitbucket", "GitHub", "GitLab"], Description: "The host of the connection this stack creates" },
    RequireApproval: { Type: "String", Default: "true", AllowedValues: ["true", "false"], Description: "Stop for a manual approval between the change sets and their execution" },
  };
  for (const p of passed.values()) parameters[p.name] = { ...p.definition, Description: `${String(p.definition.Description ?? p.name)} (passed to the stacks that declare it)` };

  const ssmOverrides = overrides(input.ssmSupplied, input.ssmPassed);
  const depsOverrides = overrides(input.depsSupplied, input.depsPassed);

  const cfnAction = (name: string, mode: "CHANGE_SET_REPLACE" | "CHANGE_SET_EXECUTE", stack: string, runOrder: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    Name: name,
    ActionTypeId: { Category: "Deploy", Owner: "AWS", Provider: "CloudFormation", Version: "1" },
    Configuration: { ActionMode: mode, StackName: stack, ChangeSetName: CHANGE_SET, ...extra },
    ...(mode === "CHANGE_SET_REPLACE" ? { InputArtifacts: [{ Name: "BuildOutput" }] } : {}),
    RunOrder: runOrder,
  });

  const resources: Record<string, unknown> = {
    Connection: {
      Type: "AWS::CodeStarConnections::Connection",
      Condition: "CreateConnection",
      Properties: { ConnectionName: n.connection, ProviderType: ref("ConnectionProvider") },
    },
    ArtifactBucket: {
      Type: "AWS::S3::Bucket",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: true }] },
        VersioningConfiguration: { Status: "Enabled" },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        LifecycleConfiguration: {
          Rules: [{ Id: "OldVersions", Status: "Enabled", NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }],
        },
      },
    },
    ArtifactBucketPolicy: {
      Type: "AWS::S3::BucketPolicy",
      Properties: {
        Bucket: ref("ArtifactBucket"),
        PolicyDocument: {
          Version: quoted("2012-10-17"),
          Statement: [
            {
              Sid: "TlsOnly",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [getAtt("ArtifactBucket.Arn"), bucketObjects],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        },
      },
    },
    BuildLogGroup: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: `/aws/codebuild/${n.buildProject}`, RetentionInDays: 90 } },
    BuildReportGroup: {
      Type: "AWS::CodeBuild::ReportGroup",
      // The buildspec's report group `pester` is <project>-pester.
      Properties: { Name: `${n.buildProject}-pester`, Type: "TEST", ExportConfig: { ExportConfigType: "NO_EXPORT" }, DeleteReports: true },
    },
    BuildRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `fleetform: CodeBuild building the ${prefix} config repo`,
        AssumeRolePolicyDocument: trust("codebuild.amazonaws.com"),
        Policies: [
          {
            PolicyName: "fleetform-build",
            PolicyDocument: {
              Version: quoted("2012-10-17"),
              Statement: [
                statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [getAtt("BuildLogGroup.Arn")]),
                statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [bucketObjects]),
                // (new keys only: the buildspec deletes nothing, since the live association still reads the last MOF)
                statement("UploadDscDocuments", ["s3:PutObject"], [mofObjects]),
                statement("Reports", ["codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"], [getAtt("BuildReportGroup.Arn")]),
              ],
            },
          },
        ],
      },
    },
    BuildProject: {
      Type: "AWS::CodeBuild::Project",
      Properties: {
        Name: n.buildProject,
        Description: `fleetform: build and test the ${prefix} config repo (buildspec.yml)`,
        ServiceRole: getAtt("BuildRole.Arn"),
        Source: { Type: "CODEPIPELINE", BuildSpec: "buildspec.yml" },
        Artifacts: { Type: "CODEPIPELINE" },
        // Where CodeBuild keeps the buildspec's `cache: paths:` (fleetform's build cache) between
        // builds: in the artifact bucket, which the build role may read and write.
        Cache: { Type: "S3", Location: sub("${ArtifactBucket}/codebuild-cache") },
        Environment: {
          Type: "LINUX_CONTAINER",
          ComputeType: "BUILD_GENERAL1_SMALL",
          Image: "aws/codebuild/standard:7.0",
          EnvironmentVariables: [
            { Name: "MOF_BUCKET", Type: "PLAINTEXT", Value: ref("ArtifactBucket") },
            { Name: "MOF_PREFIX", Type: "PLAINTEXT", Value: MOF_PREFIX },
          ],
        },
        LogsConfig: { CloudWatchLogs: { Status: "ENABLED", GroupName: ref("BuildLogGroup") } },
        TimeoutInMinutes: 30,
      },
    },
    DeployRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `fleetform: CloudFormation creating and updating the ${prefix} dependencies and Systems Manager stacks`,
        AssumeRolePolicyDocument: trust("cloudformation.amazonaws.com"),
        Policies: [{ PolicyName: "fleetform-deploy", PolicyDocument: { Version: quoted("2012-10-17"), Statement: deployStatements(n, prefix, dependenciesRoles, ssmDocuments, applicationArn, deploymentGroupArn, deploymentConfigArn) } }],
      },
    },
    PipelineRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `fleetform: CodePipeline of the ${prefix} config repo`,
        AssumeRolePolicyDocument: trust("codepipeline.amazonaws.com"),
        Policies: [
          {
            PolicyName: "fleetform-pipeline",
            PolicyDocument: {
              Version: quoted("2012-10-17"),
              Statement: [
                statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [bucketObjects]),
                statement("ArtifactBucket", ["s3:GetBucketVersioning", "s3:GetBucketLocation"], [getAtt("ArtifactBucket.Arn")]),
                statement("Source", ["codestar-connections:UseConnection", "codeconnections:UseConnection"], [connectionArn]),
                statement("Build", ["codebuild:StartBuild", "codebuild:BatchGetBuilds"], [getAtt("BuildProject.Arn")]),
                statement(
                  "ChangeSets",
                  ["cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DescribeStacks"],
                  [stackArn(n.dependenciesStack), stackArn(n.systemsManagerStack)],
                ),
                statement("PassDeployRole", ["iam:PassRole"], [getAtt("DeployRole.Arn")], { StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } }),
                statement("Deploy", ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"], [deploymentGroupArn]),
                statement("Revision", ["codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"], [applicationArn]),
                statement("DeploymentConfig", ["codedeploy:GetDeploymentConfig"], [deploymentConfigArn]),
              ],
            },
          },
        ],
      },
    },
    Pipeline: {
      Type: "AWS::CodePipeline::Pipeline",
      DependsOn: ["ArtifactBucketPolicy"],
      Properties: {
        RoleArn: getAtt("PipelineRole.Arn"),
        PipelineType: "V2",
        ExecutionMode: "QUEUED",
        RestartExecutionOnUpdate: false,
        ArtifactStore: { Type: "S3", Location: ref("ArtifactBucket") },
        Stages: [
          {
            Name: "Source",
            Actions: [
              {
                Name: "Source",
                ActionTypeId: { Category: "Source", Owner: "AWS", Provider: "CodeStarSourceConnection", Version: "1" },
                Configuration: { ConnectionArn: connectionArn, FullRepositoryId: ref("RepositoryId"), BranchName: ref("BranchName"), OutputArtifactFormat: "CODE_ZIP", DetectChanges: true },
                OutputArtifacts: [{ Name: "Source" }],
                RunOrder: 1,
              },
            ],
          },
          {
            Name: "Build",
            Actions: [
              {
                Name: "BuildAndTest",
                ActionTypeId: { Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1" },
                Configuration: { ProjectName: ref("BuildProject") },
                InputArtifacts: [{ Name: "Source" }],
                OutputArtifacts: [{ Name: "BuildOutput" }],
                RunOrder: 1,
              },
            ],
          },
          {
            Name: "Prepare",
            Actions: [
              cfnAction("Dependencies", "CHANGE_SET_REPLACE", n.dependenciesStack, 1, {
                TemplatePath: "BuildOutput::cloudformation/dependencies.yaml",
                Capabilities: "CAPABILITY_IAM",
                RoleArn: getAtt("DeployRole.Arn"),
                ParameterOverrides: depsOverrides,
              }),
              cfnAction("SystemsManager", "CHANGE_SET_REPLACE", n.systemsManagerStack, 1, {
                TemplatePath: "BuildOutput::cloudformation/systems-manager.yaml",
                RoleArn: getAtt("DeployRole.Arn"),
                ParameterOverrides: ssmOverrides,
              }),
            ],
          },
          {
            "Fn::If": [
              "ApprovalRequired",
              { Name: "Approve", Actions: [{ Name: "ReviewChangeSets", ActionTypeId: { Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1" }, RunOrder: 1 }] },
              ref("AWS::NoValue"),
            ],
          },
          {
            Name: "Deploy",
            Actions: [
              cfnAction("Dependencies", "CHANGE_SET_EXECUTE", n.dependenciesStack, 1),
              {
                Name: "Modules",
                ActionTypeId: { Category: "Deploy", Owner: "AWS", Provider: "CodeDeploy", Version: "1" },
                Configuration: { ApplicationName: n.application, DeploymentGroupName: n.deploymentGroup },
                InputArtifacts: [{ Name: "BuildOutput" }],
                RunOrder: 2,
              },
              cfnAction("SystemsManager", "CHANGE_SET_EXECUTE", n.systemsManagerStack, 3),
            ],
          },
        ],
      },
    },
  };

  return {
    AWSTemplateFormatVersion: quoted("2010-09-09"),
    Description: `fleetform: the ${prefix} pipeline (source, build and test, change sets, approval, CodeDeploy); the one stack deployed by hand`,
    Parameters: parameters,
    Conditions: {
      CreateConnection: { "Fn::Equals": [ref("ConnectionArn"), ""] },
      ApprovalRequired: { "Fn::Equals": [ref("RequireApproval"), "true"] },
    },
    Resources: resources,
    Outputs: {
      PipelineName: { Description: "The pipeline", Value: ref("Pipeline") },
      ArtifactBucketName: { Description: "The artifact bucket (revisions, and the DSC documents under mofs/)", Value: ref("ArtifactBucket") },
      ConnectionArn: { Description: "The connection to confirm in the console (Developer Tools > Settings > Connections) when this stack created it", Value: connectionArn },
    },
  };
}

/** What CloudFormation needs to create, update and delete the resources of the two stacks, by name. */
function deployStatements(n: PipelineNames, prefix: string, roles: Scalar, documents: Scalar, application: Scalar, deploymentGroup: Scalar, deploymentConfig: Scalar): Record<string, unknown>[] {
  const ssmStack = subLiteral(n.systemsManagerStack);
  return [
    statement(
      "Documents",
      ["ssm:CreateDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion", "ssm:DeleteDocument", "ssm:DescribeDocument", "ssm:GetDocument", "ssm:ListDocumentVersions", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"],
      [documents],
    ),
    statement(
      "Associations",
      ["ssm:CreateAssociation", "ssm:UpdateAssociation", "ssm:DeleteAssociation", "ssm:DescribeAssociation"],
      [
        sub(`${ARN}:ssm:${REGION_ACCOUNT}:association/*`),
        documents,
        // AWS-owned documents (AWS-ApplyDSCMofs, AWS-RunPatchBaseline ...) have no account in their ARN.
        sub(`${ARN}:ssm:\${AWS::Region}::document/*`),
        sub(`${ARN}:ec2:${REGION_ACCOUNT}:instance/*`),
      ],
    ),
    statement("ListAssociations", ["ssm:ListAssociations"], ["*"]),
    statement(
      "AlertTopic",
      ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource"],
      [sub(`${ARN}:sns:${REGION_ACCOUNT}:${ssmStack}-*`)],
    ),
    statement(
      "AlertRule",
      ["events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule", "events:TagResource", "events:UntagResource"],
      [sub(`${ARN}:events:${REGION_ACCOUNT}:rule/${ssmStack}-*`)],
    ),
    statement("CreateAlertKey", ["kms:CreateKey"], ["*"]),
    // Observability (observability.ts): the runtime's log group and its metric filters, the alarms
    // and the dashboard named from the prefix, the agent configuration parameter, saved queries.
    statement(
      "RuntimeLogGroup",
      ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:PutMetricFilter", "logs:DeleteMetricFilter", "logs:DescribeMetricFilters", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:TagLogGroup", "logs:UntagLogGroup"],
      [sub(`${ARN}:logs:${REGION_ACCOUNT}:log-group:/fleetform/${subLiteral(prefix)}/*`)],
    ),
    statement("QueryDefinitions", ["logs:PutQueryDefinition", "logs:DeleteQueryDefinition", "logs:DescribeQueryDefinitions"], ["*"]),
    statement(
      "Alarms",
      ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource"],
      [sub(`${ARN}:cloudwatch:${REGION_ACCOUNT}:alarm:${subLiteral(prefix)}-*`)],
    ),
    statement(
      "Dashboard",
      ["cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"],
      [sub(`${ARN}:cloudwatch::\${AWS::AccountId}:dashboard/${subLiteral(prefix)}-*`)],
    ),
    statement(
      "AgentConfigParameter",
      ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"],
      [sub(`${ARN}:ssm:${REGION_ACCOUNT}:parameter/AmazonCloudWatch-${subLiteral(prefix)}-*`)],
    ),
    statement("DescribeParameters", ["ssm:DescribeParameters"], ["*"]),
    statement(
      "AlertKey",
      ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:ListResourceTags"],
      [sub(`${ARN}:kms:${REGION_ACCOUNT}:key/*`)],
    ),
    statement(
      "Roles",
      [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:TagRole",
        "iam:UntagRole",
      ],
      [roles],
    ),
    statement(
      "InstanceProfile",
      ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
      [sub(`${ARN}:iam::\${AWS::AccountId}:instance-profile/${subLiteral(n.dependenciesStack)}-*`)],
    ),
    statement("PassStackRoles", ["iam:PassRole"], [roles], { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "codedeploy.amazonaws.com"] } }),
    statement("CodeDeployApplication", ["codedeploy:CreateApplication", "codedeploy:DeleteApplication", "codedeploy:GetApplication", "codedeploy:UpdateApplication", "codedeploy:TagResource", "codedeploy:UntagResource", "codedeploy:ListTagsForResource"], [application]),
    statement("DeploymentGroup", ["codedeploy:CreateDeploymentGroup", "codedeploy:DeleteDeploymentGroup", "codedeploy:GetDeploymentGroup", "codedeploy:UpdateDeploymentGroup"], [deploymentGroup]),
    statement("DeploymentConfig", ["codedeploy:GetDeploymentConfig"], [deploymentConfig]),
  ];
}

export function emitPipeline(program: ir.Program): EmittedFile {
  return { path: PIPELINE_TEMPLATE, content: pipelineYaml(pipelineInput(program)), source: "fleetform.config.ts" };
}

/** The template's text: the build's cloudformation/pipeline.yaml and init's pipeline.yaml. */
export function pipelineYaml(input: PipelineInput): string {
  const body = toYaml(pipelineTemplate(input));
  return `# Generated by fleetform from fleetform.config.ts (the stack prefix, and the stacks' parameters without a default). ${GENERATED}\n# Deploy it by hand once (README, "Delivery"); the pipeline deploys everything else.\n${body}`;
}
