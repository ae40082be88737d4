import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

const maintenanceStart = new Date("2026-01-04T02:00:00Z");
const settings: { logDir?: string } = {};

export const MaintenanceWindow = resource({
  name: "MaintenanceWindow",
  description: "The maintenance window marker is up to date",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Start = ${maintenanceStart as unknown as string} }`,
  test: ({ name }) => ps`(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Fleet' -Name ${name}).${name} -eq ${(() => "2026-01-04") as unknown as string}`,
  set: ({ name }) => ps`
    Set-ItemProperty -Path 'HKLM:\SOFTWARE\Fleet' -Name ${name} -Value (Get-Date -Format o)
    Add-Content -LiteralPath ${settings.logDir as string} -Value ('window {0} set' -f ${name})
  `,
});
