// The DocuTAP pipeline (github.com/bo67192/aws-windows-configman) ported to fleetform:
// Windows building blocks at the bottom, the EMR and Practice Management applications above
// them, server roles on top; imports may only point down this stack.
import { cloudWatchAgent, cloudWatchAgentConfig, codeDeployAgent, defineConfig, patchBaselineScan, softwareInventory, stackParameter, sub, updateSsmAgent } from "fleetform";

// The instances' SSM_Association tag, per environment (the seed's INST stack sets windows-${Environment}).
const fleet = { tag: "SSM_Association", values: [sub`windows-${stackParameter("Environment")}`, sub`windows-${stackParameter("Environment")}-db`] };

const config = defineConfig({
  layers: ["platform", "application", "role"],
  modules: ["modules/*/index.ts"],
  configurations: ["configurations/*.ts"],
  out: "dist",
  install: {
    root: "C:\\Program Files\\WindowsPowerShell\\Modules",
    logDir: "C:\\ProgramData\\Fleetform\\Logs",
  },
  stack: {
    prefix: "docutap",
    parameters: {
      Environment: { description: "The environment this stack configures", allowedValues: ["prod", "staging"], default: "prod" },
      LogKmsKeyArn: { description: "ARN of the KMS key that encrypts the runtime's log group (its key policy lets CloudWatch Logs use it)" },
    },
    // The tag values instances carry: association targets are checked against them (case-sensitive).
    tags: { SSM_Association: ["windows-prod", "windows-prod-db", ...fleet.values] },
    // The seed's daily fleet-wide associations, without its allowDowngrade=true.
    associations: [
      patchBaselineScan({ targets: fleet }),
      softwareInventory({ targets: fleet }),
      updateSsmAgent({ targets: fleet }),
      // The agents the pipeline needs on every instance (Windows AMIs carry neither): CodeDeploy's,
      // which installs the modules; CloudWatch's, which ships the runtime's log lines.
      codeDeployAgent({ targets: fleet }),
      cloudWatchAgent({ targets: fleet }),
      // The agent configuration the stack generates: the runtime's log lines to /fleetform/docutap/runtime.
      cloudWatchAgentConfig({ targets: fleet }),
    ],
    alerts: { email: stackParameter("AlertEmail") },
    // The runtime's log lines: kept a year (a value CloudWatch Logs accepts, else FF2140), encrypted with the practice's key.
    logs: { retentionDays: 365, kmsKey: stackParameter("LogKmsKeyArn") },
  },
});
export default config;

// Registers this config with fleetform's types: each module's `layer` is offered and checked
// against `layers` above in the editor and by the type check.
declare module "fleetform" {
  interface Register {
    config: typeof config;
  }
}
