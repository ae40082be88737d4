import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Shop", layer: "application", version: "1.0.0", description: "The shop's settings" });

export const ShopSettings = resource({
  name: "ShopSettings",
  description: "The shop's environment and pool size",
  properties: {
    site: t.string({ key: true }),
    environment: t.enum(["prod", "staging"]),
    poolSize: t.int({ default: 4 }),
  },
  get: ({ site }) => ps`@{ Site = ${site}; Environment = [string](Get-ItemPropertyValue -LiteralPath 'HKLM:\SOFTWARE\Shop' -Name 'Environment'); PoolSize = 4 }`,
  test: ({ environment }) => ps`[string](Get-ItemPropertyValue -LiteralPath 'HKLM:\SOFTWARE\Shop' -Name 'Environment') -eq ${environment}`,
  set: ({ environment }) => ps`Set-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Shop' -Name 'Environment' -Value ${environment}`,
});
