import { configuration } from "fleetform";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "FileServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "cron(75 2 ? 13 FOO *)",
  resources: {
    iis: WindowsFeature({ name: "Web-Server" }),
  },
});
