import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Chooses Zeta's default compliance type: the error is here, though Alpha comes first.
export default configuration({
  name: "Alpha",
  targets: { tag: "Role", values: ["alpha"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { complianceType: "Custom:Zeta" } },
  resources: {
    motd: Setting({ name: "Motd", data: "alpha" }),
  },
});
