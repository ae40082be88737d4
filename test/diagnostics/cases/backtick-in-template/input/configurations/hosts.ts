import { configuration } from "fleetform";
import { Banner } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: { banner: Banner({ text: "Authorised use only" }) },
});
