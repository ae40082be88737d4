import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Registry settings" });

export const Setting = resource({
  name: "Setting",
  description: "A registry value holds the desired data",
  properties: { name: t.string({ key: true }), data: t.string() },
  get: ({ name }) => ps`@{ Data = (Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Contoso' -Name ${name}).$Name }`,
  test: ({ name, data }) => ps`(Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Contoso' -Name ${name}).$Name -eq ${data}`,
  set: ({ name, data }) => ps`Set-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Contoso' -Name ${name} -Value ${data}`,
});
