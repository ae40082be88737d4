import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.0.0", description: "Windows building blocks" });

export const getLoggedOnUserCount = fn({
  name: "Get-LoggedOnUserCount",
  params: {},
  returns: t.int(),
  body: () => ps`@(Get-CimInstance -ClassName Win32_LogonSession -Filter 'LogonType = 2 OR LogonType = 10').Count`,
});

export const RegistryValue = resource({
  name: "RegistryValue",
  description: "A registry value has the desired data",
  properties: {
    path: t.string({ key: true, pattern: /^HKLM:\\[A-Za-z0-9 _\\-]+$/ }),
    name: t.string({ key: true }),
    data: t.string({ default: "" }),
    count: t.int({ optional: true, min: 0, max: 100 }),
    enabled: t.bool({ default: true }),
    kind: t.enum(["String", "DWord"], { default: "String" }),
    tags: t.array(t.string(), { optional: true }),
  },
  get: ({ path, name }) => ps`@{ Path = ${path}; Name = ${name}; Data = (Get-ItemPropertyValue -Path ${path} -Name ${name} -ErrorAction SilentlyContinue) }`,
  test: ({ path, name, data }) => ps`(Get-ItemPropertyValue -Path ${path} -Name ${name} -ErrorAction SilentlyContinue) -eq ${data}`,
  set: ({ path, name, data }) => ps`Set-ItemProperty -Path ${path} -Name ${name} -Value ${data}`,
});

export const ServiceAccount = resource({
  name: "ServiceAccount",
  description: "A local service account exists",
  properties: { userName: t.string({ key: true }), password: t.secret(), runAs: t.credential({ optional: true }) },
  get: ({ userName }) => ps`@{ UserName = ${userName}; Exists = [bool](Get-LocalUser -Name ${userName} -ErrorAction SilentlyContinue) }`,
  test: ({ userName }) => ps`[bool](Get-LocalUser -Name ${userName} -ErrorAction SilentlyContinue)`,
  set: ({ userName, password }) => ps`New-LocalUser -Name ${userName} -Password (ConvertTo-SecureString -String ${password} -AsPlainText -Force) | Out-Null`,
});
