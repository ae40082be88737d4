import { defineModule, ps, resource, t } from "fleetform";
// The function comes through App's re-export: Web does not import Platform itself.
import { getSettingsKey } from "../app/index.js";

export const module = defineModule({ name: "Web", layer: "role", version: "1.0.0", description: "Web servers" });

export const SiteSetting = resource({
  name: "SiteSetting",
  description: "A site setting has its value",
  properties: { name: t.string({ key: true }), value: t.string() },
  get: ({ name }) => ps`@{ Name = ${name}; Value = (Get-ItemProperty -LiteralPath ${getSettingsKey({ area: "Web" })} -Name ${name}).$Name }`,
  test: ({ name, value }) => ps`(Get-ItemProperty -LiteralPath ${getSettingsKey({ area: "Web" })} -Name ${name}).$Name -eq ${value}`,
  set: ({ name, value }) => ps`Set-ItemProperty -LiteralPath ${getSettingsKey({ area: "Web" })} -Name ${name} -Value ${value}`,
});
