import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platfrom", version: "1.4.0", description: "Windows building blocks" });

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
