import { codeDeployAgent, defineConfig } from "fleetform";

// Two helpers of one kind: both get the helper's default name, which the author never wrote.
export default defineConfig({
  layers: ["platform"],
  stack: {
    tags: { Role: ["web", "db"] },
    associations: [codeDeployAgent({ targets: { tag: "Role", values: ["web"] } }), codeDeployAgent({ targets: { tag: "Role", values: ["db"] } })],
  },
});
