import { configuration } from "fleetform";
import { RegistryValue } from "../modules/windows/index.js";

// 52 KB of description: the SSM document fits its 64 KB, the template is over 51,200 bytes.
export default configuration({
  name: "AppServer",
  targets: { tag: "Role", values: ["app"] },
  schedule: "rate(30 minutes)",
  description: `App servers ${"x".repeat(52 * 1024)}`,
  resources: {
    banner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Banner", data: "Authorised use only" }),
  },
});
