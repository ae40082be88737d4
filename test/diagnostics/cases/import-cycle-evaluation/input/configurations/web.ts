import { configuration } from "fleetform";
import { SiteFolder } from "../modules/web/index.js";

export default configuration({
  name: "WebServers",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { site: SiteFolder({ path: "C:\\Sites\\Web" }) },
});
