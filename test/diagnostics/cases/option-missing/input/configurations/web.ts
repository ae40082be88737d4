import { configuration } from "fleetform";
import { AppPool } from "../modules/emr/index.js";

// No targets, and an instance without its required property: ours each, not tsc's besides.
export default configuration({
  name: "Web",
  schedule: "rate(30 minutes)",
  resources: { pool: AppPool({}) },
});
