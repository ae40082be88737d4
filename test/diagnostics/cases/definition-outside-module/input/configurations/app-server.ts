import { configuration, ec2Tag } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";
import { Motd } from "./lib/motd.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: ec2Tag("Name") }),
    motd: Motd({ text: "Authorised use only." }),
  },
});
