import { defineModule, extern, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

const getEc2Tag = extern({
  name: "Get EC2Tag",
  module: "AWS.Tools.EC2",
  version: "4.1.0",
  params: { filter: t.string() },
});

export const clearTemp = fn({
  name: "ClearTempFolder",
  params: {},
  body: () => ps`Remove-Item -Path (Join-Path -Path $env:TEMP -ChildPath '*') -Recurse -Force -ErrorAction SilentlyContinue`,
});

export const getRole = fn({
  name: "Get-ServerRole",
  params: {},
  returns: t.string(),
  body: () => ps`(${getEc2Tag({ filter: "Name=key,Values=Role" })}).Value`,
});
