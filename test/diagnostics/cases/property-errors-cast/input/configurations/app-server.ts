import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ includeManagementTools: true } as never),
    netFx: WindowsFeature({ name: "NET-Framework-45-Core", source: "D:\\sources\\sxs" } as never),
  },
});
