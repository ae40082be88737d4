import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "", values: [] },
  schedule: "rate(30 minutes)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
