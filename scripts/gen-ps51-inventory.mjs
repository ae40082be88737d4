#!/usr/bin/env node
// Generates compiler/powershell/ps51-inventory.json, the Windows PowerShell 5.1 command inventory
// the fragment linker (compiler/powershell/check-fragments.ps1) checks every command against, from
// the compatibility profiles PSScriptAnalyzer recorded on Windows Server 2019 and 2016 (MIT,
// Copyright (c) Microsoft Corporation; the notice travels as compiler/powershell/ps51-inventory.LICENSE).
//
//   node scripts/gen-ps51-inventory.mjs [<folder holding the profiles>]
//
// The folder defaults to ../shared/reference/powershell-compat above the repository (or above its
// parent). Output is deterministic: keys sorted, no dates, no paths.
//
// What the profiles cannot say is added below, each entry with its reason (SOURCES.md's "known
// gaps"): built-in functions outside any module, provider dynamic parameters other than the
// FileSystem provider's, and the members of enums and ValidateSets that live in assemblies the
// collector did not record (System.Management.Automation, Microsoft.PowerShell.Commands.Utility).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const candidates = [process.argv[2], join(repo, "..", "shared/reference/powershell-compat"), join(repo, "../..", "shared/reference/powershell-compat")].filter(Boolean);
const folder = candidates.find((c) => existsSync(join(c, "SOURCES.md")));
if (!folder) {
  console.error(`gen-ps51-inventory: no profile folder found (tried ${candidates.join(", ")}); pass it as the first argument`);
  process.exit(2);
}
const PROFILES = [
  "win-8_x64_10.0.17763.0_5.1.17763.134_x64_4.0.30319.42000_framework.json", // Windows Server 2019
  "win-8_x64_10.0.14393.0_5.1.14393.2636_x64_4.0.30319.42000_framework.json", // Windows Server 2016
];

/**
 * Functions every Windows PowerShell 5.1 session defines outside any module (InitialSessionState's
 * built-in functions), which the profiles do not list. Their parameters are not checked.
 */
const BUILTIN_FUNCTIONS = ["Clear-Host", "Get-Verb", "help", "ImportSystemModules", "mkdir", "more", "oss", "Pause", "prompt", "TabExpansion2", "cd..", "cd\\",
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").map((d) => `${d}:`)];

/**
 * Commands of the modules Windows Server 2016 and 2019 ship in Program Files (PowerShellGet and
 * PackageManagement 1.0.0.1), which the profiles leave out. Their parameters are not checked.
 */
const PROGRAM_FILES_COMMANDS = [
  "Find-Command", "Find-DscResource", "Find-Module", "Find-RoleCapability", "Find-Script", "Get-InstalledModule", "Get-InstalledScript", "Get-PSRepository",
  "Install-Module", "Install-Script", "New-ScriptFileInfo", "Publish-Module", "Publish-Script", "Register-PSRepository", "Save-Module", "Save-Script",
  "Set-PSRepository", "Test-ScriptFileInfo", "Uninstall-Module", "Uninstall-Script", "Unregister-PSRepository", "Update-Module", "Update-ModuleManifest",
  "Update-Script", "Update-ScriptFileInfo", "inmo", "fimo", "upmo", "pumo",
  "Find-Package", "Find-PackageProvider", "Get-Package", "Get-PackageProvider", "Get-PackageSource", "Import-PackageProvider", "Install-Package",
  "Install-PackageProvider", "Register-PackageSource", "Save-Package", "Set-PackageSource", "Uninstall-Package", "Unregister-PackageSource",
];

/**
 * Provider dynamic parameters of 5.1 the profiles miss (the collector stood in the FileSystem
 * provider): the Registry provider's -Type, the Certificate provider's certificate filters and
 * -DeleteKey, the WSMan provider's listener and plug-in parameters.
 */
const WSMAN_NEW_ITEM = ["Address", "Transport", "HostName", "Enabled", "URLPrefix", "CertificateThumbprint", "Port", "UseSSL", "ApplicationName", "ConnectionURI", "OptionSet", "Authentication", "SessionOption", "Thumbprint", "Credential", "Plugin", "FileName", "SDKVersion", "Resource", "Capability", "XMLRenderingType", "File", "RunAsCredential", "UseSharedProcess", "AutoRestart", "ProcessIdleTimeoutSec", "Issuer", "Subject", "URI", "ResourceUri", "SecurityDescriptor"];
const CERT_FILTERS = ["CodeSigningCert", "DocumentEncryptionCert", "SSLServerAuthentication", "DnsName", "Eku", "ExpiringInDays"];
const DYNAMIC_PARAMETERS = {
  "Set-ItemProperty": ["Type"],
  "New-ItemProperty": [],
  "Get-ChildItem": CERT_FILTERS,
  "Get-Item": CERT_FILTERS,
  "Remove-Item": ["DeleteKey"],
  "New-Item": WSMAN_NEW_ITEM,
  "Set-Item": ["Concatenate"],
};

/**
 * The FileSystem provider's dynamic parameters, which the profiles record as the cmdlets' own (the
 * collector stood in the FileSystem provider). PowerShell binds a named argument to the cmdlet's
 * own parameters first and to the provider's only when none matches: `gci -r` is -Recurse (the
 * provider's -ReadOnly does not make it ambiguous), `gci -fi` is -Filter (not -File). With the
 * parameters DYNAMIC_PARAMETERS adds, they are the inventory's `dynamic` list of each command.
 */
const FILESYSTEM_DYNAMIC = {
  "Get-ChildItem": ["Attributes", "Directory", "File", "Hidden", "ReadOnly", "System"],
  "Get-Content": ["Delimiter", "Encoding", "Raw", "Stream", "Wait"],
  "Set-Content": ["Encoding", "Stream"],
  "Add-Content": ["Encoding", "Stream"],
  "Clear-Content": ["Stream"],
  "Get-Item": ["Stream"],
  "Remove-Item": ["Stream"],
  "Test-Path": ["NewerThan", "OlderThan"],
};

/** Enums of assemblies the profiles do not record, with their Windows PowerShell 5.1 members. */
const ENUMS = {
  // Set-Content/Add-Content/Get-Content -Encoding (PowerShell 6 replaced it with System.Text.Encoding: utf8NoBOM, utf8BOM, ansi are 6+).
  "Microsoft.PowerShell.Commands.FileSystemCmdletProviderEncoding": ["Unknown", "String", "Unicode", "Byte", "BigEndianUnicode", "UTF8", "UTF7", "UTF32", "Ascii", "Default", "Oem", "BigEndianUTF32"],
  // Set-Service/New-Service -StartupType (.NET Framework's System.ServiceProcess; PowerShell 6 replaced it with
  // ServiceStartupType, adding AutomaticDelayedStart, which 5.1 refuses).
  "System.ServiceProcess.ServiceStartMode": ["Boot", "System", "Automatic", "Manual", "Disabled"],
  // -ErrorAction, -WarningAction, -InformationAction ('Break' is PowerShell 7.0).
  "System.Management.Automation.ActionPreference": ["SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"],
};
/** String parameters of 5.1 with a ValidateSet (the profiles record the type only). */
const VALUE_SETS = {
  "Out-File -Encoding": ["unknown", "string", "unicode", "bigendianunicode", "utf8", "utf7", "utf32", "ascii", "default", "oem"],
  "Select-String -Encoding": ["unicode", "utf7", "utf8", "utf32", "ascii", "bigendianunicode", "default", "oem"],
  "Export-Csv -Encoding": ["Unicode", "UTF7", "UTF8", "ASCII", "UTF32", "BigEndianUnicode", "Default", "OEM"],
  "Import-Csv -Encoding": ["Unicode", "UTF7", "UTF8", "ASCII", "UTF32", "BigEndianUnicode", "Default", "OEM"],
  "Set-Service -Status": ["Running", "Stopped", "Paused"],
  "Get-FileHash -Algorithm": ["SHA1", "SHA256", "SHA384", "SHA512", "MACTripleDES", "MD5", "RIPEMD160"],
  "Export-Clixml -Encoding": ["Unicode", "UTF7", "UTF8", "ASCII", "UTF32", "BigEndianUnicode", "Default", "OEM"],
};

/**
 * Parameter types the check tells apart besides enums and ValidateSets: a switch (takes no
 * argument), and the types a plain value cannot be converted to when the call binds, so that a
 * property or parameter of another type passed to one fails on the instance (FF3070).
 */
const SPECIAL_KINDS = {
  "System.Management.Automation.SwitchParameter": "switch",
  "System.Security.SecureString": "securestring",
  "System.Management.Automation.PSCredential": "credential",
};

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : 1)));
const read = (file) => JSON.parse(readFileSync(join(folder, file), "utf8").replace(/^\uFEFF/, ""));

const commands = {};
const aliases = {};
const native = new Set();
const enums = { ...ENUMS };
const sources = [];
for (const file of PROFILES) {
  const text = readFileSync(join(folder, file));
  sources.push({ file, sha256: createHash("sha256").update(text).digest("hex") });
  const profile = read(file);
  // Enums the profile records: types with static fields and an instance value__.
  const enumMembers = new Map();
  for (const assembly of Object.values(profile.Compatibility.Types?.Assemblies ?? {})) {
    for (const [ns, types] of Object.entries(assembly.Types ?? {})) {
      for (const [name, type] of Object.entries(types)) {
        if (type.Instance?.Fields?.value__ && type.Static?.Fields) enumMembers.set(`${ns}.${name}`, Object.keys(type.Static.Fields));
      }
    }
  }
  for (const [moduleName, versions] of Object.entries(profile.Compatibility.Modules)) {
    for (const module of Object.values(versions)) {
      for (const kind of ["Cmdlets", "Functions"]) {
        for (const [name, command] of Object.entries(module[kind] ?? {})) {
          const entry = (commands[name] ??= { module: moduleName, parameters: {}, aliases: {} });
          // A plain function (no CmdletBinding) has no common parameters.
          if (kind === "Cmdlets" || command.CmdletBinding !== false) entry.common = true;
          for (const [parameter, info] of Object.entries(command.Parameters ?? {})) {
            const type = String(info.Type ?? "").replace(/\[\]$/, "");
            const set = VALUE_SETS[`${name} -${parameter}`];
            const members = enums[type] ? type : enumMembers.has(type) ? ((enums[type] ??= enumMembers.get(type)), type) : undefined;
            entry.parameters[parameter] = set ? `${name} -${parameter}` : (members ?? SPECIAL_KINDS[type] ?? "");
          }
          for (const [alias, parameter] of Object.entries(command.ParameterAliases ?? {})) entry.aliases[alias] = parameter;
        }
      }
      for (const [alias, target] of Object.entries(module.Aliases ?? {})) aliases[alias] = target;
    }
  }
  for (const name of Object.keys(profile.Compatibility.NativeCommands ?? {})) native.add(name.toLowerCase());
}
const addedDynamic = {};
for (const [name, extra] of Object.entries(DYNAMIC_PARAMETERS)) {
  if (!commands[name]) throw new Error(`${name} is not in the profiles`);
  for (const p of extra) {
    if (p in commands[name].parameters) continue; // the cmdlet's own (New-Item -Credential): not dynamic
    commands[name].parameters[p] = "";
    (addedDynamic[name] ??= []).push(p);
  }
}
for (const [name, list] of Object.entries(FILESYSTEM_DYNAMIC)) {
  for (const p of list) if (!(p in (commands[name]?.parameters ?? {}))) throw new Error(`${name} -${p} is not in the profiles`);
}
for (const name of new Set([...Object.keys(FILESYSTEM_DYNAMIC), ...Object.keys(DYNAMIC_PARAMETERS)])) {
  const dynamic = [...new Set([...(FILESYSTEM_DYNAMIC[name] ?? []), ...(addedDynamic[name] ?? [])])].sort();
  if (dynamic.length > 0) commands[name].dynamic = dynamic;
}
for (const key of Object.keys(VALUE_SETS)) {
  const [name, parameter] = key.split(" -");
  if (commands[name]?.parameters[parameter] !== key) throw new Error(`${key} is not a string parameter of the profiles`);
}
for (const c of Object.values(commands)) {
  c.parameters = sorted(c.parameters);
  c.aliases = sorted(c.aliases);
  if (Object.keys(c.aliases).length === 0) delete c.aliases;
}
const usedEnums = new Set(["System.Management.Automation.ActionPreference"]);
for (const c of Object.values(commands)) for (const t of Object.values(c.parameters)) if (enums[t]) usedEnums.add(t);

const inventory = {
  about: "Windows PowerShell 5.1's in-box commands, aliases, parameters and native commands; generated by scripts/gen-ps51-inventory.mjs from PSScriptAnalyzer's compatibility profiles (MIT, Copyright (c) Microsoft Corporation: see ps51-inventory.LICENSE). Do not edit.",
  sources,
  commonParameters: { Verbose: "vb", Debug: "db", ErrorAction: "ea", WarningAction: "wa", InformationAction: "infa", ErrorVariable: "ev", WarningVariable: "wv", InformationVariable: "iv", OutVariable: "ov", OutBuffer: "ob", PipelineVariable: "pv" },
  commands: sorted(commands),
  aliases: sorted(aliases),
  builtinFunctions: [...BUILTIN_FUNCTIONS, ...PROGRAM_FILES_COMMANDS],
  native: [...native].sort(),
  enums: sorted(Object.fromEntries(Object.entries(enums).filter(([k]) => usedEnums.has(k)))),
  valueSets: sorted(VALUE_SETS),
};
const out = join(repo, "compiler/powershell/ps51-inventory.json");
writeFileSync(out, JSON.stringify(inventory) + "\n");
copyFileSync(join(folder, "LICENSE"), join(repo, "compiler/powershell/ps51-inventory.LICENSE"));
console.log(`${basename(out)}: ${Object.keys(commands).length} commands, ${Object.keys(aliases).length} aliases, ${native.size} native commands, ${usedEnums.size} enums (${readFileSync(out).length} bytes)`);
