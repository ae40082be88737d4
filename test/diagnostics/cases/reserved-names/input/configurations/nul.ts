import { configuration } from "fleetform";
import { Com1 } from "../modules/con/index.js";

export default configuration({
  name: "Nul",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  resources: {
    port: Com1({ name: "a" }),
  },
});
