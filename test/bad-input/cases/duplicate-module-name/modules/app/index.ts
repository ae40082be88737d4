import { defineModule, fn, ps, t, type Fragment } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "application", version: "1.0.0", description: "Windows helpers" });

export const appValue = fn({
  name: "Get-AppValue",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`Write-Output 1`,
});
