import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const ServiceState = resource({
  name: "ServiceState",
  description: "The EMR service is running",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Running'`,
  set: ({ name }) => ps`Start-Service -Name ${name}`,
});
