import { awsAssociation, defineConfig, patchBaselineScan } from "fleetform";

const fleet = { tag: "SSM_Association", values: ["windows-prod"] };

export default defineConfig({
  layers: ["platform", "application", "role"],
  stack: {
    tags: { SSM_Association: ["windows-prod"] },
    associations: [
      patchBaselineScan({ targets: fleet, schedule: "cron(0 3 ? * MON#6 *)" }),
      awsAssociation({ name: "Inventory", document: "AWS-GatherSoftwareInventory", targets: fleet, schedule: "cron(0 4 ? JAN-DEC * 2200)" }),
    ],
  },
});
