import { configuration, ec2Tag, stackParameter } from "fleetform";
import { RegistryValue, TextFile } from "../modules/platform/index.js";
import { AppPool } from "../modules/web/index.js";

export default configuration({
  name: "WebServer",
  description: "IIS web servers",
  // (Team is a stack parameter: the association targets the team's servers)
  targets: { tag: "Team", values: [stackParameter("Team")] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "Welcome" }),
    owner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Owner", data: ec2Tag("Owner") }),
    pool: AppPool({ name: "Default", pipeline: "Integrated" }, { dependsOn: ["owner"] }),
  },
});
