import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// A compliance type SSM refuses: spaces, and over 100 characters.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { complianceType: "Custom:Web baseline with spaces that goes on and on and on, past the one hundred characters SSM allows" } },
  resources: {
    motd: Setting({ name: "Motd", data: "web" }),
  },
});
