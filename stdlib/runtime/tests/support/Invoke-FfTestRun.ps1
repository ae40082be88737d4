# A configuration run in its own PowerShell process, started by the Pester tests with -File.
# A new process is the faithful simulation of "the SSM document runs again after the reboot":
# nothing survives from the previous run except what is on disk (the state and log folders).
#
# Scenario 'reboot': one resource with -Reboot after-set whose test returns -InDesiredState;
#   every call of its set block appends a line to -SetLogPath.
# Scenario 'secret': Get-SECSecretValue is a stub returning -PlantedSecret; a resource reads it
#   in its properties block and its set block throws an error that quotes it; another prints it
#   with Write-Host, Write-Warning, Write-Verbose and Write-Information.
#
# The exit code of Complete-FfRun is also written to -ExitCodePath, because on Linux a process
# exit code is cut to 8 bits (3010 arrives as 194).
param(
    [Parameter(Mandatory = $true)][ValidateSet('reboot', 'secret')][string]$Scenario,
    [Parameter(Mandatory = $true)][string]$ManifestPath,
    [Parameter(Mandatory = $true)][string]$LogDir,
    [Parameter(Mandatory = $true)][string]$StateDir,
    [Parameter(Mandatory = $true)][string]$ExitCodePath,
    [Parameter()][string]$SetLogPath = '',
    [Parameter()][ValidateSet('true', 'false')][string]$InDesiredState = 'false',
    [Parameter()][string]$PlantedSecret = ''
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if ($Scenario -eq 'secret') {
    function global:Get-SECSecretValue {
        [CmdletBinding()]
        param([string]$SecretId, [string]$VersionId, [string]$VersionStage)
        [pscustomobject]@{ Name = $SecretId; SecretString = $PlantedSecret }
    }
}

Import-Module -Name $ManifestPath -Force

$run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $LogDir -StateDir $StateDir
if ($Scenario -eq 'reboot') {
    $testResult = ($InDesiredState -eq 'true')
    $null = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' -Reboot 'after-set' `
        -Properties { @{ Name = 'web01' } } `
        -Test { param($p) $testResult } `
        -Set { param($p) [System.IO.File]::AppendAllText($SetLogPath, "set`r`n") }
}
else {
    $null = Invoke-FfResource -Run $run -Id 'db-login' -Category 'Apps' -Type 'SqlLogin' `
        -Properties { @{ Password = (Get-FfSecret -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/db-AbCdEf') } } `
        -Test { param($p) $false } `
        -Set { param($p) throw ('Login failed for user sa with password ' + $p.Password) }
    # What a resource prints itself, to the host and the other streams: redacted too.
    $script:printed = $false
    $null = Invoke-FfResource -Run $run -Id 'prints' -Category 'Apps' -Type 'Service' `
        -Properties { @{ Password = (Get-FfSecret -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/db-AbCdEf') } } `
        -Test { param($p) Write-Host ('test printed ' + $p.Password); $script:printed } `
        -Set {
            param($p)
            Write-Host ('host printed ' + $p.Password) -ForegroundColor Yellow
            Write-Warning ('warned ' + $p.Password)
            Write-Verbose ('verbose ' + $p.Password) -Verbose
            Write-Information ('informed ' + $p.Password) -InformationAction Continue
            $script:printed = $true
        }
}
$code = Complete-FfRun -Run $run
[System.IO.File]::WriteAllText($ExitCodePath, [string]$code)
exit $code
