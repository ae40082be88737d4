import { defineModule, ps, resource, t } from "fleetform";
// The configuration imports this module: a cycle, so SiteFolder is not made yet when it runs.
import web from "../../configurations/web.js";

export const module = defineModule({ name: "Web", layer: "role", version: "1.0.0", description: "Web servers" });
export const configured = web;

export const SiteFolder = resource({
  name: "SiteFolder",
  description: "The site folder exists",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path}; Present = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: ({ path }) => ps`$null = New-Item -ItemType Directory -Path ${path} -Force`,
});
