import { configuration } from "fleetform";
import { HostName } from "../modules/base/index.js";

export default configuration({
  name: "Accounts",
  targets: { tag: "Role", values: ["accounts"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { rebootBehavior: "Never" } },
  resources: {
    host: HostName({ name: "ACCT01" }),
  },
});
