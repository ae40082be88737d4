import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Delivered by Run Command only: no DSC document at all.
export default configuration({
  name: "App",
  targets: { tag: "Role", values: ["app"] },
  schedule: "rate(30 minutes)",
  lcm: { configurationMode: "ApplyAndAutoCorrect" },
  resources: {
    banner: Setting({ name: "Banner", data: "app" }),
  },
});
