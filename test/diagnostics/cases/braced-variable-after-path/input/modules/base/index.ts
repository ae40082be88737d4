import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

export const LogFile = resource({
  name: "LogFile",
  description: "An application's log file exists",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Present = (Test-Path -LiteralPath ('C:\Logs\{0}.log' -f ${name})) }`,
  // A Windows path written as in PowerShell: JavaScript's \$ escape makes it PowerShell's ${name}.
  test: () => ps`Test-Path -LiteralPath "C:\Logs\${name}.log"`,
  // The PowerShell variable on purpose, apart from any text: no warning.
  set: ({ name }) => ps`$null = New-Item -ItemType File -Path ('C:\Logs\{0}.log' -f ${name}) -Force; Write-Verbose \${env:COMPUTERNAME}`,
});

// What FF3069 says to write: '\$(' stays as written, a subexpression after the backslash (no warning).
export const ArchiveFile = resource({
  name: "ArchiveFile",
  description: "An application's archive file exists",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Present = (Test-Path -LiteralPath "C:\Archive\$(${name}).zip") }`,
  test: ({ name }) => ps`Test-Path -LiteralPath "C:\Archive\$(${name}).zip"`,
  set: ({ name }) => ps`$null = New-Item -ItemType File -Path "C:\Archive\$(${name}).zip" -Force`,
});

// In single quotes PowerShell reads no variable: the text stays '...Protocols${protocol}\Server', and
// the advice is double quotes. On a later line of the template, after a value: reported there.
export const Protocol = resource({
  name: "Protocol",
  description: "A TLS protocol's server key exists",
  properties: { protocol: t.string({ key: true }) },
  get: ({ protocol }) => ps`@{ Protocol = ${protocol}; Present = (Test-Path -LiteralPath "HKLM:\SYSTEM\Protocols\$(${protocol})") }`,
  test: ({ protocol }) => ps`
    $name = ${protocol}
    $key = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\${protocol}\Server'
    Test-Path -LiteralPath $key`,
  set: ({ protocol }) => ps`$null = New-Item -Path "HKLM:\SYSTEM\Protocols\$(${protocol})\Server" -Force`,
});
