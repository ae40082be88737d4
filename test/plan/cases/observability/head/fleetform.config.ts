import { defineConfig } from "fleetform";

// The log files move to D:\Logs, the log group keeps them a year under the fleet's key.
export default defineConfig({
  layers: ["platform", "role"],
  install: { logDir: "D:\\Logs" },
  stack: {
    prefix: "contoso",
    alerts: true,
    logs: { retentionDays: 365, kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  },
});
