import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const getLoggedOnUserCount = fn({
  name: "Get-LoggedOnUserCount",
  params: {},
  returns: t.int(),
  body: () => ps`@(Get-CimInstance -ClassName Win32_LogonSession -Filter 'LogonType = 2 OR LogonType = 10').Count`,
});
