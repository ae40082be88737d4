import { configuration, secret, ssmParameter } from "fleetform";
import { ServiceAccount } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    svc: ServiceAccount({ userName: ssmParameter("/fleet/svc-app/name", { secure: true }) as never, password: secret("fleet/svc-app") }),
  },
});
