import { configuration } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Run Command only: the literal is fine for the runtime, but it gets no DSC document (a warning).
export default configuration({
  name: "RunCommand",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  resources: {
    banner: Setting({ name: "Banner", data: "Hello {env:USERNAME}" }),
  },
});
