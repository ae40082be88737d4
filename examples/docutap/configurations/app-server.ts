// Application servers: EMR and Practice Management, every 30 minutes.
import { configuration, ec2Tag, ssmParameter } from "fleetform";
import { Chocolatey, ComputerName } from "../modules/windows/index.js";
import { EmrApplication, EmrService } from "../modules/emr/index.js";
import { PracticeManagementClient } from "../modules/practice-management/index.js";
import { WindowsFeature } from "../modules/roles/index.js";

export default configuration({
  name: "AppServer",
  description: "DocuTAP application server: EMR and Practice Management on IIS",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: ec2Tag("Name") }),
    choco: Chocolatey({ version: "2.2.2" }, { dependsOn: ["hostname"] }),
    iis: WindowsFeature({ name: "Web-Server", includeManagementTools: true }),
    emr: EmrApplication(
      { version: "2.1.0", bucket: ssmParameter("/docutap/prod/artifact-bucket"), key: "emr/DocuTAP-EMR-2.1.0.msi" },
      { dependsOn: ["iis"] },
    ),
    emrService: EmrService({ name: "DocuTapEmr" }, { dependsOn: ["emr"] }),
    pmClient: PracticeManagementClient({ version: "11.4.2", source: "\\\\fs01\\installers\\pm\\PMClient-11.4.2.msi" }),
  },
});
