import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Services" });

export const getService = fn({
  name: "Get-Service",
  params: { name: t.string() },
  body: ({ name }) => ps`Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${name})`,
});

export const Dsc = resource({
  name: "Dsc",
  description: "Its generated Get-DscResource would replace PSDesiredStateConfiguration's",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$true`,
  set: () => ps`Write-Verbose 'nothing'`,
});
