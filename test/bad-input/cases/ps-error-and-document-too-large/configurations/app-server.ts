import { configuration } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";

// 70 KB of description: it is copied into the SSM document, whose limit is 64 KB.
const history = "x".repeat(70 * 1024);

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  description: `App servers. ${history}`,
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
