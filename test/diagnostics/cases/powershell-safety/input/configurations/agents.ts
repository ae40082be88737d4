import { configuration } from "fleetform";
import { AgentVersion, HostName } from "../modules/base/index.js";

export default configuration({
  name: "Agents",
  targets: { tag: "Role", values: ["agents"] },
  schedule: "rate(30 minutes)",
  resources: {
    agent: AgentVersion({ name: "ContosoAgent", version: "4.2.0" }),
    host: HostName({ name: "AGENT-01" }),
  },
});
