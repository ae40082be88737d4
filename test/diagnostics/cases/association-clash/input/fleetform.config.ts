import { awsAssociation, defineConfig } from "fleetform";

// Named like configuration Web's DSC association (docutap-Web-dsc, and its S3 output folder).
export default defineConfig({
  layers: ["platform"],
  stack: {
    associations: [awsAssociation({ name: "Web-dsc", document: "AWS-RunPatchBaseline", parameters: { Operation: "Scan" }, targets: { tag: "Role", values: ["web"] }, schedule: "rate(1 day)" })],
  },
});
