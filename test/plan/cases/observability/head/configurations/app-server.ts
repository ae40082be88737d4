import { configuration } from "fleetform";
import { TextFile } from "../modules/platform/index.js";

export default configuration({
  name: "AppServer",
  description: "Application servers",
  targets: { tag: "Role", values: ["app"] },
  schedule: "rate(1 day)",
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "App server" }),
  },
});
