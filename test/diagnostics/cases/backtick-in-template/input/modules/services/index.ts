import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Services", layer: "platform", version: "1.0.0", description: "Services" });

export const Spooler = resource({
  name: "Spooler",
  description: "The print spooler starts by hand",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).StartType -eq 'Manual'`,
  // PowerShell's line continuation written as it is: the backtick ends the template.
  set: ({ name }) => ps`Set-Service -Name ${name} `
    -StartupType Manual`,
});
