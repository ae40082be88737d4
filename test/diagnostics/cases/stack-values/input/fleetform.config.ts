import { awsAssociation, defineConfig, stackParameter, sub } from "fleetform";

export default defineConfig({
  layers: ["platform"],
  stack: {
    parameters: { Environment: { allowedValues: ["prod", "staging"], default: "prod" } },
    tags: { SSM_Association: ["windows-prod", sub`windows-${stackParameter("Environment")}`], Role: ["web", "db"] },
    associations: [
      awsAssociation({
        name: "PatchScan",
        document: "AWS-RunPatchBaseline",
        parameters: { Operation: "Scan" },
        // The seed's way: the substitution written as plain text.
        targets: { tag: "SSM_Association", values: ["windows-${Environment}"] },
        schedule: "rate(1 day)",
        scheduleOffset: 2,
      }),
      awsAssociation({
        name: "Inventory",
        document: "AWS-GatherSoftwareInventory",
        // Plain text again, for a tag whose values are all literal: FF2116 alone, not also "no instance carries it".
        targets: { tag: "Role", values: ["web-${Environment}"] },
        schedule: "rate(1 day)",
      }),
    ],
  },
});
