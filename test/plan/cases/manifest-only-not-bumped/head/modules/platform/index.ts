import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Platform", layer: "platform", version: "1.1.0", description: "Files and registry values" });

export const TextFile = resource({
  name: "TextFile",
  description: "A text file holds the desired content",
  properties: { path: t.string({ key: true }), content: t.string() },
  get: ({ path }) => ps`@{ Content = (Get-Content -LiteralPath ${path} -Raw -ErrorAction SilentlyContinue) }`,
  test: ({ path, content }) => ps`(Get-Content -LiteralPath ${path} -Raw -ErrorAction SilentlyContinue) -eq ${content}`,
  set: ({ path, content }) => ps`Set-Content -LiteralPath ${path} -Value ${content} -NoNewline`,
});

export const RegistryValue = resource({
  name: "RegistryValue",
  description: "A registry value holds the desired data",
  properties: { path: t.string({ key: true }), name: t.string({ key: true }), data: t.string(), tags: t.array(t.string(), { optional: true }) },
  get: ({ path, name }) => ps`@{ Data = (Get-ItemProperty -LiteralPath ${path} -Name ${name} -ErrorAction SilentlyContinue).${ps.raw("$Name")} }`,
  test: ({ path, name, data }) => ps`(Get-ItemProperty -LiteralPath ${path} -Name ${name} -ErrorAction SilentlyContinue).$Name -eq ${data}`,
  set: ({ path, name, data }) => ps`Set-ItemProperty -LiteralPath ${path} -Name ${name} -Value ${data}`,
});

export const getLoggedOnUserCount = fn({
  name: "Get-LoggedOnUserCount",
  params: {},
  returns: t.int(),
  body: () => ps`@(Get-CimInstance -ClassName Win32_LogonSession -Filter 'LogonType = 2 OR LogonType = 10').Count`,
});
