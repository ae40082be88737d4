import { defineModule, fn, ps } from "fleetform";
import { logRoot } from "../../shared/paths.js";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const getEmrLog = fn({
  name: "Get-EmrLog",
  params: {},
  body: () => ps`Get-ChildItem -LiteralPath ${logRoot} -Filter 'emr-*.log'`,
});
