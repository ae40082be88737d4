import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Its Run Command association's logical id is ConfigWebDscAssociation too.
export default configuration({
  name: "WebDsc",
  targets: { tag: "Role", values: ["api"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: Setting({ name: "Motd", data: "web dsc" }),
  },
});
