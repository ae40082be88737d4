import { configuration } from "fleetform";
import { Throttle } from "../modules/kinds/index.js";

export default configuration({
  name: "Throttled",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 hour)",
  delivery: { runCommand: true, dsc: true },
  resources: {
    web01: Throttle({ site: "web-01", limit: 20, label: "front", hosts: ["www.example.com", "API.example.com"] }),
    app02: Throttle({ site: "app-02", limit: 5, mode: "Hard", enabled: false }, { dependsOn: ["web01"] }),
  },
});
