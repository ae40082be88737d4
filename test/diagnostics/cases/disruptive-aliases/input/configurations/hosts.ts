import { configuration } from "fleetform";
import { AppByText, AppHost, AppService, Marker, OldFolder, Patched, PendingRename, Spooler, Stamp } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: {
    old: OldFolder({ path: "C:\\Apps\\Old" }),
    spooler: Spooler({ name: "Spooler" }),
    marker: Marker({ path: "C:\\Apps\\build.txt", build: "42" }),
    rename: PendingRename({ name: "HOST-01" }),
    patch: Patched({ kb: "KB5005565" }),
    app: AppService({ name: "AppSvc", disabled: true }),
    host: AppHost({ name: "AppHost" }),
    text: AppByText({ name: "AppSvc2" }),
    stamp: Stamp({ path: "C:\\Apps\\stamp.txt" }),
  },
});
