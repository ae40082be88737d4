import { defineModule, fn, ps, resource, t } from "fleetform";

// A required option left out is one error at the call, saying what the option must be: not also
// tsc's "Property 'version' is missing in type ..." at its argument, and not "version 'undefined'
// is not a PowerShell module version" or "'undefined' is not a Verb-Noun command name".
export const module = defineModule({ name: "Emr", layer: "application", description: "The EMR application" });

export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`Test-Path ${name}`,
  set: ({ name }) => ps`New-Item -Path ${name}`,
});

export const testIt = fn({ params: { path: t.string() }, body: ({ path }) => ps`Test-Path ${path}` });
