import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const ComputerName = resource({
  name: "ComputerName",
  description: "The computer name equals the EC2 Name tag",
  properties: { name: t.string({ key: true, pattern: /^([a-z])\1[a-z0-9-]{0,13}$/ }) },
  get: ({ name }) => ps`@{ Name = $env:COMPUTERNAME; Desired = ${name} }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
  reboot: "after-set",
});

export const testDomainName = fn({
  name: "Test-DomainName",
  params: { domain: t.string({ pattern: /^[a-z0-9.-]+$/i }) },
  returns: t.bool(),
  body: ({ domain }) => ps`(Get-CimInstance -ClassName Win32_ComputerSystem).Domain -eq ${domain}`,
});
