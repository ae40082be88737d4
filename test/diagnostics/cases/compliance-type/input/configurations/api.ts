import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command: the runtime reports its resources under Custom:Fleetform_Api.
export default configuration({
  name: "Api",
  targets: { tag: "Role", values: ["api"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: Setting({ name: "Motd", data: "api" }),
  },
});
