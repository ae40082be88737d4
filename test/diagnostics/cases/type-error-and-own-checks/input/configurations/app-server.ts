import { configuration, ec2Tag, ps } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";
import { WindowsFeature } from "../modules/roles/index.js";

// A type error of its own: it does not hide fleetform's checks below.
const retries: number = "three";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "cron(0 25 ? * * *)",
  resources: {
    hostname: ComputerName({ name: ec2Tag("Name") }),
    iis: WindowsFeature(
      { name: "Web-Server" },
      {
        dependsOn: ["hostnme"],
      },
    ),
  },
});
