import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// SSM's own compliance type, not one of this configuration's.
export default configuration({
  name: "Patchy",
  targets: { tag: "Role", values: ["patchy"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { complianceType: "Association" } },
  resources: {
    motd: Setting({ name: "Motd", data: "patchy" }),
  },
});
