import { configuration } from "fleetform";
import { TimeZone } from "../modules/base/index.js";

// No targets and no schedule: each is said once, as what is missing.
export default configuration({
  name: "Hosts",
  resources: {
    tz: TimeZone({ id: "UTC" }),
  },
});
