import { configuration } from "fleetform";
import { ServiceAccount } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    svc: ServiceAccount({ userName: "svc-app", password: "hunter2" }),
  },
});
