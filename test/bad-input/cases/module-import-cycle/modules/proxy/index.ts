import { defineModule, fn, ps, t, type Fragment } from "fleetform";
import { dnsValue } from "../dns/index.js";

export const module = defineModule({ name: "Proxy", layer: "platform", version: "1.0.0", description: "Proxy helpers" });

export const proxyValue = fn({
  name: "Get-ProxyValue",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`Write-Output ${dnsValue({})}`,
});
