import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// EC2 takes a + in a tag key, SSM's targets do not (TargetKey's pattern).
export default configuration({
  name: "AppServer",
  targets: { tag: "Cost+Center", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
