// Role layer: what makes a server an application server or a database server.
import { defineModule, fn, ps, resource, t } from "fleetform";
import { getLoggedOnUserCount } from "../windows/index.js";

export const module = defineModule({
  name: "ServerRoles",
  layer: "role",
  version: "1.1.0",
  description: "Server roles: Windows features and role-specific folders",
});

/** A Windows feature (Server Manager) is installed. */
export const WindowsFeature = resource({
  name: "WindowsFeature",
  description: "A Windows feature is installed",
  properties: {
    name: t.string({ key: true, pattern: /^[A-Za-z0-9-]+$/ }),
    includeManagementTools: t.bool({ default: false }),
  },
  get: ({ name }) => ps`
    $feature = Get-WindowsFeature -Name ${name}
    @{ Name = ${name}; Installed = [bool]$feature.Installed }
  `,
  test: ({ name }) => ps`[bool](Get-WindowsFeature -Name ${name}).Installed`,
  safe: () => ps`${getLoggedOnUserCount({})} -eq 0`,
  set: ({ name, includeManagementTools }) => ps`
    $result = Install-WindowsFeature -Name ${name} -IncludeManagementTools:${includeManagementTools}
    if (-not $result.Success) { throw ('Install-WindowsFeature {0} failed: {1}' -f ${name}, $result.ExitCode) }
  `,
});

/** Resolves the SQL Server backup folder from the instance's data drive. */
export const getBackupRoot = fn({
  name: "Get-BackupRoot",
  description: "The folder SQL Server backups go to on this server.",
  params: { drive: t.string({ pattern: /^[A-Z]$/ }) },
  returns: t.string(),
  body: ({ drive }) => ps`'{0}:\SQLBackup' -f ${drive}`,
});

/** The SQL Server backup folder exists. */
export const SqlBackupDirectory = resource({
  name: "SqlBackupDirectory",
  description: "The SQL Server backup folder exists on the data drive",
  properties: {
    drive: t.string({ key: true, pattern: /^[A-Z]$/ }),
  },
  get: ({ drive }) => ps`@{ Path = ${getBackupRoot({ drive })}; Exists = (Test-Path -LiteralPath ${getBackupRoot({ drive })}) }`,
  test: ({ drive }) => ps`Test-Path -LiteralPath ${getBackupRoot({ drive })} -PathType Container`,
  set: ({ drive }) => ps`New-Item -Path ${getBackupRoot({ drive })} -ItemType Directory -Force | Out-Null`,
});
