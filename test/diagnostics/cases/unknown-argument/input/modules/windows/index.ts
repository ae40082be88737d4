import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const getInstalledProduct = fn({
  name: "Get-InstalledProduct",
  params: { displayName: t.string() },
  body: ({ displayName }) => ps`
    Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*' |
        Where-Object { $_.DisplayName -eq ${displayName} }
  `,
});

export const ComputerName = resource({
  name: "ComputerName",
  description: "The computer name equals the EC2 Name tag",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = $env:COMPUTERNAME; Agent = ${getInstalledProduct({ displayName: "Amazon SSM Agent", version: "3.3" } as never)} }`,
  // A misspelt argument: once, at the key, with what it means (not also "displayName is required").
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name} -and $null -ne ${getInstalledProduct({ displayNmae: "Amazon SSM Agent" } as never)}`,
  safe: () => ps`$null -eq ${getInstalledProduct({} as never)}`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
  reboot: "after-set",
});
