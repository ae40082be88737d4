import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Services" });

export const getService = fn({
  name: "Get-Service",
  params: { name: t.string(), path: t.string({ optional: true }) },
  body: ({ name }) => ps`Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${name})`,
});

// Its calls by name go to it, with its own parameters: FF3064 above is their one diagnostic (not FF3061 too).
export const ServicePath = resource({
  name: "ServicePath",
  description: "A service's binary path",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Path = [string](Get-Service -Name ${name} -Path 'C:\Services').PathName }`,
  test: ({ name }) => ps`$null -ne (Get-Service -Name ${name} -Path 'C:\Services')`,
  set: () => ps`Write-Verbose 'nothing'`,
});

export const Dsc = resource({
  name: "Dsc",
  description: "Its generated Get-DscResource would replace PSDesiredStateConfiguration's",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$true`,
  set: () => ps`Write-Verbose 'nothing'`,
});
