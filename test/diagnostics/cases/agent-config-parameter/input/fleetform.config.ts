import { cloudWatchAgent, cloudWatchAgentConfig, defineConfig } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    associations: [
      cloudWatchAgent({ targets: { tag: "SSM_Association", values: ["windows"] } }),
      // The instance role is granted this parameter: "*" would grant every parameter of the account.
      cloudWatchAgentConfig({ targets: { tag: "SSM_Association", values: ["windows"] }, parameter: "*" }),
    ],
  },
});
