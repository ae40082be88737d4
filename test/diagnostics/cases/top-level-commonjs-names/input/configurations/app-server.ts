import { configuration } from "fleetform";
import { TimeZone } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    timeZone: TimeZone({ id: "UTC" }),
  },
});
