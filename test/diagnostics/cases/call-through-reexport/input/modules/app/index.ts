import { defineModule, ps, resource, t } from "fleetform";
import { getSettingsKey } from "../platform/index.js";

export { getSettingsKey };

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "The application" });

export const AppSetting = resource({
  name: "AppSetting",
  description: "An application setting has its value",
  properties: { name: t.string({ key: true }), value: t.string() },
  get: ({ name }) => ps`@{ Name = ${name}; Value = (Get-ItemProperty -LiteralPath ${getSettingsKey({ area: "App" })} -Name ${name}).$Name }`,
  test: ({ name, value }) => ps`(Get-ItemProperty -LiteralPath ${getSettingsKey({ area: "App" })} -Name ${name}).$Name -eq ${value}`,
  set: ({ name, value }) => ps`Set-ItemProperty -LiteralPath ${getSettingsKey({ area: "App" })} -Name ${name} -Value ${value}`,
});
