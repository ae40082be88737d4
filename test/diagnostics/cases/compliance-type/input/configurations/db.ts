import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Reports under App's default compliance type: the two would overwrite each other's data.
export default configuration({
  name: "Db",
  targets: { tag: "Role", values: ["db"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { complianceType: "Custom:App" } },
  resources: {
    motd: Setting({ name: "Motd", data: "db" }),
  },
});
