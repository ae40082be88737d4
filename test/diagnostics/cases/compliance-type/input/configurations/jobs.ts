import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Reports under the runtime's compliance type for Api.
export default configuration({
  name: "Jobs",
  targets: { tag: "Role", values: ["jobs"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { complianceType: "Custom:Fleetform_Api" } },
  resources: {
    motd: Setting({ name: "Motd", data: "jobs" }),
  },
});
