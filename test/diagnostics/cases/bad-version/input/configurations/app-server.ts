import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  version: "2.0-rc1",
  resources: {
    hostname: ComputerName({ name: "app01" }),
  },
});
