import { configuration } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";
import { history } from "../shared/history.js";

export default configuration({
  name: "Server09",
  targets: { tag: "Role", values: ["server09"] },
  schedule: "rate(30 minutes)",
  description: `Server 09 ${history}`,
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
