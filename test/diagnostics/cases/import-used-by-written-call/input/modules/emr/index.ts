import { defineModule, ps, resource, t } from "fleetform";
import "../windows/index.js";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const EmrService = resource({
  name: "EmrService",
  description: "The EMR service is running",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  // Calls the imported module's function as written PowerShell, not through its fn value: the import is used.
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Running' -and (Get-LoggedOnUserCount) -ge 0`,
  set: ({ name }) => ps`Start-Service -Name ${name}`,
});
