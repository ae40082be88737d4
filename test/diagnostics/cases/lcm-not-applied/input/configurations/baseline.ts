import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Delivered by DSC: the meta MOF is written, but AWS-ApplyDSCMofs never applies it.
export default configuration({
  name: "Baseline",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { rebootBehavior: "Never" } },
  lcm: { rebootNodeIfNeeded: true, actionAfterReboot: "ContinueConfiguration" },
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
