import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Computer settings" });

export const HostName = resource({
  name: "HostName",
  description: "The computer name",
  properties: { name: t.string({ key: true }) },
  reboot: "after-set",
  get: () => ps`@{ Name = $env:COMPUTERNAME }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  safe: () => ps`$true`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
});
