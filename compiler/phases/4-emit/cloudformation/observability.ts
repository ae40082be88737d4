// Observability of the fleet from the runtime's one log schema (./log-schema.ts): the unified
// CloudWatch agent's configuration (an SSM parameter the cloudWatchAgentConfig association reads),
// the log group the agent ships the monthly log files to (one stream per instance), metric filters
// on the JSON keys, alarms to the alert topic, a dashboard and saved Logs Insights queries.
import type * as ir from "../../3-lower/ir.js";
import { AGENT_TIMESTAMP_FORMAT, LOG_FORMAT_VERSION, STATE_VERSION_KEY, field, stateField, type LogFieldName, type LogResult } from "./log-schema.js";

export const AGENT_DOCUMENT = "AmazonCloudWatch-ManageAgent";
export const AGENT_LOCATION_PARAMETER = "optionalConfigurationLocation";
export const AGENT_CONFIG_ID = "AgentConfigParameter";
export const LOG_GROUP_ID = "RuntimeLogGroup";
/** CloudWatch Logs' retention values (AWS::Logs::LogGroup RetentionInDays), the type of stack.logs.retentionDays. */
export { LOG_RETENTION_DAYS as RETENTION_DAYS } from "../../../../stdlib/api/define.js";

/** The log group the runtime's lines go to (for the instance role: logs:CreateLogStream/PutLogEvents on it). */
export function logGroupName(program: ir.Program): string {
  return `/fleetform/${program.stack.prefix}/runtime`;
}

/** Every log group of the fleet, for an IAM policy derived from the program. */
export function fleetLogGroupNames(program: ir.Program): string[] {
  return program.configurations.length > 0 ? [logGroupName(program)] : [];
}

/**
 * Whether instances report to SSM Compliance (ssm:PutComplianceItems on their own managed
 * instance): every run of a Run Command configuration does (Fleetform.Runtime, Complete-FfRun).
 */
export function reportsCompliance(program: ir.Program): boolean {
  return program.configurations.some((c) => c.delivery.runCommand);
}

/** The Parameter Store name of the agent configuration ("AmazonCloudWatch-" is what CloudWatchAgentServerPolicy may read). */
export function agentConfigParameterName(program: ir.Program): string {
  return `AmazonCloudWatch-${program.stack.prefix}-fleetform`;
}

export function metricNamespace(program: ir.Program): string {
  return `Fleetform/${program.stack.prefix}`;
}

/** The agent configuration: the runtime's monthly files (<logDir>\yyyyMM.log), one event per line. */
export function agentConfig(program: ir.Program): Record<string, unknown> {
  const dir = program.install.logDir.replace(/[\\/]+$/, "");
  return {
    agent: { run_as_user: "NT AUTHORITY\\SYSTEM" },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            {
              file_path: `${dir}\\*.log`,
              log_group_name: logGroupName(program),
              log_stream_name: "{instance_id}",
              timestamp_format: AGENT_TIMESTAMP_FORMAT,
              timezone: "UTC",
              encoding: "utf-8",
            },
          ],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Metric filters: CloudWatch Logs JSON filter patterns on the schema's keys.

type Term = readonly [LogFieldName, "=" | "!=", string | number];

function pattern(terms: readonly Term[]): string {
  const all: Term[] = [[field("v"), "=", LOG_FORMAT_VERSION], ...terms];
  return `{ ${all.map(([k, op, v]) => `($.${k} ${op} ${typeof v === "number" ? String(v) : JSON.stringify(v)})`).join(" && ")} }`;
}

const resultIs = (r: LogResult): Term => [field("result"), "=", r];
const notSummary: Term = [field("step"), "!=", "summary"];

export interface MetricFilterSpec {
  readonly id: string;
  readonly metric: string;
  readonly description: string;
  readonly terms: readonly Term[];
  /** Alarm on any occurrence, per configuration. */
  readonly alarm: boolean;
}

export const METRIC_FILTERS: readonly MetricFilterSpec[] = [
  { id: "Errors", metric: "Errors", description: "ERROR lines", terms: [[field("level"), "=", "ERROR"]], alarm: false },
  { id: "FailedRuns", metric: "FailedRuns", description: "runs that ended with a failure exit code", terms: [[field("step"), "=", "summary"], resultIs("failed")], alarm: true },
  { id: "ResourceFailures", metric: "ResourceFailures", description: "resources that failed", terms: [resultIs("failed"), notSummary], alarm: false },
  { id: "Drift", metric: "DriftFound", description: "resources found drifted (monitor mode)", terms: [resultIs("drifted"), notSummary], alarm: true },
  { id: "Changes", metric: "ChangesApplied", description: "resources changed", terms: [resultIs("changed")], alarm: false },
  { id: "Reboots", metric: "RebootsRequested", description: "resources that requested a reboot", terms: [resultIs("reboot-pending"), notSummary], alarm: false },
  { id: "Refused", metric: "ChangesRefusedUnsafe", description: "changes refused because safe said no", terms: [resultIs("blocked")], alarm: false },
];

export function metricFilterPattern(spec: MetricFilterSpec): string {
  return pattern(spec.terms);
}

// ---------------------------------------------------------------------------------------------
// Saved Logs Insights queries

export interface QuerySpec {
  readonly id: string;
  readonly name: string;
  readonly query: string;
}

function q(lines: readonly string[]): string {
  return lines.join("\n| ");
}

const f = field;
const versioned = `${f("v")} = ${LOG_FORMAT_VERSION}`;

export const QUERIES: readonly QuerySpec[] = [
  {
    id: "Failures",
    name: "failures by instance (run it over the last day)",
    query: q([
      `fields @timestamp, @logStream, ${f("computername")}, ${f("configuration")}, ${f("item")}, ${f("message")}`,
      `filter ${versioned} and ${f("result")} = "failed" and ${f("step")} != "summary"`,
      `stats count(*) as failures, latest(${f("message")}) as lastMessage by @logStream, ${f("computername")}, ${f("configuration")}, ${f("item")}`,
      "sort failures desc",
    ]),
  },
  {
    id: "Drift",
    name: "drift by configuration and resource",
    query: q([
      `fields @timestamp, ${f("configuration")}, ${f("category")}, ${f("item")}, ${f("computername")}`,
      `filter ${versioned} and ${f("result")} = "drifted" and ${f("step")} != "summary"`,
      `stats count(*) as drifted, count_distinct(${f("computername")}) as instances, latest(@timestamp) as lastSeen by ${f("configuration")}, ${f("category")}, ${f("item")}`,
      "sort drifted desc",
    ]),
  },
  {
    id: "Changes",
    name: "changes applied",
    query: q([
      `fields @timestamp, ${f("computername")}, ${f("configuration")}, ${f("category")}, ${f("item")}, ${f("message")}`,
      `filter ${versioned} and ${f("result")} = "changed"`,
      "sort @timestamp desc",
    ]),
  },
  {
    id: "Reboots",
    name: "reboots requested",
    query: q([
      `fields @timestamp, ${f("computername")}, ${f("configuration")}, ${f("item")}, ${f("message")}`,
      `filter ${versioned} and ${f("result")} = "reboot-pending" and ${f("step")} != "summary"`,
      "sort @timestamp desc",
    ]),
  },
  {
    // The seed's "most recent application versions installed on our worker servers": from the
    // get results the runtime logs (step get, state.Version), the latest per server and resource.
    id: "Versions",
    name: "latest application versions by server",
    query: q([
      `fields @timestamp, ${f("computername")}, ${f("configuration")}, ${f("category")}, ${f("item")}, ${stateField(STATE_VERSION_KEY)}`,
      `filter ${versioned} and ${f("step")} = "get" and ispresent(${stateField(STATE_VERSION_KEY)})`,
      `stats latest(${stateField(STATE_VERSION_KEY)}) as version, latest(@timestamp) as lastSeen by ${f("computername")}, ${f("category")}, ${f("item")}`,
      `sort ${f("computername")} asc`,
    ]),
  },
];

// ---------------------------------------------------------------------------------------------
// Template resources

export interface ObservabilityOptions {
  readonly ref: (name: string) => unknown;
  readonly sub: (template: string) => unknown;
  /** A CloudFormation string as the template writes it (literal, !Ref or !Sub). */
  readonly cfn: (value: ir.CfnString) => unknown;
  /** The alert topic's logical id, when the stack has alerts. */
  readonly alertTopic?: string;
}

/** The condition under which a stack parameter given as stack.logs.kmsKey holds a key (not ""). */
export const LOG_KMS_KEY_CONDITION = "HasLogKmsKey";

/** The stack parameter stack.logs.kmsKey names, if it is one (!Ref), not an ARN or a !Sub. */
export function logKmsKeyParameter(program: ir.Program): string | undefined {
  const key = program.stack.logs.kmsKey;
  return key?.kind === "ref" && program.configurations.length > 0 ? key.name : undefined;
}

/**
 * KmsKeyId: an ARN or !Sub as it is; a stack parameter only when it is not empty, so that a deploy
 * passing "" gives CloudWatch Logs' own encryption instead of a log group CloudFormation refuses.
 */
function logKmsKey(program: ir.Program, o: ObservabilityOptions): Record<string, unknown> {
  const key = program.stack.logs.kmsKey;
  if (!key) return {};
  if (logKmsKeyParameter(program)) return { KmsKeyId: { "Fn::If": [LOG_KMS_KEY_CONDITION, o.cfn(key), o.ref("AWS::NoValue")] } };
  return { KmsKeyId: o.cfn(key) };
}

export function observabilityResources(program: ir.Program, o: ObservabilityOptions): Record<string, unknown> {
  if (program.configurations.length === 0) return {};
  const prefix = program.stack.prefix;
  const namespace = metricNamespace(program);
  const group = logGroupName(program);
  const resources: Record<string, unknown> = {};
  resources[LOG_GROUP_ID] = {
    Type: "AWS::Logs::LogGroup",
    Properties: {
      LogGroupName: group,
      // stack.logs (fleetform.config.ts): checked against CloudWatch Logs' values when the config is read.
      RetentionInDays: program.stack.logs.retentionDays,
      ...logKmsKey(program, o),
    },
  };
  resources[AGENT_CONFIG_ID] = {
    Type: "AWS::SSM::Parameter",
    Properties: {
      Name: agentConfigParameterName(program),
      Type: "String",
      Description: `CloudWatch agent configuration: ships the fleetform runtime's log lines to ${group}`,
      Value: JSON.stringify(agentConfig(program)),
    },
  };
  for (const spec of METRIC_FILTERS) {
    resources[`${spec.id}MetricFilter`] = {
      Type: "AWS::Logs::MetricFilter",
      DependsOn: LOG_GROUP_ID,
      Properties: {
        FilterName: `${prefix}-${spec.metric}`,
        LogGroupName: group,
        FilterPattern: metricFilterPattern(spec),
        MetricTransformations: [{ MetricNamespace: namespace, MetricName: spec.metric, MetricValue: "1", Unit: "Count", Dimensions: [{ Key: "Configuration", Value: `$.${field("configuration")}` }] }],
      },
    };
  }
  // Alarms (and dashboard rows) for the configurations whose runs write the runtime's log lines: a
  // configuration delivered only by DSC writes none (the LCM runs its resources), so alarms on its
  // lines could never fire; AWS-ApplyDSCMofs reports through its association and compliance.
  for (const c of logWriting(program)) {
    for (const spec of METRIC_FILTERS.filter((s) => s.alarm)) {
      resources[`Config${c.name.replace(/[^A-Za-z0-9]/g, "")}${spec.id}Alarm`] = {
        Type: "AWS::CloudWatch::Alarm",
        Properties: {
          AlarmName: `${prefix}-${c.name}-${spec.metric}`,
          AlarmDescription: `${c.name}: ${spec.description} (from ${group})`,
          Namespace: namespace,
          MetricName: spec.metric,
          Dimensions: [{ Name: "Configuration", Value: c.name }],
          Statistic: "Sum",
          Period: 3600,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          TreatMissingData: "notBreaching",
          ...(o.alertTopic ? { AlarmActions: [o.ref(o.alertTopic)] } : {}),
        },
      };
    }
  }
  for (const query of QUERIES) {
    resources[`${query.id}Query`] = {
      Type: "AWS::Logs::QueryDefinition",
      Properties: { Name: `${prefix}/${query.name}`, QueryString: query.query, LogGroupNames: [group] },
    };
  }
  resources.FleetDashboard = {
    Type: "AWS::CloudWatch::Dashboard",
    Properties: { DashboardName: `${prefix}-fleet`, DashboardBody: o.sub(JSON.stringify(dashboard(program))) },
  };
  return resources;
}

/** The configurations whose runs write the runtime's log lines: those Run Command runs. */
function logWriting(program: ir.Program): ir.Configuration[] {
  return program.configurations.filter((c) => c.delivery.runCommand);
}

/** The dashboard body; the region is ${AWS::Region} (the body goes through !Sub). */
function dashboard(program: ir.Program): Record<string, unknown> {
  const namespace = metricNamespace(program);
  const writing = logWriting(program);
  // (a metric widget needs a metric: none without a configuration that writes log lines)
  const widgets: Record<string, unknown>[] = (writing.length === 0 ? [] : METRIC_FILTERS).map((spec, i) => ({
    type: "metric",
    x: (i % 3) * 8,
    y: Math.floor(i / 3) * 6,
    width: 8,
    height: 6,
    properties: {
      title: spec.description,
      region: "${AWS::Region}",
      stat: "Sum",
      period: 3600,
      view: "timeSeries",
      metrics: writing.map((c) => [namespace, spec.metric, "Configuration", c.name]),
    },
  }));
  const top = Math.ceil((writing.length === 0 ? 0 : METRIC_FILTERS.length) / 3) * 6;
  QUERIES.forEach((query, i) => {
    widgets.push({
      type: "log",
      x: (i % 2) * 12,
      y: top + Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: { title: query.name, region: "${AWS::Region}", query: `SOURCE '${logGroupName(program)}' | ${query.query}`, view: "table" },
    });
  });
  return { widgets };
}
