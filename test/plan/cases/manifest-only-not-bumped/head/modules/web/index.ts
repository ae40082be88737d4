import { defineModule, ps, resource, t } from "fleetform";
import { getLoggedOnUserCount } from "../platform/index.js";

export const module = defineModule({ name: "WebRole", layer: "role", version: "2.2.0", description: "IIS application pools" });

export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool exists with the desired pipeline mode",
  properties: { name: t.string({ key: true }), pipeline: t.enum(["Integrated", "Classic"]) },
  get: ({ name }) => ps`@{ Pipeline = (Get-ItemProperty -LiteralPath ('IIS:\AppPools\' + ${name}) -Name managedPipelineMode -ErrorAction SilentlyContinue) }`,
  test: ({ name, pipeline }) => ps`(Get-ItemProperty -LiteralPath ('IIS:\AppPools\' + ${name}) -Name managedPipelineMode -ErrorAction SilentlyContinue) -eq ${pipeline}`,
  safe: () => ps`${getLoggedOnUserCount({})} -eq 0`,
  set: ({ name, pipeline }) => ps`Set-ItemProperty -LiteralPath ('IIS:\AppPools\' + ${name}) -Name managedPipelineMode -Value ${pipeline}`,
});
