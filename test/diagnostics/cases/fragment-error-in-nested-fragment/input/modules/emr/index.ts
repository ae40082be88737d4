import { defineModule, ps, resource, t } from "fleetform";
import { describeIt } from "./helpers.js";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool",
  properties: { name: t.string({ key: true }) },
  // The helper in both get and set: its one mistake is reported once.
  get: ({ name }) => ps`${describeIt("pool")}
    @{ Name = ${name} }`,
  // A fragment written inside another: its own line and column.
  test: ({ name }) => ps`Test-Path ${ps`
    Get-Item ${name} (3 +)`}`,
  set: ({ name }) => ps`
    New-Item -Path ${name}
    ${describeIt("pool")}
  `,
});
