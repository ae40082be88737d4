// Database servers: SQL Server backups and the Practice Management data folder.
import { configuration, ec2Tag, secret, ssmParameter } from "fleetform";
import { Chocolatey, ComputerName } from "../modules/windows/index.js";
import { DataDirectory, License, ServiceAccount } from "../modules/practice-management/index.js";
import { SqlBackupDirectory } from "../modules/roles/index.js";

export default configuration({
  name: "DatabaseServer",
  description: "DocuTAP database server: SQL Server backup folder and Practice Management data",
  targets: { tag: "SSM_Association", values: ["windows-prod-db"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: ec2Tag("Name") }),
    choco: Chocolatey({ version: "2.2.2" }, { dependsOn: ["hostname"] }),
    backups: SqlBackupDirectory({ drive: "D" }),
    pmData: DataDirectory({ path: "D:\\PracticeManagement\\Data", group: "DOCUTAP\\pm-service" }, { dependsOn: ["backups"] }),
    // Read on the instance: the stack's instance role may read exactly this secret and this parameter (cloudformation/dependencies.yaml).
    pmAccount: ServiceAccount({ service: "PMServer", account: secret("docutap/prod/pm-service-account") }, { dependsOn: ["pmData"] }),
    pmLicense: License({ product: "PracticeManagement", key: ssmParameter("/docutap/prod/pm-license-key", { secure: true }) }),
  },
});
