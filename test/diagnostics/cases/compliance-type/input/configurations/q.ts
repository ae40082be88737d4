import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// A one-letter name: its default compliance type, Custom:Q, is shorter than SSM takes.
export default configuration({
  name: "Q",
  targets: { tag: "Role", values: ["q"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: true },
  resources: {
    motd: Setting({ name: "Motd", data: "q" }),
  },
});
