// cloudformation/pipeline.yaml (docutap build, init's pipeline.yaml): against the registry schemas
// (cfn-lint's copies) and cfn-lint's IAM policy schemas for every condition assignment, every
// Ref/GetAtt/Sub/Condition target declared, the change sets' parameter overrides against the
// templates they deploy, least privilege, and the YAML read the same by a YAML 1.1 reader.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CompileResult } from "../../compiler/index.js";
import { ANY_RESOURCE, MOF_PREFIX, pipelineNames, pipelineYaml, starterPipelineInput } from "../../compiler/phases/4-emit/cloudformation/pipeline.js";
import { initFiles } from "../../compiler/init/templates.js";
import { readWithPyYaml, readWithYaml } from "../helpers/pyyaml.js";
import { cfnAjv, concretize, conditionCases, policyValidators, readOnlyAttributes, registryValidator, unresolved } from "./cfn-check.js";
import { assertOk, buildDocutap, compileFixture, deliveryDir, docutapRoot, parseCfn, resourcesOf, textOf, type CfnResource } from "./helpers.js";

const TEMPLATE = "cloudformation/pipeline.yaml";

/** Registry schema per resource type of the template; AWS::CodeBuild::ReportGroup has none in the reference set. */
const SCHEMAS: Record<string, string> = {
  "AWS::CodeStarConnections::Connection": "aws-codestarconnections-connection.json",
  "AWS::S3::Bucket": "aws-s3-bucket.json",
  "AWS::S3::BucketPolicy": "aws-s3-bucketpolicy.json",
  "AWS::Logs::LogGroup": "aws-logs-loggroup.json",
  "AWS::IAM::Role": "aws-iam-role.json",
  "AWS::CodeBuild::Project": "aws-codebuild-project.json",
  "AWS::CodePipeline::Pipeline": "aws-codepipeline-pipeline.json",
};
const WITHOUT_SCHEMA = ["AWS::CodeBuild::ReportGroup"];

/**
 * What a Ref to a resource and its Arn attribute are at deploy time, per resource type of the
 * template (the pseudo parameters as cfn-check.ts's concretize has them).
 */
const DEPLOYED: Record<string, (id: string) => { ref: string; arn: string }> = {
  "AWS::CodeStarConnections::Connection": () => ({ ref: "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab", arn: "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab" }),
  "AWS::S3::Bucket": (id) => ({ ref: `stack-${id.toLowerCase()}-1a2b3c`, arn: `arn:aws:s3:::stack-${id.toLowerCase()}-1a2b3c` }),
  "AWS::S3::BucketPolicy": (id) => ({ ref: id, arn: "" }),
  "AWS::Logs::LogGroup": (id) => ({ ref: `/aws/codebuild/${id}`, arn: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/${id}:*` }),
  "AWS::CodeBuild::ReportGroup": (id) => ({ ref: `arn:aws:codebuild:us-east-1:123456789012:report-group/${id}`, arn: `arn:aws:codebuild:us-east-1:123456789012:report-group/${id}` }),
  "AWS::IAM::Role": (id) => ({ ref: `stack-${id}-1A2B3C`, arn: `arn:aws:iam::123456789012:role/stack-${id}-1A2B3C` }),
  "AWS::CodeBuild::Project": (id) => ({ ref: id, arn: `arn:aws:codebuild:us-east-1:123456789012:project/${id}` }),
  "AWS::CodePipeline::Pipeline": (id) => ({ ref: `stack-${id}-1A2B3C`, arn: "" }),
};

/**
 * Refs and GetAtt ...Arn of the template's own resources (also as ${X} / ${X.Arn} in a Sub)
 * replaced by what they are at deploy time; the rest is left to concretize.
 */
function resolveResources(value: unknown, resources: Record<string, CfnResource>): unknown {
  const deployed = (id: string) => DEPLOYED[resources[id]!.Type]!(id);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "Ref" && typeof o.Ref === "string" && o.Ref in resources) return deployed(o.Ref).ref;
    if (keys.length === 1 && keys[0] === "Fn::GetAtt") {
      const [id, attribute] = o["Fn::GetAtt"] as [string, string];
      if (id in resources && attribute === "Arn") return deployed(id).arn;
    }
    if (keys.length === 1 && keys[0] === "Fn::Sub" && typeof o["Fn::Sub"] === "string") {
      return { "Fn::Sub": (o["Fn::Sub"] as string).replace(/\$\{([A-Za-z0-9]+)(\.Arn)?\}/g, (m, id: string, arn?: string) => (id in resources ? (arn ? deployed(id).arn : deployed(id).ref) : m)) };
    }
    return Object.fromEntries(keys.map((k) => [k, walk(o[k])]));
  };
  return walk(value);
}

/** The parameters' defaults: what a deployer who gives only the required parameters deploys. */
function defaults(template: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries((template.Parameters ?? {}) as Record<string, { Default?: string }>)
      .filter(([, p]) => p.Default !== undefined)
      .map(([n, p]) => [n, p.Default!]),
  );
}

/** Parameter values that make a condition assignment hold (CreateConnection is false when a connection ARN is given). */
function parametersFor(conditions: Readonly<Record<string, boolean>>): Record<string, string> {
  return {
    ...(conditions.CreateConnection === false ? { ConnectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab" } : {}),
    ...(conditions.ApprovalRequired === false ? { RequireApproval: "false" } : {}),
  };
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every inline policy statement of every role, with the role's logical id. */
function roleStatements(resources: Record<string, CfnResource>): [string, Statement][] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === "AWS::IAM::Role")
    .flatMap(([id, r]) => ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement.map((s): [string, Statement] => [id, s])));
}

function checkTemplate(template: Record<string, unknown>): string[] {
  const ajv = cfnAjv();
  const policies = policyValidators(ajv);
  const resourcePolicy = ajv.compile(JSON.parse(readFileSync(join(deliveryDir, "schemas", "cfnlint-other-iam-policy_resource.json"), "utf8")) as object);
  const validators: Record<string, ValidateFunction> = Object.fromEntries(Object.entries(SCHEMAS).map(([type, file]) => [type, registryValidator(ajv, file)]));
  const problems: string[] = [];
  const report = (where: string, v: ValidateFunction): void => {
    for (const e of v.errors ?? []) problems.push(`${where}${e.instancePath}: ${e.message ?? ""} ${JSON.stringify(e.params)}`);
  };
  for (const conditions of conditionCases(template)) {
    const label = JSON.stringify(conditions);
    for (const [id, r] of Object.entries(resourcesOf(template))) {
      const condition = (r as { Condition?: string }).Condition;
      if (condition && conditions[condition] === false) continue;
      const properties = concretize(resolveResources(r.Properties, resourcesOf(template)), conditions, { ...defaults(template), ...parametersFor(conditions) }) as Record<string, unknown>;
      const validate = validators[r.Type];
      if (validate && !validate(properties)) report(`${label} ${id}`, validate);
      if (!validate && !WITHOUT_SCHEMA.includes(r.Type)) problems.push(`${id}: no schema for ${r.Type}`);
      if (r.Type === "AWS::IAM::Role") {
        if (!policies.trust(properties.AssumeRolePolicyDocument)) report(`${label} ${id} trust policy`, policies.trust);
        for (const p of (properties.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]) {
          if (!policies.identity(p.PolicyDocument)) report(`${label} ${id} ${p.PolicyName}`, policies.identity);
        }
      }
      if (r.Type === "AWS::S3::BucketPolicy" && !resourcePolicy(properties.PolicyDocument)) report(`${label} ${id} bucket policy`, resourcePolicy);
    }
  }
  return problems;
}

describe("cloudformation/pipeline.yaml (docutap)", () => {
  let build: CompileResult;
  let text: string;
  let template: Record<string, unknown>;
  let resources: Record<string, CfnResource>;
  const names = pipelineNames("docutap");

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    text = textOf(build, TEMPLATE);
    template = parseCfn(text);
    resources = resourcesOf(template);
  });

  it("is examples/docutap/pipeline.yaml, byte for byte (the one the example deploys by hand)", () => {
    expect(readFileSync(join(docutapRoot, "pipeline.yaml"), "utf8")).toBe(text);
  });

  it("reads the same with PyYAML (a YAML 1.1 reader, as CloudFormation's) as with fleetform's YAML 1.2 reader", () => {
    const [py] = readWithPyYaml([text]);
    expect(py).toEqual(readWithYaml(text));
    expect(parseCfn(text, "1.1")).toEqual(template);
  });

  it("satisfies the registry schemas and cfn-lint's IAM policy schemas, with each condition true and false", () => {
    expect(conditionCases(template)).toHaveLength(4);
    expect(checkTemplate(template)).toEqual([]);
  });

  it("the checks are not vacuous: a public bucket ACL, a bad stage and a policy without Effect are rejected", () => {
    const broken = structuredClone(template) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    broken.Resources.ArtifactBucket!.Properties.AccessControl = "PublicReadWriteX";
    (broken.Resources.Pipeline!.Properties.Stages as unknown[]).push({ Name: "", Actions: [] });
    const role = broken.Resources.BuildRole!.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[];
    delete role[0]!.PolicyDocument.Statement[0]!.Effect;
    const problems = checkTemplate(broken as unknown as Record<string, unknown>);
    expect(problems.some((p) => p.includes("ArtifactBucket/AccessControl"))).toBe(true);
    expect(problems.some((p) => p.includes("Pipeline/Stages"))).toBe(true);
    expect(problems.some((p) => p.includes("BuildRole fleetform-build"))).toBe(true);
  });

  it("every Ref, Sub variable, GetAtt (an attribute the type has) and Fn::If/Condition names something declared", () => {
    const attributes = Object.fromEntries(Object.entries(SCHEMAS).map(([type, file]) => [type, readOnlyAttributes(file)]));
    attributes["AWS::CodeBuild::ReportGroup"] = ["Arn"];
    expect(unresolved(template, attributes)).toEqual([]);
    const conditions = Object.keys(template.Conditions as object);
    for (const r of Object.values(resources)) {
      const c = (r as { Condition?: string }).Condition;
      if (c) expect(conditions).toContain(c);
    }
  });

  it("the artifact bucket: encrypted, versioned, public access blocked, TLS only", () => {
    const bucket = resources.ArtifactBucket!.Properties;
    expect(bucket.BucketEncryption).toMatchObject({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] });
    expect(bucket.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const policy = resources.ArtifactBucketPolicy!.Properties as { Bucket: unknown; PolicyDocument: { Statement: Statement[] } };
    expect(policy.Bucket).toEqual({ Ref: "ArtifactBucket" });
    const deny = policy.PolicyDocument.Statement.filter((s) => s.Effect === "Deny");
    expect(deny).toHaveLength(1);
    expect(deny[0]).toMatchObject({ Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(deny[0]!.Resource).toEqual([{ "Fn::GetAtt": ["ArtifactBucket", "Arn"] }, { "Fn::Sub": "${ArtifactBucket.Arn}/*" }]);
    expect(policy.PolicyDocument.Statement.filter((s) => s.Effect === "Allow")).toEqual([]);
  });

  it("CodeBuild runs the repo's buildspec.yml with the report group its `pester` report lands in", () => {
    const project = resources.BuildProject!.Properties as Record<string, any>;
    expect(project.Source).toEqual({ Type: "CODEPIPELINE", BuildSpec: "buildspec.yml" });
    expect(project.Artifacts).toEqual({ Type: "CODEPIPELINE" });
    // The buildspec's `cache: paths:` (fleetform's build cache) are kept in the artifact bucket,
    // whose objects the build role may read and write.
    expect(project.Cache).toEqual({ Type: "S3", Location: { "Fn::Sub": "${ArtifactBucket}/codebuild-cache" } });
    const role = (resources.BuildRole!.Properties as { Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } }[] }).Policies[0]!.PolicyDocument.Statement;
    const objects = role.filter((s) => s.Resource.some((r) => JSON.stringify(r) === JSON.stringify({ "Fn::Sub": "${ArtifactBucket.Arn}/*" })));
    expect(objects.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject"]));
    const buildspec = parse(readFileSync(join(docutapRoot, "buildspec.yml"), "utf8")) as Record<string, any>;
    // CodeBuild names a buildspec report group <project>-<name> unless it is an ARN.
    expect(Object.keys(buildspec.reports)).toEqual(["pester"]);
    expect(resources.BuildReportGroup!.Properties).toMatchObject({ Name: `${project.Name}-pester`, Type: "TEST" });
    expect(buildspec.reports.pester["file-format"]).toBe("JUNITXML");
    // The bucket the buildspec uploads dist/dsc to comes from the project (a buildspec `env` would win over it).
    expect(buildspec.env?.variables?.MOF_BUCKET).toBeUndefined();
    expect(project.Environment.EnvironmentVariables).toEqual([
      { Name: "MOF_BUCKET", Type: "PLAINTEXT", Value: { Ref: "ArtifactBucket" } },
      { Name: "MOF_PREFIX", Type: "PLAINTEXT", Value: MOF_PREFIX },
    ]);
  });

  it("stages: Source (connection, repo and branch parameters) → Build → change sets → approval (conditional) → dependencies, CodeDeploy, Systems Manager", () => {
    const stages = (resources.Pipeline!.Properties as { Stages: unknown[] }).Stages;
    const withApproval = concretize(stages, { CreateConnection: true, ApprovalRequired: true }) as { Name: string; Actions: Record<string, any>[] }[];
    const without = concretize(stages, { CreateConnection: false, ApprovalRequired: false }) as { Name: string; Actions: Record<string, any>[] }[];
    expect(withApproval.map((s) => s.Name)).toEqual(["Source", "Build", "Prepare", "Approve", "Deploy"]);
    expect(without.map((s) => s.Name)).toEqual(["Source", "Build", "Prepare", "Deploy"]);
    expect(withApproval[3]!.Actions[0]!.ActionTypeId).toEqual({ Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1" });

    const raw = stages as { Name?: string; Actions: Record<string, any>[] }[];
    const source = raw[0]!.Actions[0]!;
    expect(source.ActionTypeId.Provider).toBe("CodeStarSourceConnection");
    expect(source.Configuration).toMatchObject({ FullRepositoryId: { Ref: "RepositoryId" }, BranchName: { Ref: "BranchName" }, ConnectionArn: { "Fn::If": ["CreateConnection", { Ref: "Connection" }, { Ref: "ConnectionArn" }] } });
    expect(raw[1]!.Actions[0]!.Configuration).toEqual({ ProjectName: { Ref: "BuildProject" } });

    const prepare = raw[2]!.Actions;
    expect(prepare.map((a) => [a.Configuration.ActionMode, a.Configuration.StackName, a.Configuration.TemplatePath, a.RunOrder])).toEqual([
      ["CHANGE_SET_REPLACE", names.dependenciesStack, "BuildOutput::cloudformation/dependencies.yaml", 1],
      ["CHANGE_SET_REPLACE", names.systemsManagerStack, "BuildOutput::cloudformation/systems-manager.yaml", 1],
    ]);
    expect(prepare[0]!.Configuration.Capabilities).toBe("CAPABILITY_IAM");
    const deploy = raw[4]!.Actions;
    expect(deploy.map((a) => [a.Name, a.ActionTypeId.Provider, a.Configuration.ActionMode ?? null, a.RunOrder])).toEqual([
      ["Dependencies", "CloudFormation", "CHANGE_SET_EXECUTE", 1],
      ["Modules", "CodeDeploy", null, 2],
      ["SystemsManager", "CloudFormation", "CHANGE_SET_EXECUTE", 3],
    ]);
    // The executed change sets are the prepared ones.
    const changeSets = (actions: Record<string, any>[]) => actions.filter((a) => a.ActionTypeId.Provider === "CloudFormation").map((a) => [a.Configuration.StackName, a.Configuration.ChangeSetName]);
    expect(changeSets(deploy)).toEqual(changeSets(prepare));
    // CodeDeploy: the dependency stack's application and group, by their fixed names.
    expect(deploy[1]!.Configuration).toEqual({ ApplicationName: "docutap", DeploymentGroupName: "docutap-fleet" });
    expect(deploy[1]!.InputArtifacts).toEqual([{ Name: "BuildOutput" }]);
  });

  it("the templates the change sets deploy are in the build; systems-manager.yaml gets only parameters it declares, and every one it requires", () => {
    const prepare = (resources.Pipeline!.Properties as { Stages: { Actions: Record<string, any>[] }[] }).Stages[2]!.Actions;
    const paths = build.files.map((f) => f.path);
    const ssm = prepare.find((a) => a.Name === "SystemsManager")!;
    expect(paths).toContain(ssm.Configuration.TemplatePath.replace("BuildOutput::", ""));
    const ssmTemplate = parseCfn(textOf(build, "cloudformation/systems-manager.yaml"));
    const declared = ssmTemplate.Parameters as Record<string, { Default?: string }>;
    const overrides = JSON.parse(ssm.Configuration.ParameterOverrides["Fn::Sub"]) as Record<string, string>;
    expect(Object.keys(overrides).filter((k) => !(k in declared))).toEqual([]);
    const requiredNames = Object.entries(declared).filter(([, p]) => p.Default === undefined).map(([n]) => n);
    expect(requiredNames.filter((n) => !(n in overrides))).toEqual([]);
    expect(requiredNames.length).toBeGreaterThan(0);
    // Passed through: each is a parameter of this stack.
    for (const [name, value] of Object.entries(overrides)) {
      if (value === `\${${name}}`) expect(Object.keys(template.Parameters as object)).toContain(name);
    }
    expect(overrides).toMatchObject({ MofBucketName: "${ArtifactBucket}", MofKeyPrefix: MOF_PREFIX });
    // dependencies.yaml: the revision bucket is the artifact bucket (CodeDeploy reads the revision there).
    const deps = JSON.parse(prepare.find((a) => a.Name === "Dependencies")!.Configuration.ParameterOverrides["Fn::Sub"]) as Record<string, string>;
    expect(deps.RevisionBucketName).toBe("${ArtifactBucket}");
  });

  describe("least privilege", () => {
    it("no Resource is * except for the actions with no resource-level permissions", () => {
      const starred = roleStatements(resources).filter(([, s]) => asList(s.Resource as unknown).includes("*"));
      for (const [id, s] of starred) {
        for (const action of asList(s.Action)) expect(Object.keys(ANY_RESOURCE), `${id} ${s.Sid} ${action}`).toContain(action);
      }
      expect(roleStatements(resources).every(([, s]) => s.Effect === "Allow" && !asList(s.Action).some((a) => a.includes("*")))).toBe(true);
    });

    it("iam:PassRole is scoped to named roles and the services they are passed to", () => {
      const pass = roleStatements(resources).filter(([, s]) => asList(s.Action).includes("iam:PassRole"));
      expect(pass.map(([id, s]) => [id, s.Sid])).toEqual([
        ["DeployRole", "PassStackRoles"],
        ["PipelineRole", "PassDeployRole"],
      ]);
      for (const [, s] of pass) {
        expect(asList(s.Action)).toEqual(["iam:PassRole"]);
        expect(s.Condition?.StringEquals?.["iam:PassedToService"]).toBeDefined();
        expect(JSON.stringify(s.Resource)).not.toMatch(/role\/\*/);
      }
      const pipelinePass = pass.find(([id]) => id === "PipelineRole")![1];
      expect(pipelinePass.Resource).toEqual([{ "Fn::GetAtt": ["DeployRole", "Arn"] }]);
      expect(pipelinePass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } });
      const stackPass = pass.find(([id]) => id === "DeployRole")![1];
      expect(stackPass.Resource).toEqual([{ "Fn::Sub": `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${names.dependenciesStack}-*` }]);
    });

    it("each role is assumed by its own service, and the pipeline reaches only its stacks, project, connection and deployment group", () => {
      const trust = (id: string) => ((resources[id]!.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement.map((s) => s.Principal));
      expect(trust("BuildRole")).toEqual([{ Service: "codebuild.amazonaws.com" }]);
      expect(trust("DeployRole")).toEqual([{ Service: "cloudformation.amazonaws.com" }]);
      expect(trust("PipelineRole")).toEqual([{ Service: "codepipeline.amazonaws.com" }]);
      const pipeline = Object.fromEntries(roleStatements(resources).filter(([id]) => id === "PipelineRole").map(([, s]) => [s.Sid, s.Resource]));
      expect(pipeline.ChangeSets).toEqual([
        { "Fn::Sub": `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stack/${names.dependenciesStack}/*` },
        { "Fn::Sub": `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stack/${names.systemsManagerStack}/*` },
      ]);
      expect(pipeline.Build).toEqual([{ "Fn::GetAtt": ["BuildProject", "Arn"] }]);
      expect(pipeline.Deploy).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:docutap/docutap-fleet" }]);
      // The build writes only the DSC documents' prefix outside pipeline artifacts, and lists only it.
      const buildRole = Object.fromEntries(roleStatements(resources).filter(([id]) => id === "BuildRole").map(([, s]) => [s.Sid, s]));
      expect(buildRole.UploadDscDocuments!.Resource).toEqual([{ "Fn::Sub": `\${ArtifactBucket.Arn}/${MOF_PREFIX}*` }]);
      // New keys only: the live association still reads the last MOF, so the build may not delete (or list) them.
      expect(buildRole.UploadDscDocuments!.Action).toEqual(["s3:PutObject"]);
      expect(buildRole.ListDscDocuments).toBeUndefined();
    });

    it("the deploy role covers the resource types the Systems Manager stack creates", () => {
      const services = new Set(roleStatements(resources).filter(([id]) => id === "DeployRole").flatMap(([, s]) => asList(s.Action).map((a) => a.split(":")[0]!)));
      const ssmTemplate = parseCfn(textOf(build, "cloudformation/systems-manager.yaml"));
      const SERVICE: Record<string, string> = { SSM: "ssm", SNS: "sns", Events: "events", KMS: "kms", IAM: "iam", CodeDeploy: "codedeploy", Logs: "logs", CloudWatch: "cloudwatch" };
      for (const r of Object.values(resourcesOf(ssmTemplate))) expect([...services], r.Type).toContain(SERVICE[r.Type.split("::")[1]!]);
      for (const type of ["IAM", "CodeDeploy"]) expect([...services]).toContain(SERVICE[type]);
    });
  });
});

describe("the pipeline template of other builds", () => {
  for (const name of ["stack-targets", "sub-right"]) {
    it(`${name}: valid for every condition assignment, every reference declared`, async () => {
      const build = await compileFixture(name);
      assertOk(build, `fixture ${name}`);
      const template = parseCfn(textOf(build, TEMPLATE));
      expect(checkTemplate(template)).toEqual([]);
      expect(unresolved(template)).toEqual([]);
    });
  }

  // The overrides come from the same template functions that write the two stacks (pipelineInput):
  // a parameter the pipeline passes must be declared there, and every one without a default passed.
  for (const name of ["pipeline-overrides", "stack-targets"]) {
    it(`${name}: each change set passes only parameters its template declares, and every one it requires`, async () => {
      const build = await compileFixture(name);
      assertOk(build, `fixture ${name}`);
      const template = parseCfn(textOf(build, TEMPLATE));
      const prepare = ((resourcesOf(template).Pipeline!.Properties as { Stages: { Name?: string; Actions: Record<string, any>[] }[] }).Stages.find((s) => s.Name === "Prepare")!).Actions;
      const own = Object.keys(template.Parameters as object);
      const required: Record<string, string[]> = {};
      for (const action of prepare) {
        const stack = parseCfn(textOf(build, action.Configuration.TemplatePath.replace("BuildOutput::", "")));
        const declared = stack.Parameters as Record<string, { Default?: unknown }>;
        // (!Sub with a variable, else the plain text: a !Sub without one is cfn-lint's W1020)
        const given = action.Configuration.ParameterOverrides as string | { "Fn::Sub": string };
        const overrides = JSON.parse(typeof given === "string" ? given : given["Fn::Sub"]) as Record<string, string>;
        expect(Object.keys(overrides).filter((k) => !(k in declared)), action.Name).toEqual([]);
        required[action.Name] = Object.entries(declared).filter(([, p]) => p.Default === undefined).map(([n]) => n);
        expect(required[action.Name]!.filter((n) => !(n in overrides)), action.Name).toEqual([]);
        // A passed-through value is a parameter of the pipeline stack.
        for (const [key, value] of Object.entries(overrides)) if (value === `\${${key}}`) expect(own, `${action.Name} ${key}`).toContain(key);
      }
      if (name === "pipeline-overrides") {
        // Not vacuous: user parameters without a default and the MOF bucket reach the dependency stack.
        expect(required.Dependencies).toEqual(["Environment", "RevisionBucketName", "MofBucketName"]);
        expect(required.SystemsManager).toEqual(["Environment", "MofBucketName", "AlertEmail"]);
        expect(own).not.toContain("Region");
        // Team is declared in fleetform.config.ts and used by nothing: neither stack declares it, and
        // the deployer is not asked for it (it was, twice, before templates dropped unused parameters).
        expect(own).not.toContain("Team");
      }
    });
  }

  it("a prefix that is no stack name (digits first, dots) still gives valid stack and connection names", () => {
    const n = pipelineNames("9.fleet_a");
    for (const stack of [n.dependenciesStack, n.systemsManagerStack]) expect(stack).toMatch(/^[A-Za-z][-A-Za-z0-9]{0,127}$/);
    expect(pipelineNames("x".repeat(60)).connection.length).toBeLessThanOrEqual(32);
    const template = parseCfn(pipelineYaml(starterPipelineInput("9.fleet_a")), "1.1");
    expect(checkTemplate(template)).toEqual([]);
    expect(unresolved(template)).toEqual([]);
  });

  it("init's pipeline.yaml is the starter input's template and parses", () => {
    const files = initFiles("my-fleet", "0.1.0");
    const template = parseCfn(files["pipeline.yaml"]!, "1.1");
    expect(checkTemplate(template)).toEqual([]);
    expect(unresolved(template)).toEqual([]);
    expect(files["fleetform.config.ts"]).toContain('prefix: "my-fleet"');
  });
});
