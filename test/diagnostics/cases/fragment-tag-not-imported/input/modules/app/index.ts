// `ps` used without its import: one type error at each use, and nothing else (not each fragment's
// callback throwing "ps is not defined", nor the import of Windows reported unused for want of the
// calls those fragments make).
import { defineModule, resource, t } from "fleetform";
import { getLoggedOnUserCount } from "../windows/index.js";

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "The application" });

export const AppFolder = resource({
  name: "AppFolder",
  description: "A folder of the application exists",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Exists = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  safe: () => ps`${getLoggedOnUserCount({})} -eq 0`,
  set: ({ path }) => ps`New-Item -Path ${path} -ItemType Directory -Force | Out-Null`,
});
