import { configuration, ec2Tag } from "fleetform";
import { RegistryValue, TextFile } from "../modules/platform/index.js";
import { AppPool } from "../modules/web/index.js";

export default configuration({
  name: "WebServer",
  description: "IIS web servers",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(30 minutes)",
  resources: {
    motd: TextFile({ path: "C:\\motd.txt", content: "Welcome" }),
    owner: RegistryValue({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Owner", data: ec2Tag("Owner") }),
    pool: AppPool({ name: "Default", pipeline: "Integrated" }, { dependsOn: ["owner"] }),
  },
});
