import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Platform", layer: "platform", version: "1.0.0", description: "Platform helpers" });

export const getSettingsKey = fn({ name: "Get-SettingsKey", params: { area: t.string() }, returns: t.string(), body: ({ area }) => ps`'HKLM:\SOFTWARE\Contoso\' + ${area}` });
