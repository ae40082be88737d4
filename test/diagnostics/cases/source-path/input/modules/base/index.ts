import { defineModule, ps, resource, t } from "fleetform";
import { settingsKey } from "./x$(Invoke-Pwned).js";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Registry settings" });

export const Setting = resource({
  name: "Setting",
  description: "A registry value holds the desired data",
  properties: { name: t.string({ key: true }), data: t.string() },
  get: ({ name }) => ps`@{ Data = (Get-ItemProperty -LiteralPath ${settingsKey} -Name ${name}).$Name }`,
  test: ({ name, data }) => ps`(Get-ItemProperty -LiteralPath ${settingsKey} -Name ${name}).$Name -eq ${data}`,
  set: ({ name, data }) => ps`Set-ItemProperty -LiteralPath ${settingsKey} -Name ${name} -Value ${data}`,
});
