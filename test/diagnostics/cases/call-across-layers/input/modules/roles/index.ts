import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "ServerRoles", layer: "role", version: "1.1.0", description: "Server roles" });

export const getRoleName = fn({
  name: "Get-RoleName",
  params: {},
  returns: t.string(),
  body: () => ps`'web'`,
});
