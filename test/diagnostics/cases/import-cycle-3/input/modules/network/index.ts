import { defineModule, fn, ps, t, type Fragment } from "fleetform";
import { getDnsSuffix } from "../dns/index.js";

export const module = defineModule({ name: "Network", layer: "platform", version: "1.0.0", description: "Network helpers" });

export const getPrimaryAddress = fn({
  name: "Get-PrimaryAddress",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`(Get-NetIPAddress -AddressFamily IPv4 -InterfaceAlias ('Ethernet' + ${getDnsSuffix({})})).IPAddress`,
});
