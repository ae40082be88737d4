import { defineModule, fn, ps } from "fleetform";
import { logRoot } from "../../shared/paths.js";

export const module = defineModule({ name: "PracticeManagement", layer: "application", version: "1.0.3", description: "The Practice Management client" });

export const getPmLog = fn({
  name: "Get-PmLog",
  params: {},
  body: () => ps`Get-ChildItem -LiteralPath ${logRoot} -Filter 'pm-*.log'`,
});
