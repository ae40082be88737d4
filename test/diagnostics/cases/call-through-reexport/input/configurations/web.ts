import { configuration } from "fleetform";
import { SiteSetting } from "../modules/web/index.js";

export default configuration({
  name: "WebServers",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { setting: SiteSetting({ name: "Mode", value: "live" }) },
});
