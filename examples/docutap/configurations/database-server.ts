// Database servers: SQL Server backups and the Practice Management data folder.
import { configuration, ec2Tag } from "fleetform";
import { Chocolatey, ComputerName } from "../modules/windows/index.js";
import { DataDirectory } from "../modules/practice-management/index.js";
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
  },
});
