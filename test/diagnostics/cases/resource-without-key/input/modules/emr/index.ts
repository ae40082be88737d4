import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

// Every resource is also a MOF-based DSC resource, whose schema needs a Key property: without one
// the build wrote StoppedService.schema.mof with only [Required] String Service;
export const StoppedService = resource({
  name: "StoppedService",
  description: "A service that is stopped",
  properties: { service: t.string() },
  get: ({ service }) => ps`@{ Service = ${service}; Status = [string](Get-Service -Name ${service}).Status }`,
  test: ({ service }) => ps`(Get-Service -Name ${service}).Status -eq 'Stopped'`,
  set: ({ service }) => ps`Stop-Service -Name ${service}`,
  safe: () => ps`$true`,
});
