import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "PracticeManagement", layer: "application", version: "1.0.3", description: "The Practice Management client" });

export const ServiceState = resource({
  name: "ServiceState",
  description: "The PM service has the desired start mode",
  properties: { name: t.string({ key: true }), startupType: t.enum(["Automatic", "Manual"]) },
  get: ({ name }) => ps`@{ Name = ${name}; StartType = [string](Get-Service -Name ${name}).StartType }`,
  test: ({ name, startupType }) => ps`[string](Get-Service -Name ${name}).StartType -eq ${startupType}`,
  set: ({ name, startupType }) => ps`Set-Service -Name ${name} -StartupType ${startupType}`,
});
