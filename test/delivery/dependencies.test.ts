// cloudformation/dependencies.yaml: the instance role and profile, the CodeDeploy application,
// service role and deployment group. Every resource against its registry schema and every policy
// document against cfn-lint's IAM schemas, for each true/false assignment of the template's
// conditions; every Ref/GetAtt/Sub target declared; the inline policy granting exactly what the
// program reads, with no "*" resource where the program knows the resource.
import type { ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { visit } from "yaml";
import type { CompileResult } from "../../compiler/index.js";
import { DEPENDENCIES_TEMPLATE, instancePolicy, instanceReads, parameterArn, secretArn } from "../../compiler/phases/4-emit/cloudformation/dependencies.js";
import type * as ir from "../../compiler/phases/3-lower/ir.js";
import { cfnAjv, concretize, conditionCases, intrinsics, policyValidators, readOnlyAttributes, registryValidator, unresolved } from "./cfn-check.js";
import { assertOk, buildDocutap, compileFixture, parseCfn, parseCfnDocument, resourcesOf, textOf, type CfnResource } from "./helpers.js";
import { sharedCompile } from "../helpers/shared-build.js";
import { decodeMof } from "../../compiler/mof/reader.js";
import { join } from "node:path";
import { repoRoot } from "./helpers.js";

const SCHEMAS: Record<string, string> = {
  "AWS::IAM::Role": "aws-iam-role.json",
  "AWS::IAM::InstanceProfile": "aws-iam-instanceprofile.json",
  "AWS::CodeDeploy::Application": "aws-codedeploy-application.json",
  "AWS::CodeDeploy::DeploymentGroup": "aws-codedeploy-deploymentgroup.json",
};
const ATTRIBUTES = Object.fromEntries(Object.entries(SCHEMAS).map(([type, file]) => [type, readOnlyAttributes(file)]));

/** Actions IAM grants only on Resource "*" (no resource-level permissions). */
const NO_RESOURCE_LEVEL = new Set(["ec2:DescribeInstances", "ec2:DescribeTags"]);

const ajv = cfnAjv();
const validators: Record<string, ValidateFunction> = Object.fromEntries(Object.entries(SCHEMAS).map(([type, file]) => [type, registryValidator(ajv, file)]));
const policies = policyValidators(ajv);

interface PolicyStatement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function errorsOf(validate: ValidateFunction, value: unknown, where: string): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

/** Values a deployer gives the key parameters (they must satisfy the parameters' AllowedPattern: checked below). */
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PARAMETER_VALUES = { ParameterKeyArn: KEY_ARN, SecretKeyArn: KEY_ARN };

/** Schema problems of a template, for every assignment of its conditions. */
function schemaProblems(template: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const conditions of conditionCases(template)) {
    const label = JSON.stringify(conditions);
    for (const [id, r] of Object.entries(resourcesOf(template))) {
      const validate = validators[r.Type];
      if (!validate) {
        problems.push(`${id}: no schema for ${r.Type}`);
        continue;
      }
      const properties = concretize(r.Properties, conditions, PARAMETER_VALUES) as Record<string, unknown>;
      problems.push(...errorsOf(validate, properties, `${label} ${id}`));
      if (r.Type === "AWS::IAM::Role") {
        problems.push(...errorsOf(policies.trust, properties.AssumeRolePolicyDocument, `${label} ${id}.AssumeRolePolicyDocument`));
        for (const p of (properties.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []) {
          problems.push(...errorsOf(policies.identity, p.PolicyDocument, `${label} ${id}.Policies.${p.PolicyName}`));
        }
      }
    }
  }
  return problems;
}

/** The inline policy statements of the instance role with every condition true (Fn::If unwrapped). */
function instanceStatements(template: Record<string, unknown>, conditions: Record<string, boolean> = {}): PolicyStatement[] {
  const role = resourcesOf(template).InstanceRole!;
  const policy = (role.Properties.Policies as { PolicyDocument: unknown }[])[0]!.PolicyDocument;
  // Resolve the Fn::Ifs but keep the other intrinsics: concretize only the If layer.
  const statements = (policy as { Statement: unknown[] }).Statement.map((s) => {
    const o = s as Record<string, unknown>;
    if ("Fn::If" in o) {
      const [name, then, otherwise] = o["Fn::If"] as [string, unknown, unknown];
      return conditions[name] === false ? otherwise : then;
    }
    return s;
  });
  return statements.filter((s) => JSON.stringify(s) !== JSON.stringify({ Ref: "AWS::NoValue" })) as PolicyStatement[];
}

const list = (x: string | string[]): string[] => (Array.isArray(x) ? x : [x]);

describe("cloudformation/dependencies.yaml (docutap)", () => {
  let build: CompileResult;
  let text: string;
  let template: Record<string, unknown>;
  let resources: Record<string, CfnResource>;

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    text = textOf(build, DEPENDENCIES_TEMPLATE);
    template = parseCfn(text);
    resources = resourcesOf(template);
  });

  it("has the role, the profile, the CodeDeploy application, service role and deployment group", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type]))).toEqual({
      InstanceRole: "AWS::IAM::Role",
      InstanceProfile: "AWS::IAM::InstanceProfile",
      CodeDeployServiceRole: "AWS::IAM::Role",
      CodeDeployApplication: "AWS::CodeDeploy::Application",
      DeploymentGroup: "AWS::CodeDeploy::DeploymentGroup",
    });
  });

  it("reads the same under YAML 1.1 (CloudFormation's reader) as under YAML 1.2, without anchors or aliases", () => {
    expect(parseCfn(text, "1.1")).toEqual(parseCfn(text, "1.2"));
    let aliases = 0;
    visit(parseCfnDocument(text), {
      Alias() {
        aliases++;
      },
    });
    expect(aliases).toBe(0);
  });

  it("every resource satisfies its registry schema and every policy document cfn-lint's IAM schema, with each condition true and false", () => {
    expect(conditionCases(template).length).toBe(2 ** Object.keys(template.Conditions as object).length);
    expect(conditionCases(template).length).toBeGreaterThanOrEqual(8);
    expect(schemaProblems(template)).toEqual([]);
  });

  it("the validators are not vacuous", () => {
    const role = validators["AWS::IAM::Role"]!;
    expect(role({ AssumeRolePolicyDocument: {} })).toBe(true);
    expect(role({})).toBe(false);
    expect(role({ AssumeRolePolicyDocument: {}, Bogus: 1 })).toBe(false);
    const group = validators["AWS::CodeDeploy::DeploymentGroup"]!;
    expect(group({ ApplicationName: "a", ServiceRoleArn: "arn:aws:iam::123456789012:role/x" })).toBe(true);
    expect(group({ ApplicationName: "a", ServiceRoleArn: "not-an-arn" })).toBe(false);
    expect(group({ ApplicationName: "a", ServiceRoleArn: "arn:aws:iam::123456789012:role/x", Ec2TagFilters: [{ Key: "a", Type: "TAG" }] })).toBe(false);
    expect(group({ ApplicationName: "a", ServiceRoleArn: "arn:aws:iam::123456789012:role/x", AutoRollbackConfiguration: { Events: ["SOMETIMES"] } })).toBe(false);
    const ok = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] };
    expect(policies.identity(ok)).toBe(true);
    expect(policies.identity({ ...ok, Statement: [{ Effect: "Allow", Action: "s3:GetObject", NotAction: "s3:PutObject", Resource: "*" }] })).toBe(false); // requiredXor
    expect(policies.identity({ ...ok, Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "bucket/*" }] })).toBe(false); // not an ARN
    expect(policies.identity({ ...ok, Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: "*" }] })).toBe(false); // identity policies have no principal
    expect(policies.trust({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] })).toBe(false); // no principal
  });

  it("every Ref, Sub variable, GetAtt and Fn::If condition names something the template declares", () => {
    const found = intrinsics({ Resources: template.Resources, Outputs: template.Outputs });
    expect(found.refs.length).toBeGreaterThan(0);
    expect(found.subVariables.length).toBeGreaterThan(0);
    expect(found.getAtts.length).toBeGreaterThan(0);
    expect(found.conditions.length).toBeGreaterThan(0);
    expect(unresolved(template, ATTRIBUTES)).toEqual([]);
    // and the check finds what is missing
    expect(unresolved({ ...template, Parameters: {} }, ATTRIBUTES)).toContain("!Ref ParameterKeyArn");
    expect(unresolved({ ...template, Resources: { ...resources, X: { Type: "AWS::IAM::Role", Properties: { Path: { "Fn::GetAtt": ["InstanceRole", "Bogus"] } } } } }, ATTRIBUTES)).toEqual([
      "!GetAtt InstanceRole.Bogus: AWS::IAM::Role has no attribute Bogus",
    ]);
  });

  it("no plain string contains ${: only !Sub nodes substitute", () => {
    const plain: string[] = [];
    visit(parseCfnDocument(text), {
      Scalar(_key, node) {
        if (node.tag !== "!Sub" && typeof node.value === "string" && node.value.includes("${")) plain.push(node.value);
      },
    });
    expect(plain).toEqual([]);
  });

  describe("the instance role", () => {
    it("is assumed by EC2, has AmazonSSMManagedInstanceCore, and the profile holds it", () => {
      const role = resources.InstanceRole!.Properties;
      expect(role.AssumeRolePolicyDocument).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
      expect(role.ManagedPolicyArns).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" }]);
      expect(resources.InstanceProfile!.Properties.Roles).toEqual([{ Ref: "InstanceRole" }]);
    });

    it("no Resource is \"*\" except for actions without resource-level permissions", () => {
      for (const conditions of conditionCases(template)) {
        for (const s of instanceStatements(template, conditions)) {
          const star = JSON.stringify(s.Resource).includes('"*"') || s.Resource === "*";
          if (star) expect(list(s.Action).every((a) => NO_RESOURCE_LEVEL.has(a)), `${s.Sid}: ${JSON.stringify(s.Action)} on *`).toBe(true);
          for (const a of list(s.Action)) expect(a.includes("*"), `${s.Sid}: action ${a}`).toBe(false);
        }
      }
    });

    const statement = (sid: string): PolicyStatement => {
      const found = instanceStatements(template).filter((s) => s.Sid === sid);
      expect(found, sid).toHaveLength(1);
      return found[0]!;
    };
    const arn = (path: string): { "Fn::Sub": string } => ({ "Fn::Sub": `arn:\${AWS::Partition}:${path}` });

    it("ssm:GetParameter(s) on exactly the parameters the program reads: ssmParameter(...) and the CloudWatch agent's configuration", () => {
      const s = statement("ReadParameters");
      expect(s.Action).toEqual(["ssm:GetParameter", "ssm:GetParameters"]);
      expect(s.Resource).toEqual([
        arn("ssm:${AWS::Region}:${AWS::AccountId}:parameter/docutap/prod/artifact-bucket"),
        arn("ssm:${AWS::Region}:${AWS::AccountId}:parameter/docutap/prod/pm-license-key"),
        arn("ssm:${AWS::Region}:${AWS::AccountId}:parameter/AmazonCloudWatch-docutap-fleetform"),
      ]);
    });

    it("kms:Decrypt for the SecureString parameter only through SSM, on the key the stack parameter names, and only when it is given", () => {
      const s = statement("DecryptSecureParameters");
      expect(s).toEqual({
        Sid: "DecryptSecureParameters",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [{ Ref: "ParameterKeyArn" }],
        Condition: { StringEquals: { "kms:ViaService": { "Fn::Sub": "ssm.${AWS::Region}.amazonaws.com" } } },
      });
      expect(instanceStatements(template, { HasParameterKey: false }).map((x) => x.Sid)).not.toContain("DecryptSecureParameters");
      const parameter = (template.Parameters as Record<string, { Default?: string; AllowedPattern: string }>).ParameterKeyArn!;
      expect(parameter.Default).toBe("");
      // CloudFormation matches AllowedPattern against the whole value.
      const allows = (v: string): boolean => new RegExp(`^(?:${parameter.AllowedPattern})$`).test(v);
      expect([KEY_ARN, "", "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"].every(allows)).toBe(true);
      expect(["*", "alias/aws/ssm", "arn:aws:kms:us-east-1:123456789012:key/*", "arn:aws:kms:us-east-1:123456789012:alias/x", "arn:aws:iam::123456789012:root"].some(allows)).toBe(false);
    });

    it("secretsmanager:GetSecretValue on exactly the secret the program reads, with the six-character suffix wildcard", () => {
      const s = statement("ReadSecrets");
      expect(s.Action).toEqual(["secretsmanager:GetSecretValue"]);
      expect(s.Resource).toEqual([arn("secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:docutap/prod/pm-service-account-??????")]);
    });

    it("s3:GetObject on the MOFs of each DSC configuration (any sha256: the last one and the new one, while the association changes key) and on the revision prefix", () => {
      expect(statement("ReadDscDocuments").Resource).toEqual([arn("s3:::${MofBucketName}/${MofKeyPrefix}dsc/WindowsBaseline/*")]);
      expect(build.files.map((f) => f.path)).toContain("dsc/WindowsBaseline/localhost.mof");
      expect(statement("ReadDeploymentRevisions").Resource).toEqual([arn("s3:::${RevisionBucketName}/${RevisionKeyPrefix}*")]);
    });

    it("s3:PutObject of association output only when the stack has an output bucket", () => {
      expect(statement("WriteAssociationOutput").Resource).toEqual([arn("s3:::${OutputBucketName}/${OutputKeyPrefix}*")]);
      expect(instanceStatements(template, { HasOutputBucket: false }).map((x) => x.Sid)).not.toContain("WriteAssociationOutput");
    });

    it("ssm:PutComplianceItems because WindowsBaseline reports compliance; ec2:DescribeInstances and ec2:DescribeTags because its MOF has a {tag:Name} token", () => {
      expect(statement("ReportCompliance").Action).toEqual(["ssm:PutComplianceItems"]);
      expect(statement("ReadInstanceTags").Action).toEqual(["ec2:DescribeInstances", "ec2:DescribeTags"]);
      const mof = build.files.find((f) => f.path === "dsc/WindowsBaseline/localhost.mof")!.content;
      expect(decodeMof(mof as Uint8Array)).toContain("{tag:Name}");
    });

    it("CloudWatch Logs: the agent writes to the runtime's log group only", () => {
      const s = statement("WriteLogs");
      expect(s.Action).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
      expect(s.Resource).toEqual([arn("logs:${AWS::Region}:${AWS::AccountId}:log-group:/fleetform/docutap/runtime:*")]);
    });
  });

  describe("CodeDeploy", () => {
    it("the deployment group's EC2 tag filters are the union of the configurations' targets, with automatic rollback", () => {
      const group = resources.DeploymentGroup!.Properties;
      const expected = new Set(build.program!.configurations.flatMap((c) => c.targets.values.map((v) => JSON.stringify({ Key: c.targets.tag, Value: v.kind === "literal" ? v.value : v }))));
      const filters = group.Ec2TagFilters as { Key: string; Value: unknown; Type: string }[];
      expect(filters.every((f) => f.Type === "KEY_AND_VALUE")).toBe(true);
      expect(new Set(filters.map((f) => JSON.stringify({ Key: f.Key, Value: f.Value })))).toEqual(expected);
      expect(filters).toHaveLength(expected.size);
      expect(filters.map((f) => f.Value)).toEqual(["windows-prod", "windows-prod-db"]);
      expect(group.AutoRollbackConfiguration).toEqual({ Enabled: true, Events: ["DEPLOYMENT_FAILURE"] });
      expect(group.ApplicationName).toEqual({ Ref: "CodeDeployApplication" });
      expect(group.ServiceRoleArn).toEqual({ "Fn::GetAtt": ["CodeDeployServiceRole", "Arn"] });
    });

    it("the service role is CodeDeploy's, with AWSCodeDeployRole", () => {
      const role = resources.CodeDeployServiceRole!.Properties;
      expect(role.AssumeRolePolicyDocument).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }] });
      expect(role.ManagedPolicyArns).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole" }]);
    });
  });
});

describe("derivation on other programs", () => {
  let stackTargets: Promise<CompileResult> | undefined;
  const stackTargetsBuild = (): Promise<CompileResult> => (stackTargets ??= compileFixture("stack-targets"));

  it("stack-parameter targets go into the deployment group through Ref/Sub, and the template still checks", async () => {
    const build = await stackTargetsBuild();
    assertOk(build, "fixture stack-targets");
    const template = parseCfn(textOf(build, DEPENDENCIES_TEMPLATE));
    const filters = resourcesOf(template).DeploymentGroup!.Properties.Ec2TagFilters as { Value: unknown }[];
    expect(filters.some((f) => typeof f.Value === "object")).toBe(true);
    expect(unresolved(template, ATTRIBUTES)).toEqual([]);
    expect(schemaProblems(template)).toEqual([]);
  });

  it("the golden case 'values': every secret and parameter the IR holds, and nothing else", async () => {
    const build = await sharedCompile(join(repoRoot, "test", "golden", "cases", "values", "input"));
    assertOk(build, "golden case values");
    // Independently of the emitter's walk: every runtime value anywhere in the IR's JSON.
    const runtimes: ir.RuntimeExpr[] = [];
    JSON.stringify(build.program, (_k, v: unknown) => {
      if (v !== null && typeof v === "object" && (v as { kind?: string }).kind === "runtime") runtimes.push(v as ir.RuntimeExpr);
      return v;
    });
    const reads = instanceReads(build.program!);
    expect(new Set(reads.secrets)).toEqual(new Set(runtimes.filter((r) => r.source === "secretsManager" || r.source === "credential").map((r) => r.name)));
    const literalParameters = reads.parameters.filter((p) => p.name.kind === "literal").map((p) => (p.name as { value: string }).value);
    expect(new Set(literalParameters)).toEqual(new Set(runtimes.filter((r) => r.source === "ssmParameter").map((r) => r.name)));
    expect(reads.secrets.length + literalParameters.length).toBeGreaterThan(0);
    const template = parseCfn(textOf(build, DEPENDENCIES_TEMPLATE));
    expect(unresolved(template, ATTRIBUTES)).toEqual([]);
    expect(schemaProblems(template)).toEqual([]);
  });

  it("a program reading nothing (fixture stack-targets: no ssmParameter, secret, DSC or CloudWatch agent) gets no statement for it", async () => {
    const build = await stackTargetsBuild();
    const reads = instanceReads(build.program!);
    // Its runs still report to SSM Compliance and its runtime log group exists for the agent.
    const names = build.program!.configurations.filter((c) => c.delivery.runCommand).map((c) => `Custom:Fleetform_${c.name}`);
    expect(reads).toMatchObject({ parameters: [], secrets: [], apiTags: [], mofKeys: [], complianceTypes: names.sort(), logGroups: [{ kind: "literal", value: `/fleetform/${build.program!.stack.prefix}/runtime` }] });
    const sids = instancePolicy(build.program!).map((s) => s.sid);
    expect(sids.filter((s) => s !== "WriteAssociationOutput")).toEqual(["ReadDeploymentRevisions", "ReportCompliance", "WriteLogs"]);
    const template = parseCfn(textOf(build, DEPENDENCIES_TEMPLATE));
    expect(Object.keys(template.Parameters as object)).not.toContain("ParameterKeyArn");
    expect(Object.keys(template.Parameters as object)).not.toContain("MofBucketName");
  });
});

describe("ARNs of hostile names", () => {
  it("a ${ in a name stays literal text in the !Sub (Fn::Sub's ${! escape), and an ARN is kept as it is", () => {
    const p = parameterArn({ kind: "literal", value: "/a/${AWS::AccountId}/b" });
    expect(p).toEqual({ kind: "sub", template: "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/a/${!AWS::AccountId}/b" });
    expect(concretize({ "Fn::Sub": (p as { template: string }).template })).toBe("arn:aws:ssm:us-east-1:123456789012:parameter/a/${AWS::AccountId}/b");
    expect(secretArn("x${Y}")).toEqual({ kind: "sub", template: "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:x${!Y}-??????" });
    expect(secretArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")).toEqual({ kind: "literal", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" });
    expect(parameterArn({ kind: "literal", value: "name" })).toEqual({ kind: "sub", template: "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/name" });
  });
});
