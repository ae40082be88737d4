// cloudformation/systems-manager.yaml of the docutap build: the AWS::SSM::Document and
// AWS::SSM::Association resources against the CloudFormation registry schemas, intrinsic functions
// that only point at things the template declares, and the delivery each configuration asks for.
import { createHash } from "node:crypto";
import { Ajv, type ValidateFunction } from "ajv";
import { concretize, intrinsics, referenceable, registryRegExp, registryValidator } from "./cfn-check.js";
import { beforeAll, describe, expect, it } from "vitest";
import { isScalar, parse, visit } from "yaml";
import type { CompileResult } from "../../compiler/index.js";
import { assertOk, buildDocutap, compileFixture, parseCfn, parseCfnDocument, resourcesOf, textOf, type CfnResource } from "./helpers.js";

const TEMPLATE = "cloudformation/systems-manager.yaml";
/** Parameters the schemas constrain beyond a name pattern: values a deployer could give. */
const DEPLOYER_VALUES = { LogKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" };

// ---------------------------------------------------------------------------------------------
// What examples/docutap/configurations/*.ts and fleetform.config.ts ask for

const RUN_COMMAND = {
  AppServer: { tag: "SSM_Association", values: ["windows-prod"], schedule: "rate(30 minutes)" },
  DatabaseServer: { tag: "SSM_Association", values: ["windows-prod-db"], schedule: "rate(30 minutes)" },
} as const;
const MOF = {
  WindowsBaseline: { tag: "SSM_Association", values: ["windows-prod", "windows-prod-db"], schedule: "rate(1 day)", rebootBehavior: "AfterMof", mode: "Apply" },
} as const;
const FLEET_TARGETS = [{ Key: "tag:SSM_Association", Values: [{ "Fn::Sub": "windows-${Environment}" }, { "Fn::Sub": "windows-${Environment}-db" }] }];

describe("cloudformation/systems-manager.yaml (docutap)", () => {
  let build: CompileResult;
  let text: string;
  let template: Record<string, unknown>;
  let resources: Record<string, CfnResource>;
  const ofType = (type: string): [string, CfnResource][] => Object.entries(resources).filter(([, r]) => r.Type === type);

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    text = textOf(build, TEMPLATE);
    template = parseCfn(text);
    resources = resourcesOf(template);
  });

  it("parses as YAML with the short-form tags and has the template sections", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.keys(template)).toEqual(expect.arrayContaining(["Parameters", "Resources"]));
    expect(ofType("AWS::SSM::Document").length).toBeGreaterThan(0);
    expect(ofType("AWS::SSM::Association").length).toBeGreaterThan(0);
  });

  describe("against the CloudFormation registry schemas (intrinsics replaced by plausible literals)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: registryRegExp } });
    const validators: Record<string, ValidateFunction> = {
      "AWS::SSM::Document": registryValidator(ajv, "aws-ssm-document.json"),
      "AWS::SSM::Association": registryValidator(ajv, "aws-ssm-association.json"),
      "AWS::SNS::Topic": registryValidator(ajv, "aws-sns-topic.json"),
      "AWS::SNS::TopicPolicy": registryValidator(ajv, "aws-sns-topicpolicy.json"),
      "AWS::KMS::Key": registryValidator(ajv, "aws-kms-key.json"),
      "AWS::SSM::Parameter": registryValidator(ajv, "aws-ssm-parameter.json"),
      "AWS::Logs::LogGroup": registryValidator(ajv, "aws-logs-loggroup.json"),
      "AWS::Logs::MetricFilter": registryValidator(ajv, "aws-logs-metricfilter.json"),
      "AWS::Logs::QueryDefinition": registryValidator(ajv, "aws-logs-querydefinition.json"),
      "AWS::CloudWatch::Alarm": registryValidator(ajv, "aws-cloudwatch-alarm.json"),
      "AWS::CloudWatch::Dashboard": registryValidator(ajv, "aws-cloudwatch-dashboard.json"),
    };

    for (const type of Object.keys(validators)) {
      it(`every ${type} satisfies its registry schema`, () => {
        const validate = validators[type]!;
        const found = ofType(type);
        expect(found.length).toBeGreaterThan(0);
        const problems = found.flatMap(([id, r]) =>
          validate(concretize(r.Properties, {}, DEPLOYER_VALUES)) ? [] : (validate.errors ?? []).map((e) => `${id}${e.instancePath}: ${e.message ?? ""} ${JSON.stringify(e.params)}`),
        );
        expect(problems).toEqual([]);
      });
    }

    it("the validators are not vacuous: they reject a bad name, a bad target count and an unknown property", () => {
      const association = validators["AWS::SSM::Association"]!;
      expect(association({ Name: "AWS-RunPatchBaseline" })).toBe(true);
      expect(association({ Name: "x" })).toBe(false); // 3 to 200 characters
      expect(association({ Name: "AWS-RunPatchBaseline", MaxConcurrency: "0" })).toBe(false);
      expect(association({ Name: "AWS-RunPatchBaseline", Targets: Array.from({ length: 6 }, () => ({ Key: "tag:A", Values: ["b"] })) })).toBe(false);
      expect(association({ Name: "AWS-RunPatchBaseline", Parameters: { Operation: "Scan" } })).toBe(false); // values are lists
      const document = validators["AWS::SSM::Document"]!;
      expect(document({ Content: {}, Name: "docutap-AppServer" })).toBe(true);
      expect(document({ Content: {}, Bogus: 1 })).toBe(false);
      expect(document({ Content: {}, UpdateMethod: "Overwrite" })).toBe(false);
      expect(document({ Name: "docutap-AppServer" })).toBe(false); // Content is required
    });

    it("concretize() replaces intrinsics as documented", () => {
      expect(
        concretize({
          A: { Ref: "OutputBucketName" },
          B: { "Fn::Sub": "${OutputKeyPrefix}AppServer/" },
          C: { "Fn::GetAtt": ["X", "AssociationId"] },
          D: { "Fn::If": ["HasOutputBucket", { S3Location: { OutputS3BucketName: { Ref: "OutputBucketName" } } }, { Ref: "AWS::NoValue" }] },
          E: { Ref: "AWS::NoValue" },
          F: ["a", { Ref: "AWS::NoValue" }],
        }),
      ).toEqual({ A: "ref-outputbucketname", B: "xAppServer/", C: "getatt-x", D: { S3Location: { OutputS3BucketName: "ref-outputbucketname" } }, F: ["a"] });
    });
  });

  describe("intrinsic functions", () => {
    it("no plain string contains ${ : only !Sub nodes substitute", () => {
      const doc = parseCfnDocument(text);
      const plain: string[] = [];
      let subs = 0;
      visit(doc, {
        Scalar(_key, node) {
          if (node.tag === "!Sub") subs++;
          else if (typeof node.value === "string" && node.value.includes("${")) plain.push(node.value);
        },
      });
      expect(plain).toEqual([]);
      expect(subs).toBeGreaterThan(0);
    });

    it("every !Ref and every !Sub variable is a declared parameter, a pseudo parameter or a resource", () => {
      const known = referenceable(template);
      const found = intrinsics({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions });
      expect(found.refs.length).toBeGreaterThan(0);
      expect(found.subVariables.length).toBeGreaterThan(0);
      expect(found.refs.filter((r) => !known.has(r))).toEqual([]);
      // ${Resource.Attribute} in a Sub is a GetAtt: its resource must exist.
      expect(found.subVariables.filter((v) => !known.has(v.split(".")[0]!) || (v.includes(".") && !(v.split(".")[0]! in resources)))).toEqual([]);
    });

    it("every !GetAtt names a resource of the template (associations by AssociationId)", () => {
      const found = intrinsics(template.Resources);
      expect(found.getAtts.length).toBeGreaterThan(0);
      for (const [id, attribute] of found.getAtts) {
        expect(Object.keys(resources), `!GetAtt ${id}.${attribute}`).toContain(id);
        if (resources[id]!.Type === "AWS::SSM::Association") expect(attribute).toBe("AssociationId");
      }
    });

    it("every Fn::If condition is declared in Conditions", () => {
      const found = intrinsics(template.Resources);
      expect(found.conditions.length).toBeGreaterThan(0);
      for (const c of found.conditions) expect(Object.keys((template.Conditions as object | undefined) ?? {})).toContain(c);
    });

    it("parameters without a default are only those a deployer must give (MOF bucket, alert email, docutap's log key)", () => {
      const parameters = template.Parameters as Record<string, { Type: string; Default?: string }>;
      // The log retention is stack.logs.retentionDays (a number in the template, not a parameter); every parameter is text.
      for (const [name, p] of Object.entries(parameters)) expect(p.Type, name).toBe("String");
      expect(
        Object.entries(parameters)
          .filter(([, p]) => p.Default === undefined)
          .map(([n]) => n)
          .sort(),
      ).toEqual(["AlertEmail", "LogKmsKeyArn", "MofBucketName"]);
      expect(parameters.Environment).toMatchObject({ AllowedValues: ["prod", "staging"], Default: "prod" });
    });
  });

  describe("failure alerts: an encrypted topic only this stack's rule publishes to, and checked parameters", () => {
    it("the topic is encrypted with a key of the stack's own that EventBridge may use (the AWS managed alias/aws/sns does not allow it)", () => {
      const topic = resources.AssociationFailureTopic!;
      expect(topic.Properties.KmsMasterKeyId).toEqual({ Ref: "AssociationFailureTopicKey" });
      const key = resources.AssociationFailureTopicKey!;
      expect(key.Type).toBe("AWS::KMS::Key");
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const statements = (key.Properties.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
      const events = statements.find((st) => JSON.stringify(st.Principal) === JSON.stringify({ Service: "events.amazonaws.com" }))!;
      expect(events.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
      expect(events.Condition).toEqual({ StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } });
      // The account keeps control of its key (a key policy without it would lock the account out).
      expect(statements.some((st) => JSON.stringify(st.Principal) === JSON.stringify({ AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } }) && st.Action === "kms:*")).toBe(true);
    });

    it("the topic policy lets only the failure rule of this account publish (aws:SourceArn, aws:SourceAccount)", () => {
      const policy = resources.AssociationFailureTopicPolicy!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] };
      // The rule, and the stack's CloudWatch alarms (named docutap-...), of this account only.
      expect(policy.Statement).toHaveLength(2);
      expect(policy.Statement[0]!.Condition).toEqual({
        ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": ["AssociationFailureRule", "Arn"] } },
        StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
      });
      expect(policy.Statement[1]!.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      expect(policy.Statement[1]!.Condition).toEqual({
        ArnLike: { "aws:SourceArn": { "Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:docutap-*" } },
        StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
      });
      expect((resources.AssociationFailureRule!.Properties.Targets as { Arn: unknown }[])[0]!.Arn).toEqual({ Ref: "AssociationFailureTopic" });
    });

    const parameter = (name: string): { AllowedPattern?: string; Default?: string } => (template.Parameters as Record<string, { AllowedPattern?: string; Default?: string }>)[name]!;
    // CloudFormation matches AllowedPattern against the whole value (Java regex); these patterns mean the same in JavaScript.
    const allows = (name: string, value: string): boolean => new RegExp(`^(?:${parameter(name).AllowedPattern!})$`).test(value);

    it("bucket parameters take S3 bucket names only; the output bucket may stay empty", () => {
      for (const good of ["my-bucket", "a.b-c", "abc", "x".repeat(63)]) {
        expect(allows("OutputBucketName", good), good).toBe(true);
        expect(allows("MofBucketName", good), good).toBe(true);
      }
      expect(allows("OutputBucketName", "")).toBe(true);
      expect(allows("MofBucketName", "")).toBe(false);
      for (const bad of ["ab", "x".repeat(64), "My-Bucket", "-abc", "abc-", "a..b", "192.168.1.1", "xn--abc", "abc-s3alias", "a_b", "a b", "abc\u2028", "bucket:key"]) {
        expect(allows("OutputBucketName", bad), bad).toBe(false);
        expect(allows("MofBucketName", bad), bad).toBe(false);
      }
    });

    it("key prefix parameters take folders of S3's safe characters ending in /, and their defaults pass", () => {
      for (const name of ["OutputKeyPrefix", "MofKeyPrefix"]) {
        expect(allows(name, parameter(name).Default!), `${name} default`).toBe(true);
        for (const good of ["", "fleet/", "a/b-c_d.e/", "(x)!*'/"]) expect(allows(name, good), good).toBe(true);
        for (const bad of ["fleet", "/fleet/", "a//", "../", "a/../", "s3:x/", "a b/", "a\nb/", "ü/"]) expect(allows(name, bad), bad).toBe(false);
      }
    });

    it("the alert email parameter takes one address", () => {
      for (const good of ["ops@example.com", "a.b+c@sub.example.co.uk"]) expect(allows("AlertEmail", good), good).toBe(true);
      for (const bad of ["", "ops", "ops@", "@example.com", "a@b", "Ops <ops@example.com>", "a@example.com,b@example.com", "a@example.com\n"]) expect(allows("AlertEmail", bad), bad).toBe(false);
    });
  });

  describe("delivery per configuration", () => {
    it("the configurations delivered through Run Command and as MOFs are the ones the config repo declares", () => {
      const configurations = build.program!.configurations;
      expect(configurations.filter((c) => c.delivery.runCommand).map((c) => c.name)).toEqual(Object.keys(RUN_COMMAND));
      expect(configurations.filter((c) => c.delivery.dsc).map((c) => c.name)).toEqual(Object.keys(MOF));
    });

    for (const [name, expected] of Object.entries(RUN_COMMAND)) {
      it(`${name}: a NewVersion YAML Command document with exactly ssm/${name}.yaml, and an association running it on schedule and targets`, () => {
        const content = parse(textOf(build, `ssm/${name}.yaml`)) as Record<string, unknown>;
        const documents = ofType("AWS::SSM::Document").filter(([, r]) => JSON.stringify(r.Properties.Content) === JSON.stringify(content));
        expect(documents.map(([id]) => id)).toHaveLength(1);
        const [docId, doc] = documents[0]!;
        expect(doc.Properties.Content).toEqual(content);
        expect(doc.Properties).toMatchObject({ Name: `docutap-${name}`, DocumentType: "Command", DocumentFormat: "YAML", UpdateMethod: "NewVersion" });

        const associations = ofType("AWS::SSM::Association").filter(([, r]) => JSON.stringify(r.Properties.Name) === JSON.stringify({ Ref: docId }));
        expect(associations).toHaveLength(1);
        const a = associations[0]![1].Properties;
        expect(a.ScheduleExpression).toBe(expected.schedule);
        expect(a.Targets).toEqual([{ Key: `tag:${expected.tag}`, Values: [...expected.values] }]);
        // The association's parameters are the document's, with allowed values.
        const docParameters = content.parameters as Record<string, { allowedValues?: string[] }>;
        for (const [p, values] of Object.entries(a.Parameters as Record<string, string[]>)) {
          expect(Object.keys(docParameters), `association parameter ${p}`).toContain(p);
          for (const v of values) if (docParameters[p]!.allowedValues) expect(docParameters[p]!.allowedValues).toContain(v);
        }
        expect(a.Parameters).toEqual({ Mode: ["apply"] });
      });
    }

    for (const [name, expected] of Object.entries(MOF)) {
      it(`${name}: an AWS-ApplyDSCMofs association applying dsc/${name}/localhost.mof from the build, compliance Custom:${name}`, () => {
        const associations = ofType("AWS::SSM::Association").filter(
          ([, r]) => r.Properties.Name === "AWS-ApplyDSCMofs" && new RegExp(`dsc/${name}/[0-9a-f]{16}/localhost\\.mof`).test(JSON.stringify(r.Properties.Parameters)),
        );
        expect(associations).toHaveLength(1);
        const a = associations[0]![1].Properties;
        const parameters = a.Parameters as Record<string, unknown[]>;
        expect(parameters.MofsToApply).toHaveLength(1);
        const mofs = parameters.MofsToApply![0] as { "Fn::Sub": string };
        // s3:<bucket>:<key>, the bucket and key prefix being stack parameters.
        expect(mofs).toEqual({ "Fn::Sub": expect.stringMatching(new RegExp(`^s3:\\$\\{MofBucketName\\}:\\$\\{MofKeyPrefix\\}dsc/${name}/[0-9a-f]{16}/localhost\\.mof$`)) });
        const key = mofs["Fn::Sub"].replace("s3:${MofBucketName}:${MofKeyPrefix}", "");
        // The key's folder is the sha256 of the MOF in the build output (what the buildspec uploads there).
        const [, folder, hash] = /^(dsc\/[^/]+)\/([0-9a-f]{16})\/localhost\.mof$/.exec(key)!;
        const mof = build.files.find((f) => f.path === `${folder}/localhost.mof`);
        expect(mof).toBeDefined();
        expect(createHash("sha256").update(mof!.content).digest("hex").slice(0, 16)).toBe(hash);
        expect(parameters.ComplianceType).toEqual([`Custom:${name}`]);
        expect(parameters.RebootBehavior).toEqual([expected.rebootBehavior]);
        expect(parameters.MofOperationMode).toEqual([expected.mode]);
        // Every value of an SSM association parameter is a string.
        for (const values of Object.values(parameters)) for (const v of values) expect(typeof v === "string" || (typeof v === "object" && v !== null && "Fn::Sub" in v)).toBe(true);
        expect(a.ScheduleExpression).toBe(expected.schedule);
        expect(a.Targets).toEqual([{ Key: `tag:${expected.tag}`, Values: [...expected.values] }]);
        // No run-command document for it.
        expect(ofType("AWS::SSM::Document").map(([, r]) => r.Properties.Name)).not.toContain(`docutap-${name}`);
      });
    }
  });

  describe("fleet-wide associations", () => {
    const fleet = (document: string): Record<string, unknown> => {
      const found = ofType("AWS::SSM::Association").filter(([, r]) => r.Properties.Name === document);
      expect(found, document).toHaveLength(1);
      return found[0]![1].Properties;
    };

    it("AWS-RunPatchBaseline scans (installs nothing)", () => {
      const a = fleet("AWS-RunPatchBaseline");
      expect(a.Parameters).toEqual({ Operation: ["Scan"] });
      expect(a.Targets).toEqual(FLEET_TARGETS);
      expect(a.ScheduleExpression).toBe("rate(1 day)");
    });

    it("AWS-GatherSoftwareInventory", () => {
      const a = fleet("AWS-GatherSoftwareInventory");
      expect(a.Targets).toEqual(FLEET_TARGETS);
      expect(Object.values(a.Parameters as Record<string, string[]>).every((v) => v.length === 1 && v[0] === "Enabled")).toBe(true);
    });

    it("AWS-UpdateSSMAgent never downgrades (the seed had allowDowngrade=true)", () => {
      const a = fleet("AWS-UpdateSSMAgent");
      expect(a.Parameters).toEqual({ allowDowngrade: ["false"] });
      expect(a.Targets).toEqual(FLEET_TARGETS);
    });

    it("AWS-ConfigureAWSPackage installs the CodeDeploy agent and the CloudWatch agent (Distributor's AWS packages)", () => {
      const found = ofType("AWS::SSM::Association").filter(([, r]) => r.Properties.Name === "AWS-ConfigureAWSPackage").map(([, r]) => r.Properties);
      expect(found.map((a) => a.Parameters).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))).toEqual([
        { action: ["Install"], name: ["AWSCodeDeployAgent"] },
        { action: ["Install"], name: ["AmazonCloudWatchAgent"] },
      ]);
      for (const a of found) expect(a.Targets).toEqual(FLEET_TARGETS);
    });

    it("AmazonCloudWatch-ManageAgent configures the agent from the parameter the stack generates", () => {
      const a = fleet("AmazonCloudWatch-ManageAgent");
      expect(a.Targets).toEqual(FLEET_TARGETS);
      expect(a.Parameters).toMatchObject({
        action: ["configure"],
        mode: ["ec2"],
        optionalConfigurationSource: ["ssm"],
        optionalConfigurationLocation: [{ Ref: "AgentConfigParameter" }],
        optionalRestart: ["yes"],
      });
    });

    it("the alert rule watches every association of the template, and only those", () => {
      const associationIds = ofType("AWS::SSM::Association").map(([id]) => id);
      const rules = ofType("AWS::Events::Rule");
      expect(rules).toHaveLength(1);
      const pattern = rules[0]![1].Properties.EventPattern as { source: string[]; "detail-type": string[]; detail: { status: string[]; "association-id": unknown[] } };
      expect(pattern.source).toEqual(["aws.ssm"]);
      expect(pattern["detail-type"]).toEqual(["EC2 State Manager Instance Association State Change"]);
      expect(pattern.detail.status).toEqual(["Failed"]);
      const watched = pattern.detail["association-id"].map((x) => (x as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"]);
      expect(watched.every(([, attribute]) => attribute === "AssociationId")).toBe(true);
      expect(watched.map(([id]) => id).sort()).toEqual([...associationIds].sort());
    });
  });

  // BUG (compiler/phases/4-emit/cloudformation/index.ts, stdlib/associations.ts): the template is
  // stringified as YAML 1.2, which leaves `yes` unquoted, but CloudFormation reads templates as
  // YAML 1.1, where `yes` is the boolean true (aws/aws-cli#5257; ASFHyP3/hyp3#2061: unquoted YES/NO
  // became "true"/"false"). The CloudWatch association's `optionalRestart: [yes]` reaches SSM as
  // "true", which AmazonCloudWatch-ManageAgent does not accept (yes | no). Expected: every scalar
  // reads the same under YAML 1.1 and 1.2 (quote y/n/yes/no/on/off like true/false are quoted).
  it("reads the same under YAML 1.1 (CloudFormation's parser) as under YAML 1.2", () => {
    expect(parseCfn(text, "1.1")).toEqual(parseCfn(text, "1.2"));
  });

  it("apart from that one value, YAML 1.1 and 1.2 read the template alike", () => {
    const a = parseCfn(text, "1.1");
    const b = parseCfn(text, "1.2");
    const differences: string[] = [];
    const walk = (x: unknown, y: unknown, path: string): void => {
      if (x !== null && y !== null && typeof x === "object" && typeof y === "object") {
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}/${k}`);
      } else if (x !== y) differences.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    };
    walk(a, b, "");
    // The known one (above) aside.
    expect(differences.filter((d) => !d.startsWith("/Resources/CloudWatchAgentConfigAssociation/Properties/Parameters/optionalRestart/"))).toEqual([]);
  });

  it("is free of YAML features CloudFormation does not support (anchors, aliases, merge keys)", () => {
    const doc = parseCfnDocument(text);
    let aliases = 0;
    let anchors = 0;
    visit(doc, {
      Alias() {
        aliases++;
      },
      Node(_key, node) {
        if ("anchor" in node && node.anchor) anchors++;
        if (isScalar(node) && node.value === "<<") anchors++;
      },
    });
    expect({ aliases, anchors }).toEqual({ aliases: 0, anchors: 0 });
  });
});

/**
 * What must hold for any build's template: every !Ref and ${} names something the template
 * declares, each run-command configuration's document has exactly one association running it,
 * and there is one association per configuration delivery and per fleet association.
 */
function templateProblems(build: CompileResult): string[] {
  const template = parseCfn(textOf(build, TEMPLATE));
  const resources = resourcesOf(template);
  const known = referenceable(template);
  const found = intrinsics({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions });
  const problems = [
    ...found.refs.filter((r) => !known.has(r)).map((r) => `!Ref ${r} names nothing the template declares`),
    ...found.subVariables.filter((v) => !known.has(v.split(".")[0]!)).map((v) => `!Sub variable \${${v}} names nothing the template declares`),
  ];
  const program = build.program!;
  const associations = Object.entries(resources).filter(([, r]) => r.Type === "AWS::SSM::Association");
  for (const c of program.configurations.filter((x) => x.delivery.runCommand)) {
    const doc = Object.entries(resources).find(([, r]) => r.Type === "AWS::SSM::Document" && r.Properties.Name === `${program.stack.prefix}-${c.name}`);
    if (!doc) {
      problems.push(`no document for configuration ${c.name}`);
      continue;
    }
    const running = associations.filter(([, r]) => JSON.stringify(r.Properties.Name) === JSON.stringify({ Ref: doc[0] }));
    if (running.length !== 1) problems.push(`configuration ${c.name}: ${running.length} associations run its document ${doc[0]}`);
  }
  const expected = program.configurations.filter((c) => c.delivery.runCommand).length + program.configurations.filter((c) => c.delivery.dsc).length + program.stack.associations.length;
  if (associations.length !== expected) problems.push(`${associations.length} associations in the template, ${expected} asked for`);
  return problems;
}

describe("template invariants on other builds (fixtures under test/delivery/fixtures)", () => {
  for (const name of ["stack-targets", "sub-right", "pester-gate"]) {
    it(`${name}: every reference resolves and every delivery has its association`, async () => {
      const build = await compileFixture(name);
      assertOk(build, `fixture ${name}`);
      expect(templateProblems(build)).toEqual([]);
    });
  }

  it("docutap: the same invariants", async () => {
    expect(templateProblems(await buildDocutap())).toEqual([]);
  });

  // Was a bug: logical ids were <Name>Association for both a run-command configuration and a fleet
  // association, and `resources[id] = ...` silently overwrote one. Input: fixture
  // logical-id-collision (configuration PatchBaselineScan, fleet association patchBaselineScan()).
  // The logical ids now differ (Config.../Fleet...), and the two would still share the association
  // name collide-PatchBaselineScan and its S3 output folder: FF2146 at the fleet association.
  it("logical-id-collision: a configuration named like a fleet association is reported (FF2146), not overwritten", async () => {
    const build = await compileFixture("logical-id-collision");
    expect(build.ok).toBe(false);
    expect(build.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([
      "FF2146 association 'PatchBaselineScan' gets the Systems Manager stack's association name 'collide-PatchBaselineScan', which configuration 'PatchBaselineScan' gets too (the two would share a name and an S3 output folder): rename one of them",
    ]);
  });

  // BUG (compiler/phases/2-check/stack.ts BUILTIN_STACK_PARAMETERS, cloudformation/index.ts): the
  // check accepts stackParameter("MofBucketName") (and MofKeyPrefix, AlertEmail) anywhere, but the
  // emitter declares MofBucketName/MofKeyPrefix only when a configuration is delivered as MOFs, and
  // AlertEmail only when alerts.email is exactly stackParameter("AlertEmail"). Input: fixture
  // builtin-parameter (no DSC, targets [stackParameter("MofBucketName")]). Output: a clean build
  // whose template has `!Ref MofBucketName` and no MofBucketName parameter (CloudFormation rejects
  // it: unresolved reference). Expected: the parameter declared, or FF2119 (or NameInvalid).
  it("builtin-parameter: a built-in stack parameter used without DSC delivery is declared (or diagnosed)", async () => {
    const build = await compileFixture("builtin-parameter");
    if (!build.ok) return; // a diagnostic would do too
    expect(templateProblems(build)).toEqual([]);
  });

  // BUG (compiler/phases/3-lower/stack.ts lowerCfnString): the literal parts of sub`...` are pasted
  // into the Fn::Sub template unescaped. Input: fixture sub-literal, sub`web-\${Team}-${stackParameter("Environment")}`
  // (TypeScript text "web-${Team}-"). Output: `!Sub web-${Team}-${Environment}`, which makes Team a
  // variable CloudFormation cannot resolve. Expected: `!Sub web-${!Team}-${Environment}` (Fn::Sub's
  // escape for a literal ${), or FF2116 for the literal part.
  it("sub-literal: literal ${ in a sub`...` stays literal", async () => {
    const build = await compileFixture("sub-literal");
    if (!build.ok) return;
    expect(templateProblems(build)).toEqual([]);
  });
});
