import { defineModule, extern, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0-beta1", description: "Windows building blocks" });

export const getLoggedOnUserCount = fn({
  name: "Get-LoggedOnUserCount",
  params: {},
  returns: t.int(),
  body: () => ps`@(Get-CimInstance -ClassName Win32_LogonSession -Filter 'LogonType = 2 OR LogonType = 10').Count`,
});

export const ComputerName = resource({
  name: "ComputerName",
  description: "The computer name equals the EC2 Name tag",
  properties: { name: t.string({ key: true, pattern: /^(?![0-9]{1,15}$)[A-Za-z0-9-]{1,15}$/ }) },
  get: ({ name }) => ps`@{ Name = $env:COMPUTERNAME; Desired = ${name} }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  safe: () => ps`${getLoggedOnUserCount({})} -eq 0`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
  reboot: "after-set",
});

// Each number of a [version] is an Int32: 2147483648 is one too many.
export const getThing = extern({ name: "Get-Thing", module: "ThingTools", version: "1.2147483648", params: {} });
