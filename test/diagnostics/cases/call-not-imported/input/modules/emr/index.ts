import { defineModule, fn, ps, t } from "fleetform";
import { getLoggedOnUserCount } from "../windows/index.js";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

export const testEmrIdle = fn({
  name: "Test-EmrIdle",
  params: {},
  returns: t.bool(),
  body: () => ps`(${getLoggedOnUserCount({})} -eq 0) -and -not (Get-Process -Name 'Emr.Client' -ErrorAction SilentlyContinue)`,
});

// Handy for role modules: one import for everything they need before a restart.
export { getLoggedOnUserCount };
