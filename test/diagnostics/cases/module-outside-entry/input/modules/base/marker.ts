import { defineModule, ps, resource, t } from "fleetform";

// Copied from an entry file: this folder's module is index.ts's.
export const module = defineModule({ name: "Markers", layer: "platform", version: "1.0.0", description: "Marker files" });

export const Marker = resource({
  name: "Marker",
  description: "A marker file holds the build",
  properties: { path: t.string({ key: true }), build: t.string() },
  get: ({ path }) => ps`@{ Path = ${path}; Build = (Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) }`,
  test: ({ path, build }) => ps`(Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) -eq ${build}`,
  set: ({ path, build }) => ps`Set-Content -LiteralPath ${path} -Value ${build}`,
});
