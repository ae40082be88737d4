import { configuration } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";

// 60 KB of description: under the 64 KB SSM document limit, but the CloudFormation template embeds every document.
const history = "x".repeat(60 * 1024);

export default configuration({
  name: "Server10",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  description: `Servers ${history}`,
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
