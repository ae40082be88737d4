import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "ServerRoles", layer: "role", version: "1.1.0", description: "Server roles" });

export const WindowsFeature = resource({
  name: "WindowsFeature",
  description: "A Windows feature is installed",
  properties: {
    name: t.string({ key: true, pattern: /^[A-Za-z0-9-]+$/ }),
    includeManagementTools: t.bool({ default: false }),
  },
  get: ({ name }) => ps`@{ Name = ${name}; Installed = [bool](Get-WindowsFeature -Name ${name}).Installed }`,
  test: ({ name }) => ps`[bool](Get-WindowsFeature -Name ${name}).Installed`,
  set: ({ name, includeManagementTools }) => ps`Install-WindowsFeature -Name ${name} -IncludeManagementTools:${includeManagementTools} | Out-Null`,
});

export const Folder = resource({
  name: "Folder",
  description: "A folder exists",
  properties: { path: t.string({ key: true }), port: t.int({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path} }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: ({ path }) => ps`New-Item -ItemType Directory -Path ${path} -Force | Out-Null`,
});
