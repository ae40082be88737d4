// The account side of the plan (compiler/plan/stacks.ts) on templates written through the
// emitters' own YAML serialiser: which policy changes widen a permission, the dependency and
// pipeline stacks' resources by property path, and the observability summary. The golden cases
// (cases/) cover the same on real builds; these cover what a config repo alone cannot change
// (a fleetform update: a query's text, an alarm's threshold, a wildcard, a Deny).
import { describe, expect, it } from "vitest";
import type { EmittedFile } from "../../compiler/phases/4-emit/files.js";
import { taggedScalar, toYaml } from "../../compiler/phases/4-emit/yaml.js";
import { diffStacks, printValue } from "../../compiler/plan/stacks.js";
import { observabilityLine } from "../../compiler/plan/markdown.js";

const sub = (t: string): unknown => taggedScalar("!Sub", t);
const file = (path: string, template: Record<string, unknown>): EmittedFile => ({ path, content: toYaml(template), source: "fleetform.config.ts" });

const role = (statements: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: "AWS::IAM::Role",
  Properties: {
    AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    Policies: [{ PolicyName: "fleetform-build", PolicyDocument: { Version: "2012-10-17", Statement: statements } }],
    ...extra,
  },
});

const pipeline = (resources: Record<string, unknown>): EmittedFile => file("cloudformation/pipeline.yaml", { Resources: resources });

describe("plan: permissions in every template", () => {
  const logs = { Sid: "Logs", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/x:*")] };
  const list = { Sid: "List", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::bucket"], Condition: { StringLike: { "s3:prefix": ["mofs/*"] } } };

  it("a new action, a new resource, a wildcard for a specific ARN and a removed Condition are widened; narrowing is shown plainly", () => {
    const base = [pipeline({ BuildRole: role([logs, list]) })];
    const head = [
      pipeline({
        BuildRole: role([
          { ...logs, Action: ["logs:PutLogEvents", "logs:CreateLogStream"] },
          { Sid: "List", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["*"] },
        ]),
      }),
    ];
    const p = diffStacks(base, head).pipeline!.permissions;
    expect(p.map((x) => [x.role, x.policy, x.statement, x.status, x.widened, x.wildcard])).toEqual([
      ["BuildRole", "fleetform-build", "List", "changed", true, true],
      ["BuildRole", "fleetform-build", "Logs", "changed", true, false],
    ]);
    expect(p[0]!.resources).toEqual({ added: ['"*"'], removed: ['"arn:aws:s3:::bucket"'] });
    expect(p[0]!.condition).toEqual({ before: '{ StringLike: { "s3:prefix": ["mofs/*"] } }' });
    expect(p[1]!.actions).toEqual({ added: ["logs:CreateLogStream"], removed: [] });

    const back = diffStacks(head, base).pipeline!.permissions;
    expect(back.map((x) => [x.statement, x.widened])).toEqual([
      ["List", false],
      ["Logs", false],
    ]);
  });

  it("only a condition removed: widened; only a condition added: narrowed", () => {
    const open = { ...list, Condition: undefined };
    delete (open as Record<string, unknown>).Condition;
    const removed = diffStacks([pipeline({ BuildRole: role([list]) })], [pipeline({ BuildRole: role([open]) })]).pipeline!.permissions;
    expect(removed.map((x) => [x.statement, x.widened, x.condition])).toEqual([["List", true, { before: '{ StringLike: { "s3:prefix": ["mofs/*"] } }' }]]);
    const added = diffStacks([pipeline({ BuildRole: role([open]) })], [pipeline({ BuildRole: role([list]) })]).pipeline!.permissions;
    expect(added.map((x) => [x.statement, x.widened])).toEqual([["List", false]]);
  });

  it("a trust policy's new principal, a new managed policy and a new role are widened; a Deny works the other way round", () => {
    const trustMore = role([logs]);
    (trustMore.Properties as any).AssumeRolePolicyDocument.Statement[0].Principal.Service = ["codebuild.amazonaws.com", "ec2.amazonaws.com"];
    const deny = { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::bucket/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } };
    const bucketPolicy = (statements: unknown[]): Record<string, unknown> => ({ Type: "AWS::S3::BucketPolicy", Properties: { Bucket: "b", PolicyDocument: { Statement: statements } } });
    const base = [pipeline({ BuildRole: role([logs]), Policy: bucketPolicy([deny]) })];
    const head = [
      pipeline({
        BuildRole: { ...trustMore, Properties: { ...(trustMore.Properties as object), ManagedPolicyArns: [sub("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess")] } },
        PipelineRole: role([logs]),
        Policy: bucketPolicy([]),
      }),
    ];
    const p = diffStacks(base, head).pipeline!.permissions;
    expect(p.map((x) => [x.role, x.policy, x.statement, x.status, x.effect, x.widened])).toEqual([
      ["BuildRole", "AssumeRolePolicyDocument", "#1", "changed", "Allow", true],
      ["BuildRole", "ManagedPolicyArns", "(attached)", "added", "Allow", true],
      ["PipelineRole", "AssumeRolePolicyDocument", "#1", "added", "Allow", true],
      ["PipelineRole", "fleetform-build", "Logs", "added", "Allow", true],
      ["Policy", "PolicyDocument", "TlsOnly", "removed", "Deny", true],
    ]);
    expect(p[0]!.principals).toEqual({ added: ['Service "ec2.amazonaws.com"'], removed: [] });
    // The reverse: a Deny added, a principal, a managed policy and a role removed: nothing widened.
    expect(diffStacks(head, base).pipeline!.permissions.filter((x) => x.widened)).toEqual([]);
  });

  it("a principal of everyone (\"*\" or { AWS: \"*\" }) covers every principal: narrowing it to one is not widened, the reverse is; a Deny the other way round", () => {
    const bucketPolicy = (effect: string, principal: unknown): EmittedFile =>
      pipeline({ Policy: { Type: "AWS::S3::BucketPolicy", Properties: { Bucket: "b", PolicyDocument: { Statement: [{ Sid: "Read", Effect: effect, Principal: principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] } } } });
    const account = { AWS: "arn:aws:iam::111122223333:root" };
    const widened = (effect: string, before: unknown, after: unknown): boolean[] => diffStacks([bucketPolicy(effect, before)], [bucketPolicy(effect, after)]).pipeline!.permissions.map((x) => x.widened);
    for (const everyone of ["*", { AWS: "*" }]) {
      expect(widened("Allow", everyone, account), `Allow ${JSON.stringify(everyone)} -> one account`).toEqual([false]);
      expect(widened("Allow", everyone, { Service: "ssm.amazonaws.com" })).toEqual([false]);
      expect(widened("Allow", account, everyone)).toEqual([true]);
      expect(widened("Deny", everyone, account)).toEqual([true]);
      expect(widened("Deny", account, everyone)).toEqual([false]);
    }
    // "*" and { AWS: "*" } are the same to IAM, but the change is still listed (not widened).
    expect(widened("Allow", "*", { AWS: "*" })).toEqual([false]);
    // Not a pattern: another account is not covered by the first.
    expect(widened("Allow", account, { AWS: "arn:aws:iam::444455556666:root" })).toEqual([true]);
  });

  it("a statement under a template condition is compared with its condition; the markdown marks the widened one", () => {
    const when = (cond: string): Record<string, unknown> => ({ "Fn::If": [cond, logs, taggedScalar("!Ref", "AWS::NoValue")] });
    const base = [file("cloudformation/dependencies.yaml", { Resources: { InstanceRole: role([when("HasKey")]) } })];
    const head = [file("cloudformation/dependencies.yaml", { Resources: { InstanceRole: role([logs]) } })];
    const p = diffStacks(base, head).dependencies!.permissions;
    expect(p.map((x) => [x.statement, x.condition, x.widened])).toEqual([["Logs", { before: "when HasKey" }, true]]);
  });

  it("prints intrinsic functions the way the plan shows values", () => {
    expect(printValue({ Ref: "X" })).toBe('ref("X")');
    expect(printValue({ "Fn::GetAtt": ["Role", "Arn"] })).toBe('getAtt("Role.Arn")');
    expect(printValue({ "Fn::Sub": "a-${B}" })).toBe("sub`a-${B}`");
    expect(printValue({ "Fn::If": ["C", 1, { Ref: "AWS::NoValue" }] })).toBe('if("C", 1, ref("AWS::NoValue"))');
  });
});

describe("plan: the dependency and pipeline stacks' other resources", () => {
  it("added, removed and changed by logical id, with the property paths (list items by name) that changed", () => {
    const stages = (overrides: string): unknown => [
      { Name: "Source", Actions: [{ Name: "Source", RunOrder: 1 }] },
      { Name: "Prepare", Actions: [{ Name: "Dependencies", Configuration: { ParameterOverrides: sub(overrides) } }] },
    ];
    const base = [pipeline({ Pipeline: { Type: "AWS::CodePipeline::Pipeline", Properties: { Stages: stages('{"A":"${A}"}') } }, Old: { Type: "AWS::Logs::LogGroup", Properties: {} } })];
    const head = [pipeline({ Pipeline: { Type: "AWS::CodePipeline::Pipeline", DependsOn: ["Old"], Properties: { Stages: stages('{"A":"${A}","B":"${B}"}') } }, New: { Type: "AWS::S3::Bucket" } })];
    const r = diffStacks(base, head).pipeline!.resources;
    expect(r).toEqual([
      { id: "New", status: "added", type: "AWS::S3::Bucket", paths: [] },
      { id: "Old", status: "removed", type: "AWS::Logs::LogGroup", paths: [] },
      {
        id: "Pipeline",
        status: "changed",
        type: "AWS::CodePipeline::Pipeline",
        paths: [
          { field: "DependsOn", after: '["Old"]' },
          { field: 'Properties.Stages["Prepare"].Actions["Dependencies"].Configuration.ParameterOverrides', before: 'sub`{"A":"${A}"}`', after: 'sub`{"A":"${A}","B":"${B}"}`' },
        ],
      },
    ]);
  });

  it("a role's policies are permissions, not property paths", () => {
    const d = diffStacks([pipeline({ R: role([{ Sid: "A", Effect: "Allow", Action: "a:b", Resource: "x" }]) })], [pipeline({ R: role([{ Sid: "A", Effect: "Allow", Action: "a:c", Resource: "x" }]) })]).pipeline!;
    expect(d.resources).toEqual([]);
    expect(d.permissions.map((p) => p.statement)).toEqual(["A"]);
  });
});

describe("plan: observability", () => {
  const ssm = (o: { query: string; threshold: number; group: string; format: string; widgets: string[] }): EmittedFile =>
    file("cloudformation/systems-manager.yaml", {
      Resources: {
        FailuresQuery: { Type: "AWS::Logs::QueryDefinition", Properties: { Name: "fleet/failures by instance", QueryString: o.query, LogGroupNames: ["/fleetform/fleet/runtime"] } },
        ConfigWebFailedRunsAlarm: { Type: "AWS::CloudWatch::Alarm", Properties: { AlarmName: "fleet-Web-FailedRuns", Threshold: o.threshold, Period: 3600 } },
        AgentConfigParameter: {
          Type: "AWS::SSM::Parameter",
          Properties: {
            Name: "AmazonCloudWatch-fleet-fleetform",
            Type: "String",
            Value: JSON.stringify({ logs: { logs_collected: { files: { collect_list: [{ file_path: "C:\\Logs\\*.log", log_group_name: o.group, timestamp_format: o.format }] } } } }),
          },
        },
        FleetDashboard: { Type: "AWS::CloudWatch::Dashboard", Properties: { DashboardName: "fleet-fleet", DashboardBody: sub(JSON.stringify({ widgets: o.widgets.map((title) => ({ type: "log", properties: { title } })) })) } },
      },
    });
  const before = { query: "fields a\n| filter v = 1", threshold: 1, group: "/fleetform/fleet/runtime", format: "%Y-%m-%dT%H:%M:%S.%fZ", widgets: ["failures", "drift"] };

  it("names what changed: the query, the alarm's threshold, the agent's log group and timestamp format, the dashboard's widgets", () => {
    const head = { query: "fields a, b\n| filter v = 1", threshold: 3, group: "/fleetform/other/runtime", format: "%Y-%m-%d %H:%M:%S", widgets: ["failures", "versions"] };
    const o = diffStacks([ssm(before)], [ssm(head)]).observability;
    expect(o.map((x) => [x.kind, x.name, x.status, x.changes.map((c) => c.field)])).toEqual([
      ["agent configuration", "AmazonCloudWatch-fleet-fleetform", "changed", ["collected file 1: log_group_name", "collected file 1: timestamp_format"]],
      ["alarm", "fleet-Web-FailedRuns", "changed", ["threshold"]],
      ["dashboard", "fleet-fleet", "changed", ['log widget "drift"', 'log widget "versions"']],
      ["query", "fleet/failures by instance", "changed", ["query"]],
    ]);
    expect(o[1]!.changes).toEqual([{ field: "threshold", before: "1", after: "3" }]);
    const md = o.map(observabilityLine).join("\n");
    expect(md).toContain("- alarm `fleet-Web-FailedRuns` changed: threshold `1` → `3`");
    expect(md).toContain("- query `fleet/failures by instance` changed: query ");
    expect(md).toContain('log widget "versions" added (`{ type: "log", properties: { title: "versions" } }`)');
    expect(md).toContain("collected file 1: timestamp_format `\"%Y-%m-%dT%H:%M:%S.%fZ\"` → `\"%Y-%m-%d %H:%M:%S\"`");
  });

  it("the same templates: nothing", () => {
    expect(diffStacks([ssm(before)], [ssm(before)]).observability).toEqual([]);
  });
});
