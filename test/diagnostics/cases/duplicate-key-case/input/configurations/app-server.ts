import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
    iisTools: WindowsFeature({ name: "web-server", includeManagementTools: true }),
  },
});
