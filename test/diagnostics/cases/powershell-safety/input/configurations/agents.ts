import { configuration } from "fleetform";
import { AgentVersion, FirewallOn, HostName } from "../modules/base/index.js";

export default configuration({
  name: "Agents",
  targets: { tag: "Role", values: ["agents"] },
  schedule: "rate(30 minutes)",
  resources: {
    agent: AgentVersion({ name: "ContosoAgent", version: "4.2.0" }),
    host: HostName({ name: "AGENT-01" }),
    firewall: FirewallOn({ name: "RemoteDesktop-UserMode-In-TCP" }),
  },
});
