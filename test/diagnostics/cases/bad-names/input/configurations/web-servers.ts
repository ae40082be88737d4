import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

// A space: the configuration name is not valid, and that is the one error (the SSM document's name,
// made from it, is not reported again).
export default configuration({
  name: "Web Servers",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: "web01" }),
  },
});
