import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command and DSC: ConfigWebAssociation and ConfigWebDscAssociation; names Web and Web-dsc.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  delivery: { dsc: true },
  resources: {
    motd: Setting({ name: "Motd", data: "web" }),
  },
});
