import { defineModule, extern, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

const getItemProperty = extern({
  name: "Get-ItemProperty",
  module: "Microsoft.PowerShell.Management",
  builtin: true,
  params: { path: t.string(), name: t.string() },
});

export const getOsBuild = fn({
  name: "Get-OsBuild",
  params: {},
  returns: t.int(),
  body: () => ps`[System.Environment]::OSVersion.Version.Build`,
});

export const testOsBuild = fn({
  name: "Test-OsBuild",
  params: { minimum: t.int() },
  returns: t.bool(),
  // The command itself, not a call of it: both forgot the parentheses.
  body: ({ minimum }) => ps`${getOsBuild as never} -ge ${minimum} -and ${getItemProperty as never}`,
});
