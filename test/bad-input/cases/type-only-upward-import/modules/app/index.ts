import { defineModule, fn, ps, t, type Fragment } from "fleetform";

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "App helpers" });

export const appValue = fn({
  name: "Get-AppValue",
  params: {},
  returns: t.string(),
  body: (): Fragment => ps`Write-Output 1`,
});

export type AppChannel = "stable" | "beta";
