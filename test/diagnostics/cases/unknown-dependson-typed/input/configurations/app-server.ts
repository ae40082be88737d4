import { configuration, ec2Tag } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: ec2Tag("Name") }),
    iis: WindowsFeature({ name: "Web-Server" }, { dependsOn: ["hostnme"] }),
  },
});
