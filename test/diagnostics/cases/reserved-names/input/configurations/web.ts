import { configuration } from "fleetform";
import { Com1 } from "../modules/con/index.js";

// Resource ids PowerShell and DSC compare ignoring case; the second one would replace the first.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  resources: {
    site: Com1({ name: "a" }),
    Site: Com1({ name: "b" }),
  },
});
