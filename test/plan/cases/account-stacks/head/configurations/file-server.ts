import { configuration } from "fleetform";
import { TextFile } from "../modules/platform/index.js";

export default configuration({
  name: "FileServer",
  description: "File servers",
  targets: { tag: "Role", values: ["files"] },
  schedule: "rate(1 day)",
  // Also delivered as a MOF: the instances read it from the MOF bucket, which the pipeline now passes.
  delivery: { runCommand: true, dsc: { rebootBehavior: "Never", mode: "Apply" } },
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "File server" }),
  },
});
