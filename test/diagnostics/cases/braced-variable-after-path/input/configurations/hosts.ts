import { configuration } from "fleetform";
import { ArchiveFile, LogFile } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: { log: LogFile({ name: "app" }), archive: ArchiveFile({ name: "app" }) },
});
