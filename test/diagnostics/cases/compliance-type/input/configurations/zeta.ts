import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "Zeta",
  targets: { tag: "Role", values: ["zeta"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: true },
  resources: {
    motd: Setting({ name: "Motd", data: "zeta" }),
  },
});
