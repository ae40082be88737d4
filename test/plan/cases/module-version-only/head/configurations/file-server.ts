import { configuration } from "fleetform";
import { TextFile } from "../modules/platform/index.js";

export default configuration({
  name: "FileServer",
  description: "File servers",
  targets: { tag: "Role", values: ["files"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: true, dsc: {} },
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "File server" }),
  },
});
