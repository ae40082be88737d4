import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "App",
  targets: { tag: "Role", values: ["app"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: true },
  resources: {
    motd: Setting({ name: "Motd", data: "app" }),
  },
});
