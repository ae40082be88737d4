# Fleetform.Runtime: the hand-written runtime that every generated configuration module calls.
#
# Target: Windows PowerShell 5.1 (SSM Agent runs powershell.exe). Also runs under PowerShell 7
# (the tests run there). Keep this file ASCII and 5.1-syntax only. Importing the module has no
# side effects: nothing is created on disk until a log line or a reboot-guard record is written.
#
# The contract (functions, log line format, results, exit codes) is documented in docs/runtime.md.

Set-StrictMode -Version 3.0

# The constants every part of the runtime uses. Each part's own state sits at the top of its file.

$script:FfExitCodeDataKey = 'FleetformExitCode'
$script:FfUtf8NoBom = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$script:FfInvariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:FfModuleFile = $PSCommandPath

# Exit codes. The failure range is 10-99; 0, 3010 and the SSM Agent codes 168/169 (and 194 on
# Linux) are never used for failures.
$script:FfCode = @{
    Ok               = 0
    RebootRequired   = 3010
    SetFailed        = 20
    RebootLoop       = 21
    ResourceError    = 22
    DependencyFailed = 11
    ImdsUnreachable  = 30
    TagMissing       = 31
    SsmParameter     = 32
    SecretsManager   = 33
    ExternModule     = 34
    ModuleImport     = 40
    Internal         = 50
}
