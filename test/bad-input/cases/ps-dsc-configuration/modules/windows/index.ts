import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.0.0", description: "Windows building blocks" });

// A DSC configuration compiled on the node, inside a function: fleetform writes the DSC documents itself (FF3065).
export const setLcmPush = fn({
  name: "Set-LcmPush",
  params: {},
  body: () => ps`Configuration LcmPush { Node 'localhost' { Settings { RefreshMode = 'Push' } } }
LcmPush -OutputPath 'C:\\Fleet\\Lcm'
Set-DscLocalConfigurationManager -Path 'C:\\Fleet\\Lcm'`,
});

export const RegistryValue = resource({
  name: "RegistryValue",
  description: "A registry value has the desired data",
  properties: {
    path: t.string({ key: true, pattern: /^HKLM:\\[A-Za-z0-9 _\\-]+$/ }),
    name: t.string({ key: true }),
    data: t.string({ default: "" }),
  },
  get: ({ path, name }) => ps`@{ Path = ${path}; Name = ${name}; Data = (Get-ItemPropertyValue -Path ${path} -Name ${name} -ErrorAction SilentlyContinue) }`,
  test: ({ path, name, data }) => ps`(Get-ItemPropertyValue -Path ${path} -Name ${name} -ErrorAction SilentlyContinue) -eq ${data}`,
  set: ({ path, name, data }) => ps`Set-ItemProperty -Path ${path} -Name ${name} -Value ${data}`,
});
