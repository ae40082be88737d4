import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Users and firewall" });

export const testFirewallRule = fn({
  name: "Test-FirewallRule",
  params: { name: t.string(), port: t.int() },
  returns: t.bool(),
  body: ({ name, port }) => ps`$null -ne (Get-NetFirewallRule -Name ${name} -ErrorAction SilentlyContinue | Where-Object { $_.LocalPort -eq ${port} })`,
});

// A misspelt property destructured in a callback: TypeScript's TS2339 is the one diagnostic, not
// also what its undefined value does (FF3001 interpolated, FF3007 as a required argument).
export const LocalUser = resource({
  name: "LocalUser",
  description: "A local user exists",
  properties: { userName: t.string({ key: true }) },
  get: ({ userName }) => ps`@{ UserName = ${userName} }`,
  test: ({ usrName }) => ps`$null -ne (Get-LocalUser -Name ${usrName} -ErrorAction SilentlyContinue)`,
  set: ({ userName }) => ps`New-LocalUser -Name ${userName} -NoPassword`,
});

export const FirewallRule = resource({
  name: "FirewallRule",
  description: "A firewall rule is enabled",
  properties: { name: t.string({ key: true }), port: t.int() },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ nmae, port }) => ps`${testFirewallRule({ name: nmae, port })}`,
  set: ({ name }) => ps`Enable-NetFirewallRule -Name ${name}`,
});
