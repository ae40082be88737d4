import { defineModule, fn, ps, t, type Fragment } from "fleetform";
import { getPrimaryAddress } from "../network/index.js";

export const module = defineModule({ name: "Proxy", layer: "platform", version: "1.0.0", description: "Proxy helpers" });

export const getProxyServer = fn({
  name: "Get-ProxyServer",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Policies\Proxy' -Name Server -ErrorAction SilentlyContinue).Server -ne ${getPrimaryAddress({})}`,
});
