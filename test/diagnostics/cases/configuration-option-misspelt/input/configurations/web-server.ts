import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  nmae: "WebServer",
  targets: { tag: "SSM_Association", values: ["windows-web"] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
