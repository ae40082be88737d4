import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Hosts and services" });

/** Stops the agent before an upgrade: disruptive, found through the call below. */
export const stopAgent = fn({
  name: "Stop-Agent",
  params: { name: t.string() },
  body: ({ name }) => ps`Stop-Service -Name ${name} -Force`,
});

export const AgentVersion = resource({
  name: "AgentVersion",
  description: "The agent runs the desired version",
  properties: { name: t.string({ key: true }), version: t.string() },
  get: ({ name }) => ps`@{ Version = (Get-Item -LiteralPath ('C:\Agents\{0}\agent.exe' -f ${name})).VersionInfo.ProductVersion }`,
  test: ({ name, version }) => ps`
    $current = (Get-Item -LiteralPath ('C:\Agents\{0}\agent.exe' -f ${name}) -ErrorAction SilentlyContinue)?.VersionInfo.ProductVersion
    $current -eq ${version}
  `,
  set: ({ name, version }) => ps`
    ${stopAgent({ name })}
    Copy-Item -LiteralPath ('\\fs01\agents\{0}\{1}\agent.exe' -f ${name}, ${version}) -Destination ('C:\Agents\{0}\' -f ${name}) -Force
    Start-Service -Name ${name}
  `,
});

export const HostName = resource({
  name: "HostName",
  description: "The host name is the desired one",
  properties: { name: t.string({ key: true }) },
  get: () => ps`@{ Name = $env:COMPUTERNAME }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  safe: () => ps`@(Get-Process -Name 'explorer' -ErrorAction SilentlyContinue).Count -eq 0`,
  set: ({ name }) => ps`
    Rename-Computer -NewName ${name} -Force
    if ($?) {
      Restart-Computer -Force
  `,
});

// `$rule?.Enabled` and `$rules?[0]`: PowerShell 7's null-conditional as most people write it, which
// every PowerShell reads as a variable named 'rule?' (FF3023 at it, not FF3071 as well).
export const FirewallOn = resource({
  name: "FirewallOn",
  description: "A firewall rule is enabled",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`
    $rule = Get-NetFirewallRule -Name ${name} -ErrorAction SilentlyContinue
    @{ Name = ${name}; Enabled = [string]$rule?.Enabled }
  `,
  test: ({ name }) => ps`
    $rules = @(Get-NetFirewallRule -Name ${name} -ErrorAction SilentlyContinue)
    [string]$rules?[0].Enabled -eq 'True'
  `,
  set: ({ name }) => ps`Enable-NetFirewallRule -Name ${name}`,
});
