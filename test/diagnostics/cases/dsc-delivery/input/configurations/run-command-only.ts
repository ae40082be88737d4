import { configuration, instanceId } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command only (the default delivery): it gets no DSC document, so a value with no
// AWS-ApplyDSCMofs token is fine and not worth a warning.
export default configuration({
  name: "RunCommandOnly",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    where: Setting({ name: "Instance", data: instanceId() }),
  },
});
