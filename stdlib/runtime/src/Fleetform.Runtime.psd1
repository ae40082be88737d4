@{
    RootModule           = 'Fleetform.Runtime.psm1'
    ModuleVersion        = '{{version}}'
    GUID                 = '{{guid}}'
    Author               = 'fleetform'
    CompanyName          = 'fleetform'
    Copyright            = '(c) fleetform. Apache-2.0.'
    Description          = 'Fleetform runtime: runs the resources of a generated configuration (test, safe, set, verify), writes one JSON log line per step, guards against reboot loops and computes the exit code for SSM Run Command. Also IMDSv2, EC2 tag, SSM parameter and Secrets Manager helpers; secret values are redacted from log lines.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Complete-FfRun',
        'Get-FfCredential',
        'Get-FfEnvironmentValue',
        'Get-FfImdsToken',
        'Get-FfInstanceId',
        'Get-FfInstanceTag',
        'Get-FfSecret',
        'Get-FfSsmParameter',
        'Import-FfModule',
        'Initialize-FfRun',
        'Invoke-FfDscResource',
        'Invoke-FfResource',
        'Invoke-FfScript',
        'Protect-FfDirectory',
        'Write-FfLog'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Fleetform', 'SSM', 'Configuration', 'Windows')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
        # Marks modules fleetform installs (CodeDeploy's BeforeInstall removes only those).
        Fleetform = @{
            Source = 'stdlib/runtime'
        }
    }
}
