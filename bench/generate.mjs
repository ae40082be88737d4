// Generates a synthetic config repo shaped like a real fleet's: N modules over L layers (each
// importing a few modules of lower layers), M resources per module, K configurations.
// Every resource is different: its kind is drawn from a vocabulary of Windows PowerShell 5.1 work
// (services, registry, files, features, scheduled tasks, firewall, IIS, certificates, environment
// variables, local groups, DNS, event logs, TLS, Defender, time zone, SMB shares, ...), its
// fragments carry their own literals (names, paths, numbers) and optional statements, its properties
// mix string, int, bool, enum, string[] and pattern-checked strings, and about a third of the
// resources call functions of the modules their module imports. Deterministic (seeded) for given sizes.
//   node bench/generate.mjs <dir> [--modules 200] [--layers 3] [--resources 10] [--configurations 50] [--seed 20261205]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const VENDORS = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware", "Wingtip", "Lucerne", "Fourth", "Humongous"];
const PRODUCTS = ["Billing", "Imaging", "Portal", "Scheduler", "Ledger", "Gateway", "Archive", "Intake", "Reports", "Sync", "Broker", "Indexer", "Courier", "Vault"];
const WORDS = ["alpha", "bravo", "cedar", "delta", "ember", "flint", "grove", "harbor", "iris", "juniper", "kestrel", "lumen", "maple", "nova", "onyx", "pine", "quartz", "raven", "sable", "tundra"];
const FEATURES = ["Web-Server", "Web-Asp-Net45", "Web-Mgmt-Console", "NET-Framework-45-Core", "SNMP-Service", "Telnet-Client", "RSAT-AD-PowerShell", "Windows-Server-Backup", "FS-DFS-Replication", "Web-Windows-Auth", "Web-Http-Redirect", "FS-Resource-Manager"];
const CIPHERS = ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA"];
const ZONES = ["UTC", "Eastern Standard Time", "Central Standard Time", "Pacific Standard Time", "W. Europe Standard Time", "AUS Eastern Standard Time"];

/** A small seeded generator (LCG): same seed, same repo. */
function rng(seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const pascal = (s) => s[0].toUpperCase() + s.slice(1);
/** A TS string literal of a value (the generated files hold PowerShell in `ps` templates). */
const lit = (v) => JSON.stringify(v);

/**
 * The kinds of resources. Each returns { props, get, test, set, safe?, sample }: property types (TS
 * source), the fragments (ps template bodies, `${...}` are the handles), and a sample instance for
 * configurations (TS object literal source). `u` is unique per resource, `r` the random source,
 * `helper` an imported function call (`${x({ key: ... })}`) or undefined.
 */
const KINDS = [
  function service(u, r, helper) {
    const svc = `${r.pick(VENDORS)}${r.pick(PRODUCTS)}${u.n}`;
    const wait = r.int(5, 120);
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9_.-]{1,80}$/ }), startupType: t.enum(["Automatic", "Manual", "Disabled"], { default: "Automatic" }), running: t.bool({ default: true })`,
      get: `$svc = Get-Service -Name \${name} -ErrorAction SilentlyContinue
    $mode = (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '{0}'" -f \${name})).StartMode
    @{ Name = \${name}; Status = [string]$svc.Status; StartMode = $mode; Tag = '${svc}' }`,
      test: `$svc = Get-Service -Name \${name} -ErrorAction SilentlyContinue
    if ($null -eq $svc) { return $false }
    ${r.chance(0.5) ? `Write-Verbose ('${svc}: {0} is {1}' -f \${name}, $svc.Status)\n    ` : ""}($svc.StartType -eq \${startupType}) -and (($svc.Status -eq 'Running') -eq \${running})`,
      safe: `@(Get-Process -Name '${svc.toLowerCase()}' -ErrorAction SilentlyContinue).Count -eq 0 -and ((Get-Date).Hour -ge ${r.int(0, 5)})`,
      set: `Set-Service -Name \${name} -StartupType \${startupType}
    if (\${running}) { Start-Service -Name \${name} } else { Stop-Service -Name \${name} -Force -NoWait }
    ${helper ? `$null = ${helper("name")}\n    ` : ""}Start-Sleep -Seconds ${wait}`,
      sample: (i) => `{ name: ${lit(`${svc}${i}`)}, startupType: ${lit(r.pick(["Automatic", "Manual"]))}, running: ${r.chance(0.8)} }`,
    };
  },
  function registryValue(u, r, helper) {
    const root = `HKLM:\\SOFTWARE\\${r.pick(VENDORS)}\\${r.pick(PRODUCTS)}${u.n}`;
    const type = r.pick(["DWord", "QWord", "String"]);
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z][A-Za-z0-9]{0,40}$/ }), value: t.int({ min: 0, max: ${r.int(100, 100000)} })`,
      get: `$item = Get-ItemProperty -LiteralPath '${root}' -Name \${name} -ErrorAction SilentlyContinue
    @{ Name = \${name}; Value = $item.(\${name}) }`,
      test: `$current = Get-ItemProperty -LiteralPath '${root}' -Name \${name} -ErrorAction SilentlyContinue
    ($null -ne $current) -and ([int64]$current.(\${name}) -eq \${value})`,
      set: `if (-not (Test-Path -LiteralPath '${root}')) { $null = New-Item -Path '${root}' -Force }
    ${helper ? `$null = ${helper("name")}\n    ` : ""}Set-ItemProperty -LiteralPath '${root}' -Name \${name} -Value \${value} -Type ${type}`,
      sample: (i) => `{ name: ${lit(`${pascal(r.pick(WORDS))}Limit${i}`)}, value: ${r.int(0, 99)} }`,
    };
  },
  function fileContent(u, r, helper) {
    const folder = `C:\\ProgramData\\${r.pick(VENDORS)}\\${r.pick(WORDS)}${u.n}`;
    const encoding = r.pick(["UTF8", "ASCII", "Unicode"]);
    return {
      props: `path: t.string({ key: true, pattern: /^[A-Za-z]:\\\\.+/ }), lines: t.array(t.string()), readOnly: t.bool({ default: false })`,
      get: `$text = Get-Content -LiteralPath \${path} -Encoding ${encoding} -ErrorAction SilentlyContinue
    @{ Path = \${path}; Lines = @($text); Folder = '${folder}' }`,
      test: `(Test-Path -LiteralPath \${path}) -and ((@(Get-Content -LiteralPath \${path} -Encoding ${encoding}) -join '|') -eq (@(\${lines}) -join '|'))`,
      set: `$null = New-Item -ItemType Directory -Path '${folder}' -Force
    Set-Content -LiteralPath \${path} -Value \${lines} -Encoding ${encoding}${r.chance(0.5) ? " -Force" : ""}
    ${helper ? `$null = ${helper("path")}\n    ` : ""}(Get-Item -LiteralPath \${path}).IsReadOnly = \${readOnly}`,
      sample: (i) => `{ path: ${lit(`C:\\${r.pick(VENDORS)}\\${r.pick(WORDS)}-${i}.ini`)}, lines: [${lit(`[${r.pick(WORDS)}]`)}, ${lit(`level=${r.int(1, 9)}`)}] }`,
    };
  },
  function windowsFeature(u, r, helper) {
    const log = `C:\\Windows\\Logs\\Fleet\\feature-${u.n}.log`;
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9-]+$/ }), includeManagementTools: t.bool({ default: ${r.chance(0.5)} })`,
      get: `$feature = Get-WindowsFeature -Name \${name} -LogPath '${log}'
    @{ Name = \${name}; Installed = [bool]$feature.Installed; Log = '${log}' }`,
      test: `[bool](Get-WindowsFeature -Name \${name} -LogPath '${log}').Installed`,
      set: `${helper ? `$null = ${helper("name")}\n    ` : ""}$result = Install-WindowsFeature -Name \${name} -IncludeManagementTools:\${includeManagementTools} -LogPath '${log}'
    if (-not $result.Success) { throw ('feature {0} failed (${u.n}): {1}' -f \${name}, $result.ExitCode) }`,
      sample: () => `{ name: ${lit(r.pick(FEATURES))} }`,
    };
  },
  function scheduledTask(u, r, helper) {
    const folder = `\\${r.pick(VENDORS)}\\`;
    const at = `${String(r.int(0, 23)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}`;
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9 _-]+$/ }), script: t.string(), daysInterval: t.int({ min: 1, max: 30, default: ${r.int(1, 7)} })`,
      get: `$task = Get-ScheduledTask -TaskName \${name} -TaskPath '${folder}' -ErrorAction SilentlyContinue
    @{ Name = \${name}; State = [string]$task.State; Path = '${folder}' }`,
      test: `$task = Get-ScheduledTask -TaskName \${name} -TaskPath '${folder}' -ErrorAction SilentlyContinue
    ($null -ne $task) -and ($task.Actions[0].Arguments -like ('*{0}*' -f \${script}))`,
      set: `$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ('-NoProfile -ExecutionPolicy Bypass -File "{0}"' -f \${script})
    $trigger = New-ScheduledTaskTrigger -Daily -DaysInterval \${daysInterval} -At '${at}'
    ${helper ? `$null = ${helper("script")}\n    ` : ""}$null = Register-ScheduledTask -TaskName \${name} -TaskPath '${folder}' -Action $action -Trigger $trigger -User 'SYSTEM' -RunLevel Highest -Force`,
      sample: (i) => `{ name: ${lit(`${pascal(r.pick(WORDS))} cleanup ${i}`)}, script: ${lit(`C:\\Scripts\\${r.pick(WORDS)}.ps1`)} }`,
    };
  },
  function firewallRule(u, r, helper) {
    const group = `${r.pick(VENDORS)} ${r.pick(PRODUCTS)} ${u.n}`;
    const protocol = r.pick(["TCP", "UDP"]);
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9 -]+$/ }), port: t.int({ min: 1, max: 65535 }), direction: t.enum(["Inbound", "Outbound"], { default: "Inbound" }), remote: t.array(t.string(), { optional: true })`,
      get: `$rule = Get-NetFirewallRule -Name \${name} -ErrorAction SilentlyContinue
    @{ Name = \${name}; Enabled = [string]$rule.Enabled; Group = '${group}' }`,
      test: `$rule = Get-NetFirewallRule -Name \${name} -ErrorAction SilentlyContinue
    ($null -ne $rule) -and ((Get-NetFirewallPortFilter -AssociatedNetFirewallRule $rule).LocalPort -eq [string]\${port})`,
      set: `Get-NetFirewallRule -Name \${name} -ErrorAction SilentlyContinue | Remove-NetFirewallRule
    $addresses = if (\${remote}) { \${remote} } else { @('Any') }
    ${helper ? `$null = ${helper("name")}\n    ` : ""}$null = New-NetFirewallRule -Name \${name} -DisplayName \${name} -Group '${group}' -Direction \${direction} -Protocol ${protocol} -LocalPort \${port} -RemoteAddress $addresses -Action Allow`,
      sample: (i) => `{ name: ${lit(`${r.pick(PRODUCTS)}-${i}`)}, port: ${r.int(1024, 60000)}${r.chance(0.5) ? `, remote: [${lit(`10.${r.int(0, 255)}.0.0/16`)}]` : ""} }`,
    };
  },
  function iisAppPool(u, r, helper) {
    const appcmd = `$env:windir\\system32\\inetsrv\\appcmd.exe`;
    const recycle = r.int(60, 1740);
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9._-]{1,64}$/ }), runtime: t.enum(["v4.0", "v2.0", "No Managed Code"], { default: "v4.0" }), recycleMinutes: t.int({ min: 0, max: 1740, default: ${recycle} })`,
      get: `Import-Module -Name WebAdministration
    $pool = Get-Item -Path ('IIS:\\AppPools\\{0}' -f \${name}) -ErrorAction SilentlyContinue
    @{ Name = \${name}; Runtime = $pool.managedRuntimeVersion; Recycle = ${recycle} }`,
      test: `Import-Module -Name WebAdministration
    $pool = Get-Item -Path ('IIS:\\AppPools\\{0}' -f \${name}) -ErrorAction SilentlyContinue
    ($null -ne $pool) -and ($pool.managedRuntimeVersion -eq \${runtime}) -and ($pool.recycling.periodicRestart.time.TotalMinutes -eq \${recycleMinutes})`,
      safe: `(Get-Date).DayOfWeek -ne '${r.pick(["Monday", "Friday", "Sunday"])}' -and @(Get-Process -Name 'w3wp' -ErrorAction SilentlyContinue).Count -lt ${r.int(2, 9)}`,
      set: `Import-Module -Name WebAdministration
    if (-not (Test-Path -Path ('IIS:\\AppPools\\{0}' -f \${name}))) { & "${appcmd}" add apppool /name:\${name} | Out-Null }
    Set-ItemProperty -Path ('IIS:\\AppPools\\{0}' -f \${name}) -Name managedRuntimeVersion -Value \${runtime}
    ${helper ? `$null = ${helper("name")}\n    ` : ""}Set-ItemProperty -Path ('IIS:\\AppPools\\{0}' -f \${name}) -Name recycling.periodicRestart.time -Value ([TimeSpan]::FromMinutes(\${recycleMinutes}))
    & "${appcmd}" recycle apppool /apppool.name:\${name} | Out-Null`,
      sample: (i) => `{ name: ${lit(`${r.pick(PRODUCTS)}Pool${i}`)}, runtime: ${lit(r.pick(["v4.0", "No Managed Code"]))} }`,
    };
  },
  function certificate(u, r, helper) {
    const store = r.pick(["Root", "My", "CA", "TrustedPeople"]);
    return {
      props: `thumbprint: t.string({ key: true, pattern: /^[0-9A-F]{40}$/ }), file: t.string({ pattern: /^[A-Za-z]:\\\\.+\\.cer$/ })`,
      get: `$cert = Get-ChildItem -Path 'Cert:\\LocalMachine\\${store}' | Where-Object { $_.Thumbprint -eq \${thumbprint} } | Select-Object -First 1
    @{ Thumbprint = \${thumbprint}; Subject = $cert.Subject; NotAfter = $cert.NotAfter; Store = '${store}' }`,
      test: `$cert = Get-ChildItem -Path 'Cert:\\LocalMachine\\${store}' | Where-Object { $_.Thumbprint -eq \${thumbprint} }
    ($null -ne $cert) -and ($cert.NotAfter -gt (Get-Date).AddDays(${r.int(7, 60)}))`,
      set: `${helper ? `$null = ${helper("file")}\n    ` : ""}$null = Import-Certificate -FilePath \${file} -CertStoreLocation 'Cert:\\LocalMachine\\${store}'`,
      sample: () => `{ thumbprint: ${lit(Array.from({ length: 40 }, () => "0123456789ABCDEF"[r.int(0, 15)]).join(""))}, file: ${lit(`C:\\certs\\${r.pick(WORDS)}.cer`)} }`,
    };
  },
  function environmentVariable(u, r, helper) {
    const target = r.pick(["Machine", "Process"]);
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Z_][A-Z0-9_]*$/ }), value: t.string(), append: t.bool({ default: false })`,
      get: `@{ Name = \${name}; Value = [Environment]::GetEnvironmentVariable(\${name}, '${target}'); Scope = '${target}'; Id = ${u.n.replace(/\D/g, "")} }`,
      test: `$current = [Environment]::GetEnvironmentVariable(\${name}, '${target}')
    if (\${append}) { @($current -split ';') -contains \${value} } else { $current -eq \${value} }`,
      set: `$current = [Environment]::GetEnvironmentVariable(\${name}, '${target}')
    $next = if (\${append} -and $current) { '{0};{1}' -f $current, \${value} } else { \${value} }
    ${helper ? `$null = ${helper("value")}\n    ` : ""}[Environment]::SetEnvironmentVariable(\${name}, $next, '${target}')`,
      sample: (i) => `{ name: ${lit(`${r.pick(PRODUCTS).toUpperCase()}_HOME_${i}`)}, value: ${lit(`D:\\${r.pick(VENDORS)}\\${r.pick(WORDS)}`)} }`,
    };
  },
  function localGroupMember(u, r, helper) {
    return {
      props: `group: t.string({ key: true, pattern: /^[A-Za-z0-9 _-]+$/ }), members: t.array(t.string())`,
      get: `@{ Group = \${group}; Members = @(Get-LocalGroupMember -Group \${group} -ErrorAction SilentlyContinue | ForEach-Object { $_.Name }); Source = '${u.n}' }`,
      test: `$present = @(Get-LocalGroupMember -Group \${group} -ErrorAction SilentlyContinue | ForEach-Object { $_.Name })
    @(\${members} | Where-Object { $present -notcontains $_ }).Count -eq ${r.int(0, 0)}`,
      set: `$present = @(Get-LocalGroupMember -Group \${group} | ForEach-Object { $_.Name })
    ${helper ? `$null = ${helper("group")}\n    ` : ""}foreach ($member in \${members}) { if ($present -notcontains $member) { Add-LocalGroupMember -Group \${group} -Member $member } }`,
      sample: (i) => `{ group: ${lit(`${r.pick(PRODUCTS)} Operators ${i}`)}, members: [${lit(`CORP\\${r.pick(WORDS)}-admins`)}, ${lit(`CORP\\svc-${r.pick(WORDS)}`)}] }`,
    };
  },
  function dnsServers(u, r, helper) {
    return {
      props: `interfaceAlias: t.string({ key: true }), servers: t.array(t.string())`,
      get: `@{ InterfaceAlias = \${interfaceAlias}; Servers = @((Get-DnsClientServerAddress -InterfaceAlias \${interfaceAlias} -AddressFamily IPv4).ServerAddresses); Policy = ${r.int(1, 999)} }`,
      test: `(@((Get-DnsClientServerAddress -InterfaceAlias \${interfaceAlias} -AddressFamily IPv4).ServerAddresses) -join ',') -eq (@(\${servers}) -join ',')`,
      set: `${helper ? `$null = ${helper("interfaceAlias")}\n    ` : ""}Set-DnsClientServerAddress -InterfaceAlias \${interfaceAlias} -ServerAddresses \${servers}${r.chance(0.5) ? "\n    Clear-DnsClientCache" : ""}`,
      sample: (i) => `{ interfaceAlias: ${lit(`Ethernet ${i}`)}, servers: [${lit(`10.${r.int(0, 255)}.0.2`)}, ${lit(`10.${r.int(0, 255)}.0.3`)}] }`,
    };
  },
  function eventLog(u, r, helper) {
    const overflow = r.pick(["OverwriteAsNeeded", "OverwriteOlder", "DoNotOverwrite"]);
    return {
      props: `logName: t.string({ key: true }), source: t.string({ pattern: /^[A-Za-z0-9 .]+$/ }), maximumKilobytes: t.int({ min: 64, max: 4194240, default: ${r.pick([1024, 4096, 16384, 65536])} })`,
      get: `$log = Get-EventLog -List | Where-Object { $_.Log -eq \${logName} }
    @{ LogName = \${logName}; MaximumKilobytes = $log.MaximumKilobytes; Overflow = '${overflow}' }`,
      test: `$log = Get-EventLog -List | Where-Object { $_.Log -eq \${logName} }
    ($null -ne $log) -and [System.Diagnostics.EventLog]::SourceExists(\${source}) -and ($log.MaximumKilobytes -eq \${maximumKilobytes})`,
      set: `if (-not [System.Diagnostics.EventLog]::SourceExists(\${source})) { New-EventLog -LogName \${logName} -Source \${source} }
    ${helper ? `$null = ${helper("source")}\n    ` : ""}Limit-EventLog -LogName \${logName} -MaximumSize (\${maximumKilobytes} * 1KB) -OverflowAction ${overflow}${overflow === "OverwriteOlder" ? ` -RetentionDays ${r.int(1, 30)}` : ""}`,
      sample: (i) => `{ logName: ${lit(`${r.pick(VENDORS)}-${i}`)}, source: ${lit(`${r.pick(PRODUCTS)} ${r.pick(WORDS)}`)} }`,
    };
  },
  function tlsCipher(u, r, helper) {
    return {
      props: `name: t.string({ key: true, pattern: /^TLS_[A-Z0-9_]+$/ }), enabled: t.bool()`,
      get: `@{ Name = \${name}; Enabled = [bool](Get-TlsCipherSuite -Name \${name}); Policy = 'cipher-${u.n}' }`,
      test: `[bool](@(Get-TlsCipherSuite -Name \${name}).Count -gt 0) -eq \${enabled}`,
      set: `${helper ? `$null = ${helper("name")}\n    ` : ""}if (\${enabled}) { Enable-TlsCipherSuite -Name \${name}${r.chance(0.5) ? ` -Position ${r.int(0, 10)}` : ""} } else { Disable-TlsCipherSuite -Name \${name} }`,
      sample: () => `{ name: ${lit(r.pick(CIPHERS))}, enabled: ${r.chance(0.5)} }`,
    };
  },
  function defenderExclusion(u, r, helper) {
    return {
      props: `path: t.string({ key: true, pattern: /^[A-Za-z]:\\\\.*/ }), realtime: t.bool({ default: true })`,
      get: `$pref = Get-MpPreference
    @{ Path = \${path}; Excluded = @($pref.ExclusionPath) -contains \${path}; Realtime = -not $pref.DisableRealtimeMonitoring; Rule = ${r.int(1000, 9999)} }`,
      test: `$pref = Get-MpPreference
    (@($pref.ExclusionPath) -contains \${path}) -and ((-not $pref.DisableRealtimeMonitoring) -eq \${realtime})`,
      set: `${helper ? `$null = ${helper("path")}\n    ` : ""}Add-MpPreference -ExclusionPath \${path}
    Set-MpPreference -DisableRealtimeMonitoring (-not \${realtime})${r.chance(0.5) ? ` -ScanAvgCPULoadFactor ${r.int(10, 80)}` : ""}`,
      sample: () => `{ path: ${lit(`D:\\${r.pick(VENDORS)}\\${r.pick(WORDS)}`)} }`,
    };
  },
  function timeZone(u, r, helper) {
    return {
      props: `id: t.enum(${JSON.stringify(ZONES)}, { key: true })`,
      get: `@{ Id = (Get-TimeZone).Id; Wanted = \${id}; Check = '${u.n}' }`,
      test: `(Get-TimeZone).Id -eq \${id}`,
      set: `${helper ? `$null = ${helper("id")}\n    ` : ""}Set-TimeZone -Id \${id}
    Write-Verbose ('time zone set to {0} (${r.pick(WORDS)})' -f \${id})`,
      sample: () => `{ id: ${lit(r.pick(ZONES))} }`,
    };
  },
  function smbShare(u, r, helper) {
    return {
      props: `name: t.string({ key: true, pattern: /^[A-Za-z0-9$_-]{1,80}$/ }), path: t.string({ pattern: /^[A-Za-z]:\\\\.+/ }), readAccess: t.array(t.string()), encrypt: t.bool({ default: ${r.chance(0.5)} })`,
      get: `$share = Get-SmbShare -Name \${name} -ErrorAction SilentlyContinue
    @{ Name = \${name}; Path = $share.Path; Encrypt = $share.EncryptData; Caching = '${r.pick(["Manual", "None", "Documents"])}' }`,
      test: `$share = Get-SmbShare -Name \${name} -ErrorAction SilentlyContinue
    ($null -ne $share) -and ($share.Path -eq \${path}) -and ($share.EncryptData -eq \${encrypt})`,
      set: `$null = New-Item -ItemType Directory -Path \${path} -Force
    ${helper ? `$null = ${helper("path")}\n    ` : ""}if (-not (Get-SmbShare -Name \${name} -ErrorAction SilentlyContinue)) { $null = New-SmbShare -Name \${name} -Path \${path} -ReadAccess \${readAccess} -EncryptData \${encrypt} -ConcurrentUserLimit ${r.int(0, 200)} }`,
      sample: (i) => `{ name: ${lit(`${r.pick(PRODUCTS)}${i}`)}, path: ${lit(`D:\\Shares\\${r.pick(WORDS)}${i}`)}, readAccess: [${lit(`CORP\\${r.pick(WORDS)}-readers`)}] }`,
    };
  },
];

export function generate(dir, { modules = 200, layers = 3, resources = 10, configurations = 50, seed = 20261205 } = {}) {
  const r = rng(seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "configurations"), { recursive: true });
  const layerNames = Array.from({ length: layers }, (_, i) => `layer${i}`);
  writeFileSync(join(dir, "fleetform.config.ts"), `import { defineConfig } from "fleetform";\n\nconst config = defineConfig({ layers: ${JSON.stringify(layerNames)} });\nexport default config;\n\ndeclare module "fleetform" {\n  interface Register {\n    config: typeof config;\n  }\n}\n`);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["**/*.ts"] }, null, 2) + "\n");
  const mods = Array.from({ length: modules }, (_, i) => ({ id: `m${String(i).padStart(3, "0")}`, name: `Module${String(i).padStart(3, "0")}`, layer: Math.floor((i * layers) / modules), resources: [] }));
  const texts = new Map();
  let calling = 0;
  for (const m of mods) {
    const lower = mods.filter((o) => o.layer < m.layer);
    const deps = [];
    for (let k = 0; k < 3 && lower.length > 0; k++) {
      const d = lower[Math.floor(r.next() * lower.length)];
      if (!deps.includes(d)) deps.push(d);
    }
    const verb = r.pick(["Get", "Resolve", "Test", "Format"]);
    m.helper = `${m.id}${verb}`;
    const helperNoun = `${r.pick(VENDORS)}${m.name}${pascal(r.pick(WORDS))}`;
    const lines = [
      `import { defineModule, fn, ps, resource, t } from "fleetform";`,
      ...deps.map((d) => `import { ${d.helper} } from "../${d.id}/index.js";`),
      ``,
      `export const module = defineModule({ name: "${m.name}", layer: "${layerNames[m.layer]}", version: "1.${r.int(0, 9)}.${m.layer}", description: "${r.pick(VENDORS)} ${r.pick(PRODUCTS).toLowerCase()} settings (${m.name})" });`,
      ``,
      `/** Used by modules of higher layers. */`,
      `export const ${m.helper} = fn({`,
      `  name: "${verb}-${helperNoun}",`,
      `  params: { key: t.string() },`,
      `  returns: t.string(),`,
      `  body: ({ key }) => ps\`${deps.map((d) => `$null = \${${d.helper}({ key })}; `).join("")}'${m.id}-${r.pick(WORDS)}-${r.int(100, 999)}:' + \${key}\`,`,
      `});`,
    ];
    for (let k = 0; k < resources; k++) {
      const u = { n: `${m.id}x${k}` };
      const kind = KINDS[r.int(0, KINDS.length - 1)];
      const dep = deps.length > 0 && r.chance(0.5) ? r.pick(deps) : undefined;
      const helper = dep ? (arg) => `\${${dep.helper}({ key: ${arg} })}` : undefined;
      if (dep) calling++;
      const made = kind(u, r, helper);
      // A guard for every resource: an operator's hold flag, a maintenance window, a busy installer.
      made.safe ??= r.pick([
        () => `-not (Test-Path -LiteralPath 'C:\\ProgramData\\Fleet\\hold\\${u.n}.flag')`,
        () => `$hour = (Get-Date).Hour\n    ($hour -lt ${r.int(5, 8)}) -or ($hour -ge ${r.int(18, 22)}) -or ('${u.n}' -like 'm0*')`,
        () => `@(Get-Process -Name 'msiexec', 'TrustedInstaller' -ErrorAction SilentlyContinue).Count -le ${r.int(0, 2)} # ${u.n}`,
      ])();
      // Each fragment opens with its own context (a log line, a marker, a preference), as fleet code does.
      const opening = (role) => r.pick([
        () => `Write-Verbose '${u.n} ${role}: ${kind.name} (${r.pick(WORDS)})'\n    `,
        () => `$context = '${r.pick(VENDORS)}/${u.n}/${role}'\n    `,
        () => `$ErrorActionPreference = '${r.pick(["Stop", "Continue"])}' # ${u.n} ${role}\n    `,
        () => `Write-Debug ('${u.n} ${role} at {0}' -f (Get-Date -Format 'o'))\n    `,
        () => `Set-StrictMode -Version ${r.pick(["2.0", "Latest"])}\n    $step = '${u.n}.${role}.${r.int(1, 99)}'\n    `,
      ])();
      for (const role of ["get", "test", "safe", "set"]) if (made[role]) made[role] = opening(role) + made[role];
      const rname = `${m.name}${pascal(kind.name)}${k}`;
      // The handles a fragment destructures: the property names it uses.
      const used = (body) => [...new Set([...body.matchAll(/\$\{(\w+)\}|key: (\w+) \}/g)].map((x) => x[1] ?? x[2]))].filter((n) => made.props.includes(`${n}:`));
      const arrow = (body) => `(${used(body).length ? `{ ${used(body).join(", ")} }` : ""}) => ps\`\n    ${body}\n  \``;
      lines.push(
        ``,
        `export const ${rname} = resource({`,
        `  name: "${rname}",`,
        `  description: "${pascal(kind.name.replace(/([A-Z])/g, " $1").toLowerCase())} ${k} of ${m.name}",`,
        `  properties: { ${made.props} },`,
        `  get: ${arrow(made.get)},`,
        `  test: ${arrow(made.test)},`,
        `  safe: ${arrow(made.safe)},`,
        `  set: ${arrow(made.set)},`,
        `});`,
      );
      for (const body of [made.get, made.test, made.safe, made.set]) texts.set(body, (texts.get(body) ?? 0) + 1);
      m.resources.push({ name: rname, sample: made.sample });
    }
    mkdirSync(join(dir, "modules", m.id), { recursive: true });
    writeFileSync(join(dir, "modules", m.id, "index.ts"), lines.join("\n") + "\n");
  }
  // Configurations: each uses resources of three to five modules of any layer.
  for (let c = 0; c < configurations; c++) {
    const picks = [];
    const n = r.int(3, 5);
    for (let k = 0; k < n; k++) {
      const m = r.pick(mods);
      if (!picks.includes(m)) picks.push(m);
    }
    const chosen = picks.map((m) => ({ m, rs: m.resources.filter(() => r.chance(0.4)).slice(0, 4) })).filter((x) => x.rs.length > 0);
    if (chosen.length === 0) chosen.push({ m: picks[0], rs: [picks[0].resources[0]] });
    const lines = [
      `import { configuration, ec2Tag } from "fleetform";`,
      ...chosen.map(({ m, rs }) => `import { ${rs.map((x) => x.name).join(", ")} } from "../modules/${m.id}/index.js";`),
      ``,
      `export default configuration({`,
      `  name: "${r.pick(PRODUCTS)}${pascal(r.pick(WORDS))}${String(c).padStart(3, "0")}",`,
      `  targets: { tag: "Role", values: ["role-${c}"] },`,
      `  schedule: "rate(${r.pick([30, 60, 120])} minutes)",`,
      `  resources: {`,
    ];
    let previous;
    let i = 0;
    for (const { rs } of chosen) {
      for (const x of rs) {
        const id = `r${i}${x.name.toLowerCase().slice(0, 12)}`;
        lines.push(`    ${id}: ${x.name}(${x.sample(c * 100 + i)}${previous && r.chance(0.5) ? `, { dependsOn: ["${previous}"] }` : ""}),`);
        previous = id;
        i++;
      }
    }
    lines.push(`  },`, `});`);
    writeFileSync(join(dir, "configurations", `config${String(c).padStart(3, "0")}.ts`), lines.join("\n") + "\n");
  }
  if (process.env.BENCH_DUPES) for (const [t, n] of texts) if (n > 1) console.error(n, JSON.stringify(t).slice(0, 160));
  return { modules: mods.length, files: mods.length + configurations + 1, resources: modules * resources, fragments: [...texts.values()].reduce((a, b) => a + b, 0), uniqueFragments: texts.size, calling };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { modules: { type: "string" }, layers: { type: "string" }, resources: { type: "string" }, configurations: { type: "string" }, seed: { type: "string" } },
  });
  const dir = positionals[0];
  if (!dir) {
    console.error("usage: node bench/generate.mjs <dir> [--modules N] [--layers L] [--resources M] [--configurations K] [--seed S]");
    process.exit(2);
  }
  const sizes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
  console.log(generate(dir, sizes));
}
