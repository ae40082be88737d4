import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const AppFolder = resource({
  name: "AppFolder",
  description: "The application's folder",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path} }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: ({ path }) => ps`New-Item -ItemType Directory -Path ${path}`,
});

// The name of a function the resource above generates: the module would have two functions
// Get-AppFolderResource (and FunctionsToExport list it twice), one silently replacing the other.
export const getAppFolder = fn({ name: "Get-AppFolderResource", params: { path: t.string() }, body: ({ path }) => ps`Get-Item -LiteralPath ${path}` });
