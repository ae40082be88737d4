// The observability part of cloudformation/systems-manager.yaml (docutap): the CloudWatch agent
// configuration against the agent's own JSON Schema, the association reading it, the log group,
// metric filters, alarms, dashboard and saved queries. (Each resource type is also checked against
// its registry schema in cloudformation.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENT_TIMESTAMP_FORMAT } from "../../compiler/phases/4-emit/cloudformation/log-schema.js";
import { METRIC_FILTERS, QUERIES, fleetLogGroupNames } from "../../compiler/phases/4-emit/cloudformation/observability.js";
import type { CompileResult } from "../../compiler/index.js";
import { assertOk, buildDocutap, compileFixture, deliveryDir, parseCfn, resourcesOf, textOf, type CfnResource } from "./helpers.js";

/** The agent's schema is draft-04; ajv (draft-07) reads it once $schema is dropped (it uses no draft-04-only keyword forms). */
function agentValidator(): ReturnType<Ajv["compile"]> {
  const schema = JSON.parse(readFileSync(join(deliveryDir, "schemas", "cloudwatch-agent", "schema.json"), "utf8")) as Record<string, unknown>;
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

describe("observability resources (docutap)", () => {
  let build: CompileResult;
  let resources: Record<string, CfnResource>;
  let template: Record<string, unknown>;
  const ofType = (type: string): [string, CfnResource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
  const props = (id: string): Record<string, unknown> => resources[id]!.Properties as Record<string, unknown>;

  beforeAll(async () => {
    build = await buildDocutap();
    assertOk(build, "examples/docutap");
    template = parseCfn(textOf(build, "cloudformation/systems-manager.yaml"));
    resources = resourcesOf(template);
  });

  it("the agent configuration satisfies the CloudWatch agent's schema, and the schema is not vacuous", () => {
    const validate = agentValidator();
    const config = JSON.parse(String(props("AgentConfigParameter").Value)) as { logs: { logs_collected: { files: { collect_list: Record<string, unknown>[] } } } };
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    const entry = config.logs.logs_collected.files.collect_list[0]!;
    expect(entry).toMatchObject({ file_path: "C:\\ProgramData\\Fleetform\\Logs\\*.log", log_group_name: "/fleetform/docutap/runtime", log_stream_name: "{instance_id}", timestamp_format: AGENT_TIMESTAMP_FORMAT, timezone: "UTC" });
    const bad = structuredClone(config);
    bad.logs.logs_collected.files.collect_list[0]!.timezone = "CET";
    expect(validate(bad)).toBe(false);
    const bad2 = structuredClone(config);
    bad2.logs.logs_collected.files.collect_list[0]!.retention_in_days = 2;
    expect(validate(bad2)).toBe(false);
  });

  it("the parameter is readable under CloudWatchAgentServerPolicy's name prefix and the association uses it without a name in the config", () => {
    expect(props("AgentConfigParameter").Name).toBe("AmazonCloudWatch-docutap-fleetform");
    expect(props("AgentConfigParameter").Type).toBe("String");
    const association = props("FleetCloudWatchAgentConfigAssociation");
    expect(association.Name).toBe("AmazonCloudWatch-ManageAgent");
    expect((association.Parameters as Record<string, unknown>).optionalConfigurationLocation).toEqual([{ Ref: "AgentConfigParameter" }]);
  });

  it("one log group with the retention and KMS key of stack.logs", () => {
    const groups = ofType("AWS::Logs::LogGroup");
    expect(groups.map(([id]) => id)).toEqual(["RuntimeLogGroup"]);
    expect(fleetLogGroupNames).toBeTypeOf("function");
    const p = props("RuntimeLogGroup");
    expect(p.LogGroupName).toBe("/fleetform/docutap/runtime");
    // docutap's fleetform.config.ts: logs: { retentionDays: 365, kmsKey: stackParameter("LogKmsKeyArn") }.
    expect(p.RetentionInDays).toBe(365);
    // A stack parameter: used only when not empty (CloudFormation refuses a log group with KmsKeyId "").
    expect(p.KmsKeyId).toEqual({ "Fn::If": ["HasLogKmsKey", { Ref: "LogKmsKeyArn" }, { Ref: "AWS::NoValue" }] });
    expect((template.Conditions as Record<string, unknown>).HasLogKmsKey).toEqual({ "Fn::Not": [{ "Fn::Equals": [{ Ref: "LogKmsKeyArn" }, ""] }] });
    const parameters = template.Parameters as Record<string, { Default?: unknown; AllowedPattern?: string }>;
    expect(parameters.LogKmsKeyArn).toBeDefined();
    expect(parameters.LogKmsKeyArn!.Default).toBeUndefined();
    // Checked when the change set is made: empty, or a key ARN (an alias is not what KmsKeyId takes).
    const allowed = new RegExp(parameters.LogKmsKeyArn!.AllowedPattern!);
    expect(allowed.test("")).toBe(true);
    expect(allowed.test("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(true);
    expect(allowed.test("arn:aws:kms:eu-west-1:123456789012:alias/aws/logs")).toBe(false);
    expect(allowed.test("1234abcd-12ab-34cd-56ef-1234567890ab")).toBe(false);
    expect(parameters.LogRetentionDays).toBeUndefined();
  });

  it("without stack.logs: 90 days and CloudWatch Logs' own encryption (no KmsKeyId)", async () => {
    const other = await compileFixture("stack-targets");
    assertOk(other, "fixture stack-targets");
    const group = resourcesOf(parseCfn(textOf(other, "cloudformation/systems-manager.yaml"))).RuntimeLogGroup!.Properties;
    expect(group.RetentionInDays).toBe(90);
    expect(group).not.toHaveProperty("KmsKeyId");
  });

  it("a metric filter per metric on the log group, each per configuration; alarms per configuration to the alert topic", () => {
    const filters = ofType("AWS::Logs::MetricFilter");
    expect(filters.length).toBe(METRIC_FILTERS.length);
    for (const [, r] of filters) {
      const p = r.Properties as { LogGroupName: string; FilterPattern: string; MetricTransformations: { Dimensions: unknown[] }[] };
      expect(p.LogGroupName).toBe("/fleetform/docutap/runtime");
      expect(p.FilterPattern).toMatch(/^\{ \(\$\.v = 1\)( && \(\$\.[a-z]+ !?= "[A-Za-z-]+"\))+ \}$/);
      expect(p.MetricTransformations[0]!.Dimensions).toEqual([{ Key: "Configuration", Value: "$.configuration" }]);
    }
    const alarms = ofType("AWS::CloudWatch::Alarm");
    // Not WindowsBaseline: delivered only by DSC, its runs write no runtime log lines, so alarms on them could never fire.
    const configurations = ["AppServer", "DatabaseServer"];
    expect(alarms.length).toBe(configurations.length * METRIC_FILTERS.filter((f) => f.alarm).length);
    for (const [, r] of alarms) {
      const p = r.Properties as Record<string, unknown>;
      expect(p.AlarmActions).toEqual([{ Ref: "AssociationFailureTopic" }]);
      expect(configurations).toContain((p.Dimensions as { Value: string }[])[0]!.Value);
    }
    // The alert topic lets this stack's alarms publish (and use its key).
    expect(JSON.stringify(props("AssociationFailureTopicPolicy"))).toContain("cloudwatch.amazonaws.com");
    expect(JSON.stringify(props("AssociationFailureTopicKey"))).toContain("cloudwatch.amazonaws.com");
  });

  it("saved queries on the log group and a dashboard whose body is JSON", () => {
    const queries = ofType("AWS::Logs::QueryDefinition");
    expect(queries.length).toBe(QUERIES.length);
    for (const [, r] of queries) expect((r.Properties as { LogGroupNames: string[] }).LogGroupNames).toEqual(["/fleetform/docutap/runtime"]);
    const body = (props("FleetDashboard").DashboardBody as { "Fn::Sub": string })["Fn::Sub"];
    const parsed = JSON.parse(body.replaceAll("${AWS::Region}", "eu-west-1")) as { widgets: { type: string }[] };
    expect(parsed.widgets.filter((w) => w.type === "metric").length).toBe(METRIC_FILTERS.length);
    // A row per configuration that writes log lines (Run Command), none for the DSC-only WindowsBaseline.
    const rows = (parsed.widgets as { type: string; properties: { metrics?: string[][] } }[]).filter((w) => w.type === "metric").flatMap((w) => w.properties.metrics!.map((m) => m[3]));
    expect([...new Set(rows)].sort()).toEqual(["AppServer", "DatabaseServer"]);
    expect(parsed.widgets.filter((w) => w.type === "log").length).toBe(QUERIES.length);
    // The seed's "latest version of an application installed per server": the get results the runtime logs.
    const versions = queries.map(([, r]) => r.Properties as { Name: string; QueryString: string }).find((q) => q.Name === "docutap/latest application versions by server")!;
    expect(versions.QueryString).toContain('step = "get" and ispresent(state.Version)');
    expect(versions.QueryString).toContain("stats latest(state.Version) as version");
    // docutap's EMR application reports its version: its configuration hands the runtime its get.
    expect(textOf(build, "configurations/AppServer/AppServer.psm1")).toContain("Get        = { param($p) Get-EmrApplicationResource @p }");
    // !Sub must see no variable but the region.
    expect([...body.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).every((v) => v === "AWS::Region")).toBe(true);
  });
});
