import { defineModule, ps, resource, t } from "fleetform";
// A module reading a configuration's settings: configurations are above every layer.
import hosts from "../../configurations/hosts.js";

export const module = defineModule({ name: "Web", layer: "role", version: "1.0.0", description: "Web servers" });

export const SiteFolder = resource({
  name: "SiteFolder",
  description: `The site folder exists (for ${hosts.name})`,
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path}; Present = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: ({ path }) => ps`$null = New-Item -ItemType Directory -Path ${path} -Force`,
});
