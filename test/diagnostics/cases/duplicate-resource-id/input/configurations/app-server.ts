import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
    aspNet: WindowsFeature({ name: "Web-Asp-Net45" }),
    // @ts-expect-error: a second resource with the id iis
    iis: WindowsFeature({ name: "Web-Mgmt-Tools" }),
  },
});
