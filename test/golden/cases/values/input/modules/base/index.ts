import { defineModule, extern, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "base", version: "0.3", description: "Values of every kind, quoted" });

const setItemProperty = extern({
  name: "Set-ItemProperty",
  module: "Microsoft.PowerShell.Management",
  builtin: true,
  params: { path: t.string(), name: t.string(), value: t.string() },
  switches: ["force"],
});

const writeS3Object = extern({
  name: "Write-S3Object",
  module: "AWS.Tools.S3",
  version: "4.1.0",
  params: { bucketName: t.string(), key: t.string(), content: t.string() },
});

export const formatGreeting = fn({
  name: "Format-Greeting",
  description: "Greets <#someone#> with 'quotes'.",
  params: { who: t.string(), times: t.int({ min: 1, max: 3, default: 1 }) },
  returns: t.string(),
  body: ({ who, times }) => ps`
    $greeting = ${"it's “quoted” and ‘single’ — with $dollar and `backtick"}
    ((1..${times}) | ForEach-Object { '{0}, {1}' -f $greeting, ${who} }) -join ${"\r\n"}
  `,
});

export const Setting = resource({
  name: "Setting",
  description: "A registry value holds the desired data",
  properties: {
    path: t.string({ key: true, pattern: /^HKLM:\\/i }),
    name: t.string({ key: true }),
    data: t.string({ minLength: 0, maxLength: 1024 }),
    kind: t.enum(["String", "DWord"], { default: "String" }),
    tags: t.array(t.string(), { optional: true }),
    extra: t.map(t.int(), { optional: true }),
  },
  get: ({ path, name }) => ps`@{ Data = (Get-ItemProperty -LiteralPath ${path} -Name ${name} -ErrorAction SilentlyContinue).${ps.raw("$Name")} }`,
  test: ({ path, name, data }) => ps`(Get-ItemProperty -LiteralPath ${path} -Name ${name} -ErrorAction SilentlyContinue).$Name -eq ${data}`,
  set: ({ path, name, data }) => ps`
    ${setItemProperty({ path, name, value: data, force: true })}
    ${writeS3Object({ bucketName: "audit-bucket", key: ps`('{0}/{1}' -f $env:COMPUTERNAME, ${name})`, content: data })}
    $lookup = ${{ plain: 1, "needs quotes": [true, false, null], nested: { deeper: -2.5 } }}
  `,
});

export const ServiceAccount = resource({
  name: "ServiceAccount",
  description: "A Windows service logs on with a credential kept in Secrets Manager",
  properties: {
    service: t.string({ key: true }),
    credential: t.credential({ description: "Username and Password, from Secrets Manager." }),
    apiToken: t.secret({ optional: true }),
  },
  get: ({ service }) => ps`@{ Service = ${service}; StartName = (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${service})).StartName }`,
  test: ({ service, credential }) => ps`(Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${service})).StartName -eq $Credential.UserName`,
  safe: () => ps`$true`,
  set: ({ service, credential }) => ps`
    $null = Invoke-CimMethod -InputObject (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f ${service})) -MethodName Change -Arguments @{ StartName = $Credential.UserName; StartPassword = $Credential.GetNetworkCredential().Password }
    Restart-Service -Name ${service}
  `,
});
