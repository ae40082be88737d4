import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Folders, services and hosts" });

// Disruptive as Windows PowerShell 5.1 runs it: an alias with an abbreviated switch.
export const OldFolder = resource({
  name: "OldFolder",
  description: "An old application folder is gone",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path}; Present = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`-not (Test-Path -LiteralPath ${path})`,
  set: ({ path }) => ps`rm ${path} -r -Force`,
});

// A native program stopping a service, written with cmd's help.
export const Spooler = resource({
  name: "Spooler",
  description: "The print spooler is not running",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Stopped'`,
  set: ({ name }) => ps`cmd.exe /c "net stop $(${name}) /y"`,
});

// Not disruptive: a comment naming a command and Set-Content (sc in PowerShell) are no service changes.
export const Marker = resource({
  name: "Marker",
  description: "A marker file holds the build",
  properties: { path: t.string({ key: true }), build: t.string() },
  get: ({ path }) => ps`@{ Path = ${path}; Build = (Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) }`,
  test: ({ path, build }) => ps`(Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) -eq ${build}`,
  set: ({ path, build }) => ps`
    # no 'rm -r' here: the file is written over
    sc -LiteralPath ${path} -Value ${build}
  `,
});

// A reboot through shutdown.exe is refused as Restart-Computer is: it bypasses the runtime's guard.
export const PendingRename = resource({
  name: "PendingRename",
  description: "A pending rename is applied",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  safe: () => ps`@(Get-Process -Name 'explorer' -ErrorAction SilentlyContinue).Count -eq 0`,
  set: () => ps`
    shutdown.exe /r /t 0
  `,
});

// No safe, and a set that reboots: FF3021 alone (a safe check would not make the reboot right).
export const Patched = resource({
  name: "Patched",
  description: "A patch is applied",
  properties: { kb: t.string({ key: true }) },
  get: ({ kb }) => ps`@{ Kb = ${kb}; Installed = [bool](Get-HotFix -Id ${kb} -ErrorAction SilentlyContinue) }`,
  test: ({ kb }) => ps`[bool](Get-HotFix -Id ${kb} -ErrorAction SilentlyContinue)`,
  set: () => ps`Restart-Computer -Force`,
});

// A function that stops a service, called by name in the text of a set (not through ${...}),
// directly and through another function: the set is disruptive.
export const stopAppService = fn({
  name: "Stop-AppService",
  params: { name: t.string() },
  body: ({ name }) => ps`Stop-Service -Name ${name} -Force`,
});

export const disableApp = fn({
  name: "Disable-App",
  params: { name: t.string() },
  body: () => ps`Stop-AppService -Name $Name`,
});

// A function called by name that changes nothing disruptive: the set needs no safe check.
export const writeStamp = fn({
  name: "Write-Stamp",
  params: { path: t.string() },
  body: ({ path }) => ps`Set-Content -LiteralPath ${path} -Value 'done'`,
});

export const AppService = resource({
  name: "AppService",
  description: "The application service is disabled when it should be",
  properties: { name: t.string({ key: true }), disabled: t.bool() },
  get: ({ name }) => ps`@{ Name = ${name}; Disabled = ((Get-Service -Name ${name}).StartType -eq 'Disabled') }`,
  test: ({ name, disabled }) => ps`((Get-Service -Name ${name}).StartType -eq 'Disabled') -eq ${disabled}`,
  set: ({ name }) => ps`
    Set-Service -Name ${name} -StartupType Disabled
    if ($Disabled) { Stop-AppService -Name $Name }
  `,
});

export const AppHost = resource({
  name: "AppHost",
  description: "The application host is disabled",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).StartType -eq 'Disabled'`,
  set: () => ps`Disable-App -Name $Name`,
});

export const Stamp = resource({
  name: "Stamp",
  description: "A stamp file is written",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path}; Present = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: () => ps`Write-Stamp -Path $Path`,
});

// The same function called by name in text handed to Invoke-Expression: disruptive too.
export const AppByText = resource({
  name: "AppByText",
  description: "The application service is stopped, through text run by Invoke-Expression",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Stopped'`,
  set: () => ps`Invoke-Expression 'Stop-AppService -Name AppSvc'`,
});

// A service stopped through .NET and through CIM, which no command name shows.
export const SpoolerByMethod = resource({
  name: "SpoolerByMethod",
  description: "The spooler is stopped",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Stopped'`,
  set: ({ name }) => ps`(Get-Service -Name ${name}).Stop()`,
});

export const SpoolerByCim = resource({
  name: "SpoolerByCim",
  description: "The spooler is stopped",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string](Get-Service -Name ${name}).Status }`,
  test: ({ name }) => ps`(Get-Service -Name ${name}).Status -eq 'Stopped'`,
  set: ({ name }) => ps`
    $service = Get-CimInstance -ClassName Win32_Service -Filter "Name = '$Name'"
    $null = $service | Invoke-CimMethod -MethodName StopService`,
});

// A stopwatch stopped is no service: no safe check needed.
export const Timed = resource({
  name: "Timed",
  description: "A marker file is written, timed",
  properties: { path: t.string({ key: true }) },
  get: ({ path }) => ps`@{ Path = ${path}; Present = (Test-Path -LiteralPath ${path}) }`,
  test: ({ path }) => ps`Test-Path -LiteralPath ${path}`,
  set: ({ path }) => ps`
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Set-Content -LiteralPath ${path} -Value 'x'
    $watch.Stop()`,
});
