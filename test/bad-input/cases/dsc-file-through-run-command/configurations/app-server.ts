import { configuration, dsc } from "fleetform";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    logs: dsc.File({ destinationPath: "C:\\Logs", type: "Directory" }),
  },
});
