import { configuration } from "fleetform";
import { Dsc } from "../modules/base/index.js";

export default configuration({
  name: "Command",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { dsc: Dsc({ name: "x" }) },
});
