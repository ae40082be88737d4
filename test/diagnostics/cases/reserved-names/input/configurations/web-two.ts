import { configuration } from "fleetform";
import { Com1 } from "../modules/con/index.js";

// A configuration named like another one but for case: one folder, file and module on Windows.
export default configuration({
  name: "WEB",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  resources: {
    port: Com1({ name: "c" }),
  },
});
