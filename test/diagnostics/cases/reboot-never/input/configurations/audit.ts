import { configuration } from "fleetform";
import { HostName } from "../modules/base/index.js";

// ReportOnly sets nothing: no change waits for a reboot, so no warning.
export default configuration({
  name: "Audit",
  targets: { tag: "Role", values: ["audit"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { rebootBehavior: "Never", mode: "ReportOnly" } },
  resources: {
    host: HostName({ name: "AUDIT01" }),
  },
});
