import { defineModule, ps, resource, t } from "fleetform";
import { getLoggedOnUserCount, testEmrIdle } from "../emr/index.js";

export const module = defineModule({ name: "ServerRoles", layer: "role", version: "1.1.0", description: "Server roles" });

export const WindowsFeature = resource({
  name: "WindowsFeature",
  description: "A Windows feature is installed",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Installed = [bool](Get-WindowsFeature -Name ${name}).Installed }`,
  test: ({ name }) => ps`[bool](Get-WindowsFeature -Name ${name}).Installed`,
  safe: () => ps`${testEmrIdle({})} -and (${getLoggedOnUserCount({})} -eq 0)`,
  set: ({ name }) => ps`Install-WindowsFeature -Name ${name} | Out-Null`,
});
