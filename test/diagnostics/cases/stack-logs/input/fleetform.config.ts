import { defineConfig } from "fleetform";

// Retention CloudWatch Logs does not accept, and a key alias where a key ARN is needed.
export default defineConfig({
  layers: ["platform"],
  stack: {
    prefix: "logs",
    logs: {
      retentionDays: 45,
      kmsKey: "arn:aws:kms:eu-west-1:123456789012:alias/aws/logs",
    },
  },
});
