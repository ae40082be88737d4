import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

export default configuration({
  name: "App-Server",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    "1st-hostname": ComputerName({ name: "app01" }),
  },
});
