import { configuration, stackParameter, sub } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: [sub`windows-${stackParameter("Environment")}`] },
  schedule: "rate(30 minutes)",
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
