import { defineModule, extern, fn, ps, resource, t } from "fleetform";

// Each misspelt option is one error at the misspelling, with the option meant: not also tsc's
// excess-property error, nor our own about the option meant ("module name 'undefined' is not
// valid", "`properties` must be an object of t.* types"), nor tsc's implicitly-any parameters of
// a misspelt callback.
export const module = defineModule({ nmae: "Emr", layer: "application", verison: "2.1.0", description: "The EMR application" });

export const ServiceState = resource({
  name: "ServiceState",
  description: "The EMR service is running",
  propreties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Running'`,
  set: ({ name }) => ps`Start-Service -Name ${name}`,
});

export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`Test-Path ${name}`,
  sett: ({ name }) => ps`New-Item -Path ${name}`,
});

export const testIt = fn({ nmae: "Test-It", params: { name: t.string() }, body: ({ name }) => ps`Test-Path ${name}` });
export const testTwo = fn({ name: "Test-Two", parms: { name: t.string() }, bdy: ({ name }) => ps`Test-Path ${name}` });
export const getTag = extern({ name: "Get-EC2Tag", modul: "AWS.Tools.EC2", params: {} });
