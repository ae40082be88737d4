import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  description: Symbol("app servers") as never,
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: "app01" }),
  },
});
