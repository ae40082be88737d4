import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "WebServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "cron(0 25 ? * * *)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
