import { configuration } from "fleetform";
import { FirewallRule, LocalUser } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: {
    user: LocalUser({ userName: "svc-app" }),
    rule: FirewallRule({ name: "App-In", port: 8443 }),
  },
});
