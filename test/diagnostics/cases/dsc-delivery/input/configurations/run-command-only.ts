import { configuration, instanceId } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command only: no DSC document for it, which is worth a warning, not an error.
export default configuration({
  name: "RunCommandOnly",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    where: Setting({ name: "Instance", data: instanceId() }),
  },
});
