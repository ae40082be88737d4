import { defineModule, fn, ps, t, type Fragment } from "fleetform";
import { proxyValue } from "../proxy/index.js";

export const module = defineModule({ name: "Dns", layer: "platform", version: "1.0.0", description: "Dns helpers" });

export const dnsValue = fn({
  name: "Get-DnsValue",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`Write-Output ${proxyValue({})}`,
});
