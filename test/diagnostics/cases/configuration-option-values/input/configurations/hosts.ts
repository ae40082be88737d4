import { configuration } from "fleetform";
import { TimeZone } from "../modules/base/index.js";

// Values the type check refuses too: each is reported once, at the value, as fleetform's error
// (the same check runs with --no-typecheck, where they reached the template and the MOFs).
export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  association: { complianceSeverity: "SEVERE", syncCompliance: "auto", applyOnlyAtCronInterval: "yes" },
  delivery: { runCommand: "yes", dsc: { rebootBehavior: "Sometimes", mode: "Apply2", complianceType: 5 } },
  lcm: { configurationMode: "Monitor", rebootNodeIfNeeded: "no", actionAfterReboot: "Continue" },
  resources: {
    tz: TimeZone({ id: "UTC" }),
  },
});
