import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "Baseline",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: true },
  lcm: { configurationModeFrequencyMins: 10, refreshFrequencyMins: 50000, rebootNodeIfNeeded: true },
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
