import { configuration } from "fleetform";
import { AppPool } from "../modules/emr/index.js";

// `mode` left out: its type's misspelt `defualt` meant a default, so it is not reported missing
// too (the FF2106 at `defualt` says it); `port`, whose misspelt option is not about that, neither.
export default configuration({
  name: "Web",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    pool: AppPool({ name: "shop", data: "x", port: 80 }),
  },
});
