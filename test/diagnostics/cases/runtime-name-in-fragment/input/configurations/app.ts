import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "App",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  resources: { one: Setting({ name: "a" }) },
});
