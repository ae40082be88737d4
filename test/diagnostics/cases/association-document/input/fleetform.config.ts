import { awsAssociation, defineConfig } from "fleetform";

const targets = { tag: "SSM_Association", values: ["windows"] };

export default defineConfig({
  layers: ["platform"],
  stack: {
    associations: [
      // Another account's shared document: anything at all, run as SYSTEM on the fleet.
      awsAssociation({ name: "Shared", document: "arn:aws:ssm:us-east-1:999999999999:document/Evil", targets, schedule: "rate(1 day)" }),
      // A document of this account: not AWS's.
      awsAssociation({ name: "Own", document: "Fleet-Cleanup", targets, schedule: "rate(1 day)" }),
      // AWS's, but it runs the commands it is given: no fragment check sees them.
      awsAssociation({ name: "Reboot", document: "AWS-RunPowerShellScript", parameters: { commands: ["Restart-Computer -Force"] }, targets, schedule: "rate(30 minutes)" }),
      // AWS's own, doing one thing: fine.
      awsAssociation({ name: "Scan", document: "AWS-RunPatchBaseline", parameters: { Operation: "Scan" }, targets, schedule: "rate(1 day)" }),
    ],
  },
});
