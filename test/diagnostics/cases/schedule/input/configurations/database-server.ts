import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "DatabaseServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "cron(0 2 * * SUN)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
