// Application layer: the EMR (electronic medical records) application.
import { defineModule, extern, ps, resource, t } from "fleetform";
import { getInstalledProduct, installMsi } from "../windows/index.js";

export const module = defineModule({
  name: "Emr",
  layer: "application",
  version: "2.1.0",
  description: "The EMR application: its MSI at a pinned version and its Windows service",
});

/**
 * AWS Tools for PowerShell's S3 download: not part of Windows PowerShell 5.1, so an extern the build
 * links; `builtin` because Amazon's Windows AMIs ship AWSPowerShell (no RequiredModules entry).
 */
const readS3Object = extern({
  name: "Read-S3Object",
  module: "AWSPowerShell",
  builtin: true,
  params: { bucketName: t.string(), key: t.string(), file: t.string() },
});

/** The EMR application's MSI is installed at the desired version (downloaded from S3 with AWS Tools). */
export const EmrApplication = resource({
  name: "EmrApplication",
  description: "The EMR application is installed at the desired version",
  properties: {
    version: t.string({ key: true, pattern: /^\d+(\.\d+){1,3}$/ }),
    bucket: t.string({ description: "The S3 bucket holding the MSI." }),
    key: t.string({ description: "The MSI's S3 object key." }),
  },
  get: () => ps`
    $product = ${getInstalledProduct({ displayName: "DocuTAP EMR" })}
    @{ Version = $(if ($null -ne $product) { $product.DisplayVersion } else { $null }) }
  `,
  test: ({ version }) => ps`
    $product = ${getInstalledProduct({ displayName: "DocuTAP EMR" })}
    ($null -ne $product) -and ([version]$product.DisplayVersion -ge [version]${version})
  `,
  safe: () => ps`@(Get-Process -Name 'Emr.Client' -ErrorAction SilentlyContinue).Count -eq 0`,
  set: ({ bucket, key, version }) => ps`
    $msi = Join-Path -Path $env:TEMP -ChildPath ('emr-{0}.msi' -f ${version})
    ${readS3Object({ bucketName: bucket, key, file: ps.raw("$msi") })} | Out-Null
    ${installMsi({ path: ps.raw("$msi"), logPath: ps`(Join-Path -Path $env:TEMP -ChildPath 'emr-install.log')` })}
  `,
});

/** The EMR Windows service runs and starts automatically. */
export const EmrService = resource({
  name: "EmrService",
  description: "The EMR service is running with the desired start mode",
  properties: {
    name: t.string({ key: true }),
    startupType: t.enum(["Automatic", "Manual"], { default: "Automatic" }),
  },
  get: ({ name }) => ps`
    $service = Get-Service -Name ${name} -ErrorAction SilentlyContinue
    @{ Name = ${name}; Status = $(if ($service) { [string]$service.Status } else { 'Missing' }) }
  `,
  test: ({ name, startupType }) => ps`
    $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${name})
    ($null -ne $service) -and ($service.State -eq 'Running') -and ($service.StartMode -eq $(if (${startupType} -eq 'Automatic') { 'Auto' } else { 'Manual' }))
  `,
  set: ({ name, startupType }) => ps`
    Set-Service -Name ${name} -StartupType ${startupType}
    Start-Service -Name ${name}
  `,
});
