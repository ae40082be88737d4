import { defineModule, extern, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

// No description and no set: the generated Set-TimeZoneResource was empty, so nothing ever changed.
export const TimeZone = resource({
  name: "TimeZone",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id }`,
  test: ({ id }) => ps`(Get-TimeZone).Id -eq ${id}`,
});

// A command name where the callback goes.
export const Marker = resource({
  name: "Marker",
  description: "A marker file holds the build",
  properties: { path: t.string({ key: true }), build: t.string() },
  get: ({ path }) => ps`@{ Path = ${path}; Build = (Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) }`,
  test: ({ path, build }) => ps`(Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) -eq ${build}`,
  set: "Set-Marker",
});

// A function without its body.
export const getOsBuild = fn({ name: "Get-OsBuild", params: {} });

// An extern without the module that provides it.
export const readS3Object = extern({ name: "Read-S3Object", params: { bucketName: t.string() } });

// Words the runtime does not know where a word goes.
export const Rename = resource({
  name: "Rename",
  description: "The computer has the desired name",
  properties: { name: t.string({ key: true }) },
  get: () => ps`@{ Name = $env:COMPUTERNAME }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
  reboot: "always",
  disruptive: "yes",
});
