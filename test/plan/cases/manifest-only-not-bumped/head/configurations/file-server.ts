import { configuration } from "fleetform";
import { TextFile } from "../modules/platform/index.js";
import { AppPool } from "../modules/web/index.js";

// Delivered through DSC too: the LCM loads WebRole (and Platform, which WebRole requires).
export default configuration({
  name: "FileServer",
  description: "File servers",
  targets: { tag: "Role", values: ["files"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: true, dsc: {} },
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "File server" }),
    pool: AppPool({ name: "files", pipeline: "Integrated" }),
  },
});
