import { configuration, instanceId } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  delivery: { runCommand: false, dsc: true },
  resources: {
    where: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Instance", data: instanceId() }),
  },
});
