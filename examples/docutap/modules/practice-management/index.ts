// Application layer: the Practice Management application.
import { defineModule, ps, resource, t } from "fleetform";
import { getInstalledProduct, installMsi } from "../windows/index.js";

export const module = defineModule({
  name: "PracticeManagement",
  layer: "application",
  version: "1.0.3",
  description: "The Practice Management client and its data folder",
});

/** The Practice Management client is installed from a file share. */
export const PracticeManagementClient = resource({
  name: "PracticeManagementClient",
  description: "The Practice Management client is installed at the desired version",
  properties: {
    version: t.string({ key: true }),
    source: t.string({ description: "UNC path of the MSI." }),
  },
  get: () => ps`
    $product = ${getInstalledProduct({ displayName: "Practice Management Client" })}
    @{ Version = $(if ($null -ne $product) { $product.DisplayVersion } else { $null }) }
  `,
  test: ({ version }) => ps`
    $product = ${getInstalledProduct({ displayName: "Practice Management Client" })}
    ($null -ne $product) -and ($product.DisplayVersion -eq ${version})
  `,
  set: ({ source }) => ps`
    ${installMsi({ path: source, logPath: "C:\\ProgramData\\Fleetform\\Logs\\pm-install.log" })}
  `,
});

/** A data folder the application's service group may modify. */
export const DataDirectory = resource({
  name: "DataDirectory",
  description: "A folder exists and grants a group Modify rights",
  properties: {
    path: t.string({ key: true, pattern: /^[A-Za-z]:\\.+/ }),
    group: t.string(),
  },
  get: ({ path }) => ps`
    @{ Path = ${path}; Exists = (Test-Path -LiteralPath ${path} -PathType Container) }
  `,
  test: ({ path, group }) => ps`
    (Test-Path -LiteralPath ${path} -PathType Container) -and
        [bool](@((Get-Acl -LiteralPath ${path}).Access | Where-Object { $_.IdentityReference -eq ${group} -and $_.FileSystemRights -band [System.Security.AccessControl.FileSystemRights]::Modify }).Count)
  `,
  // Changing an ACL is disruptive: not while the Practice Management server has the folder open.
  safe: () => ps`@(Get-Process -Name 'PMServer' -ErrorAction SilentlyContinue).Count -eq 0`,
  set: ({ path, group }) => ps`
    New-Item -Path ${path} -ItemType Directory -Force | Out-Null
    $acl = Get-Acl -LiteralPath ${path}
    $rule = New-Object -TypeName System.Security.AccessControl.FileSystemAccessRule -ArgumentList ${group}, 'Modify', 'ContainerInherit, ObjectInherit', 'None', 'Allow'
    $acl.AddAccessRule($rule)
    Set-Acl -LiteralPath ${path} -AclObject $acl
  `,
});
