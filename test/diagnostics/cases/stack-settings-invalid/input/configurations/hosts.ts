import { configuration } from "fleetform";
import { TimeZone } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  // Delivered by nothing: no document, no association.
  delivery: { runCommand: false },
  resources: { tz: TimeZone({ id: "UTC" }) },
});
