import { configuration } from "fleetform";
import { Marker } from "../modules/base/index.js";

export default configuration({
  name: "Hosts",
  targets: { tag: "Role", values: ["hosts"] },
  schedule: "rate(30 minutes)",
  resources: { marker: Marker({ path: "C:\\Apps\\build.txt", build: "42" }) },
});
