// Platform layer: what every Windows server in the fleet shares.
import { defineModule, extern, fn, ps, resource, t } from "fleetform";

export const module = defineModule({
  name: "Windows",
  layer: "platform",
  version: "1.4.0",
  description: "Windows building blocks shared by every server: computer name, Chocolatey, installed products",
});

const getCimInstance = extern({
  name: "Get-CimInstance",
  module: "CimCmdlets",
  builtin: true,
  params: { className: t.string(), filter: t.string({ optional: true }) },
});

const renameComputer = extern({
  name: "Rename-Computer",
  module: "Microsoft.PowerShell.Management",
  builtin: true,
  params: { newName: t.string() },
  switches: ["force"],
});

/** Number of interactive (console or RDP) logon sessions: a rename or reboot waits until it is 0. */
export const getLoggedOnUserCount = fn({
  name: "Get-LoggedOnUserCount",
  description: "Counts interactive and remote-interactive logon sessions (logon types 2 and 10).",
  params: {},
  returns: t.int(),
  body: () => ps`
    $sessions = @(${getCimInstance({ className: "Win32_LogonSession", filter: "LogonType = 2 OR LogonType = 10" })})
    $sessions.Count
  `,
});

/** A product from the Uninstall registry keys (never Win32_Product, which triggers MSI repairs). */
export const getInstalledProduct = fn({
  name: "Get-InstalledProduct",
  description: "Finds an installed product by display name in the 64- and 32-bit Uninstall registry keys.",
  params: { displayName: t.string() },
  body: ({ displayName }) => ps`
    $keys = @(
        'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*'
        'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'
    )
    Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue |
        Where-Object { $_.PSObject.Properties['DisplayName'] -and $_.DisplayName -eq ${displayName} } |
        Select-Object -First 1
  `,
});

/** Installs an MSI quietly, without rebooting, with a verbose log; fails on any exit code but 0 and 3010. */
export const installMsi = fn({
  name: "Install-MsiPackage",
  description: "Runs msiexec /i quietly and maps its exit code (0 ok, 3010 ok with reboot needed, anything else fails).",
  params: { path: t.string(), logPath: t.string() },
  body: ({ path, logPath }) => ps`
    $arguments = @('/i', ('"{0}"' -f ${path}), '/qn', '/norestart', '/l*v', ('"{0}"' -f ${logPath}))
    $process = Start-Process -FilePath 'msiexec.exe' -ArgumentList $arguments -Wait -PassThru
    if (@(0, 3010) -notcontains $process.ExitCode) {
        throw ('msiexec exited with {0}; see {1}' -f $process.ExitCode, ${logPath})
    }
  `,
});

/**
 * The computer name equals the desired name, usually the instance's EC2 Name tag.
 * NetBIOS rules: 1 to 15 letters, digits and hyphens, not all digits.
 */
export const ComputerName = resource({
  name: "ComputerName",
  description: "The computer name equals the desired name (usually the EC2 Name tag)",
  properties: {
    name: t.string({ key: true, pattern: /^(?![0-9]{1,15}$)[A-Za-z0-9-]{1,15}$/, description: "The desired NetBIOS computer name." }),
  },
  get: ({ name }) => ps`
    $pending = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName').ComputerName
    @{ Name = $env:COMPUTERNAME; PendingName = $pending; DesiredName = ${name} }
  `,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  // Renaming needs a reboot: only when nobody is logged on.
  safe: () => ps`${getLoggedOnUserCount({})} -eq 0`,
  set: ({ name }) => ps`
    $pending = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName').ComputerName
    if ($pending -ne ${name}) {
        ${renameComputer({ newName: name, force: true })}
    }
  `,
  reboot: "after-set",
});

/** Chocolatey at a pinned version, installed over TLS 1.2 from the official install script. */
export const Chocolatey = resource({
  name: "Chocolatey",
  description: "Chocolatey is installed at the pinned version",
  properties: {
    version: t.string({ key: true, pattern: /^\d+\.\d+\.\d+$/, description: "The Chocolatey version, e.g. 2.2.2." }),
  },
  get: () => ps`
    $choco = Join-Path -Path $env:ProgramData -ChildPath 'chocolatey\choco.exe'
    $installed = $null
    if (Test-Path -LiteralPath $choco) { $installed = (& $choco --version) }
    @{ Version = $installed }
  `,
  test: ({ version }) => ps`
    $choco = Join-Path -Path $env:ProgramData -ChildPath 'chocolatey\choco.exe'
    (Test-Path -LiteralPath $choco) -and ((& $choco --version) -eq ${version})
  `,
  // Never while another installer runs.
  safe: () => ps`@(Get-Process -Name 'msiexec' -ErrorAction SilentlyContinue).Count -le 1`,
  set: ({ version }) => ps`
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $env:chocolateyVersion = ${version}
    $script = (New-Object -TypeName System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1')
    & ([scriptblock]::Create($script)) | Out-Null
  `,
});
