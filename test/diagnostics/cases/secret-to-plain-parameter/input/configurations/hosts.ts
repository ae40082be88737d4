import { configuration, secret } from "fleetform";
import { ServiceAccount } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: { svc: ServiceAccount({ name: "svc-app", password: secret("prod/svc-app") }) },
});
