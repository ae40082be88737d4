import { configuration, dsc, ec2Tag, instanceId } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Delivered as a MOF: an instance id has no AWS-ApplyDSCMofs token, and tokens only work in strings.
export default configuration({
  name: "Mixed",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  delivery: { dsc: { rebootBehavior: "Never" } },
  resources: {
    where: Setting({ name: "Instance", data: instanceId() }),
    retries: Setting({ name: "Retries", data: "3", retries: ec2Tag("Retries") as unknown as number }),
    logs: dsc.File({ destinationPath: "C:\\Logs", type: "Directory" }),
  },
});
