import { configuration } from "fleetform";
import { ServiceState } from "../modules/emr/index.js";

// An instance of the resource whose `properties` is misspelt: no second error here for its 'name'.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: { emr: ServiceState({ name: "Emr" }) },
});
