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
