import { awsAssociation, defineConfig, patchBaselineScan } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    tags: { Role: ["web"] },
    associations: [
      // SSM takes no line separator in a target's tag key, and no empty list of values.
      awsAssociation({ name: "Scan", document: "AWS-RunPatchBaseline", parameters: { Operation: "Scan" }, targets: { tag: "Role\u2028Admin", values: [] }, schedule: "rate(1 day)" }),
      // Tag keys are case-sensitive: instances carry Role, not role.
      patchBaselineScan({ targets: { tag: "role", values: ["web"] } }),
    ],
  },
});
