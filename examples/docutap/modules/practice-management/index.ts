// Application layer: the Practice Management application.
import { defineModule, ps, resource, t } from "fleetform";
import { getInstalledProduct, installMsi } from "../windows/index.js";

export const module = defineModule({
  name: "PracticeManagement",
  layer: "application",
  version: "1.1.0",
  description: "The Practice Management client, its data folder, service account and license",
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

/** The Practice Management server runs as a domain account whose password lives in Secrets Manager. */
export const ServiceAccount = resource({
  name: "PracticeManagementServiceAccount",
  description: "A service runs as the account of a Secrets Manager secret",
  properties: {
    service: t.string({ key: true, pattern: /^[A-Za-z0-9_-]{1,80}$/ }),
    account: t.credential({ description: "A secret holding Username and Password." }),
  },
  get: ({ service }) => ps`
    @{ Service = ${service}; StartName = (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + ${service} + "'")).StartName }
  `,
  test: ({ service, account }) => ps`
    (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + ${service} + "'")).StartName -eq ${account}.UserName
  `,
  // Changing a service's account restarts nothing, but the new account takes effect at the next start.
  safe: () => ps`@(Get-Process -Name 'PMServer' -ErrorAction SilentlyContinue).Count -eq 0`,
  set: ({ service, account }) => ps`
    $wmiService = Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + ${service} + "'")
    $result = Invoke-CimMethod -InputObject $wmiService -MethodName Change -Arguments @{ StartName = ${account}.UserName; StartPassword = ${account}.GetNetworkCredential().Password }
    if ($result.ReturnValue -ne 0) { throw ('Win32_Service.Change returned {0}' -f $result.ReturnValue) }
  `,
  disruptive: true,
});

/** The license key comes from a SecureString parameter and is kept in the registry. */
export const License = resource({
  name: "PracticeManagementLicense",
  description: "The Practice Management license key is installed",
  properties: {
    product: t.string({ key: true, pattern: /^[A-Za-z]+$/ }),
    key: t.secret({ description: "The license key." }),
  },
  get: ({ product }) => ps`@{ Product = ${product}; Installed = Test-Path -LiteralPath ('HKLM:\\SOFTWARE\\DocuTAP\\' + ${product}) }`,
  test: ({ product, key }) => ps`
    $current = Get-ItemProperty -LiteralPath ('HKLM:\\SOFTWARE\\DocuTAP\\' + ${product}) -Name 'LicenseKey' -ErrorAction SilentlyContinue
    ($null -ne $current) -and ($current.LicenseKey -ceq ${key})
  `,
  set: ({ product, key }) => ps`
    New-Item -Path ('HKLM:\\SOFTWARE\\DocuTAP\\' + ${product}) -Force | Out-Null
    Set-ItemProperty -LiteralPath ('HKLM:\\SOFTWARE\\DocuTAP\\' + ${product}) -Name 'LicenseKey' -Value ${key}
  `,
});
