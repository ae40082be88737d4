import { defineConfig, patchBaselineScan, stackParameter, updateSsmAgent } from "fleetform";

const everyServer = { tag: "Role", values: ["web", "files"] };

export default defineConfig({
  layers: ["platform", "role"],
  install: { logDir: "D:\\Logs" },
  stack: {
    prefix: "contoso",
    parameters: { Environment: { allowedValues: ["prod", "staging"], default: "prod" } },
    associations: [
      patchBaselineScan({ targets: { tag: "Role", values: ["web", "files", stackParameter("Environment")] }, schedule: "rate(12 hours)", maxErrors: "1" }),
      updateSsmAgent({ targets: everyServer }),
    ],
  },
});
