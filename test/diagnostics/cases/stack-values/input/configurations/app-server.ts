import { configuration, stackParameter, sub } from "fleetform";
import { Setting } from "../modules/base/index.js";

export default configuration({
  name: "AppServer",
  // The seed's SSM stack targeted Windows-prod while instances carry windows-prod.
  targets: { tag: "SSM_Association", values: ["Windows-prod", sub`windows-${stackParameter("Enviroment")}`] },
  schedule: "rate(30 minutes)",
  association: { maxConcurrency: "0", maxErrors: "150%", applyOnlyAtCronInterval: true },
  resources: {
    motd: Setting({ name: "Motd", data: "hello" }),
  },
});
