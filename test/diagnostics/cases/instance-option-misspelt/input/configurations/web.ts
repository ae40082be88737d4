import { configuration } from "fleetform";
import { ServiceState } from "../modules/emr/index.js";

// A misspelt instance option: without the type check (or through a spread) it was dropped unseen,
// and the dependency with it; with it, tsc's excess property alone. Now ours, at the misspelling.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    first: ServiceState({ name: "First" }),
    second: ServiceState({ name: "Second" }, { dependOn: ["first"] }),
  },
});
