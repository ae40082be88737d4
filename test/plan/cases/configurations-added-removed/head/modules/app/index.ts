import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "App", layer: "role", version: "0.1.0", description: "The line-of-business application" });

export const AppSetting = resource({
  name: "AppSetting",
  description: "An application setting holds the desired value",
  properties: { name: t.string({ key: true }), value: t.string() },
  get: ({ name }) => ps`@{ Value = [Environment]::GetEnvironmentVariable(${name}, 'Machine') }`,
  test: ({ name, value }) => ps`[Environment]::GetEnvironmentVariable(${name}, 'Machine') -eq ${value}`,
  set: ({ name, value }) => ps`[Environment]::SetEnvironmentVariable(${name}, ${value}, 'Machine')`,
});
