import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "WebServer",
  targets: { tag: "SSM_Association", values: ["windows-web"] },
  schedule: "rate(30 minutes)",
  resources: {
    // @ts-expect-error: a misspelt name (two letters swapped): one error, at the misspelling, not also 'name' missing
    web: WindowsFeature({ nmae: "Web-Server" }),
  },
});
