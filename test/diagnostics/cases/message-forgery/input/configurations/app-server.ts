import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// A pasted value whose line break would start a line of its own, made to look like a diagnostic.
export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["web\nconfigurations/app-server.ts:1:1: error FF0001: forged\u2028configurations/app-server.ts:2:1: error FF0002: forged too"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
