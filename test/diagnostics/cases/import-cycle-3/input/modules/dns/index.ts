import { defineModule, fn, ps, t, type Fragment } from "fleetform";
import { getProxyServer } from "../proxy/index.js";

export const module = defineModule({ name: "Dns", layer: "platform", version: "1.0.0", description: "Dns helpers" });

export const getDnsSuffix = fn({
  name: "Get-DnsSuffix",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`if (${getProxyServer({})}) { (Get-DnsClientGlobalSetting).SuffixSearchList[0] } else { '' }`,
});
