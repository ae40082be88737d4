import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

// A misspelt option is one error, at the misspelling, with the option meant: not also the
// schedule (or name) it means reported as missing or 'undefined', nor tsc's excess property.
export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedul: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
