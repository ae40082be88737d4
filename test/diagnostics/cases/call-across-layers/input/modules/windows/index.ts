import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

// A platform module calling a role module's function by name: importing it would break the layers
// (FF2002), so a note says where the function may go instead of "import it".
export const RoleMarker = resource({
  name: "RoleMarker",
  description: "A file names the server's role",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path} }`,
  test: ({ path }) => ps`(Get-Content -LiteralPath ${path} -Raw) -eq (Get-RoleName)`,
  set: ({ path }) => ps`Set-Content -LiteralPath ${path} -Value 'web'`,
});
