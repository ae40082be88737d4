import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: "app_server_01" }),
    // @ts-expect-error: name is required
    iis: WindowsFeature({ includeManagementTools: true }),
    // @ts-expect-error: there is no property source
    netFx: WindowsFeature({ name: "NET-Framework-45-Core", source: "D:\\sources\\sxs" }),
  },
});
