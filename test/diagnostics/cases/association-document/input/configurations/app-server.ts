import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
