// The runtime's JSON log line (stdlib/runtime/src/logging.ps1, Write-FfLog; docs/runtime.md) as
// one description: the CloudWatch agent configuration, the metric filters and the saved Logs
// Insights queries are built from it, and test/runtime/log-schema.test.ts compares it with real
// lines written by the runtime, so a renamed or retyped key breaks that test.

/** The `v` every line carries. Bump it (and the runtime's $script:FfLogFormatVersion) when a key is renamed, removed or retyped. */
export const LOG_FORMAT_VERSION = 1;

/** `state-or-null`: null, or an object whose values are strings or null (a get result). */
export type LogFieldType = "number" | "string" | "string-or-null" | "state-or-null";

export interface LogField {
  readonly type: LogFieldType;
  readonly description: string;
}

/** The keys of a line, in the order the runtime writes them. */
export const LOG_FIELDS = {
  v: { type: "number", description: "the line format version" },
  timestamp: { type: "string", description: "UTC, ISO 8601 round-trip format with 7 fractional digits and Z" },
  computername: { type: "string", description: "the Windows computer name" },
  level: { type: "string", description: "DEBUG, INFO, WARN or ERROR" },
  configuration: { type: "string-or-null", description: "the configuration of the run; null for lines written without a run" },
  category: { type: "string", description: "the module of a resource line; run for the start and summary lines" },
  item: { type: "string", description: "the resource id; the configuration name for run lines" },
  step: { type: "string-or-null", description: "start, dependencies, properties, test, safe, reboot-guard, set, verify, get, compliance, summary, runtime" },
  message: { type: "string", description: "free text, secrets redacted" },
  result: { type: "string-or-null", description: "the result decided by this line, or the run's on the summary line" },
  state: { type: "state-or-null", description: "on a get line: what the resource's get returned (keys to text or null, secrets redacted); null otherwise" },
} as const satisfies Record<string, LogField>;

export type LogFieldName = keyof typeof LOG_FIELDS;

/** Values of `result` (docs/runtime.md, Results; `ok` only on summary lines). */
export const LOG_RESULTS = ["in-desired-state", "changed", "drifted", "blocked", "skipped", "reboot-pending", "failed", "ok"] as const;
export type LogResult = (typeof LOG_RESULTS)[number];

/** A field name, checked against the schema at compile time. */
export function field(name: LogFieldName): LogFieldName {
  return name;
}

/**
 * The key of a get result a query reads: Logs Insights flattens the JSON line, so `state`'s key
 * `Version` is the field `state.Version`. Resources report an installed version by returning a
 * `Version` key from get.
 */
export const STATE_VERSION_KEY = "Version";

/** A key inside `state`, as Logs Insights names it. */
export function stateField(key: string): string {
  return `${field("state")}.${key}`;
}

/**
 * The unified CloudWatch agent's timestamp_format for `timestamp` (`[DateTime]::UtcNow.ToString('o')`,
 * e.g. 2025-01-31T23:59:59.1234567Z): %f takes the fractional digits, the Z is literal, and the
 * collect_list entry says timezone UTC.
 */
export const AGENT_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ";
