import { defineModule, fn, ps, t } from "fleetform";
import { getEmrVersion } from "./helpers.js";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const getInventory = fn({
  name: "Get-Inventory",
  params: {},
  body: () => ps`@{ Computer = $env:COMPUTERNAME; Emr = ${getEmrVersion({})} }`,
});
