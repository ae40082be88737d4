import { configuration } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";
import { history } from "../shared/history.js";

export default configuration({
  name: "Server01",
  targets: { tag: "Role", values: ["server01"] },
  schedule: "rate(30 minutes)",
  description: `Server 01 ${history}`,
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
