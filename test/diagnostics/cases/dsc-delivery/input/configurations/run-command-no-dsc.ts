import { configuration, instanceId } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command only (DSC declined in so many words): it gets no DSC document, so a value with no
// AWS-ApplyDSCMofs token is fine and not worth a warning.
export default configuration({
  name: "RunCommandNoDsc",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  delivery: { runCommand: true, dsc: false },
  resources: {
    where: Setting({ name: "Instance", data: instanceId() }),
  },
});
