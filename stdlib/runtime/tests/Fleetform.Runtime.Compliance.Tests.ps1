# Pester 5 tests for the SSM Compliance report of Fleetform.Runtime (Complete-FfRun with a run
# initialised with -ComplianceSeverity). AWS.Tools is not installed on the build host:
# Write-SSMComplianceItem is a stub with the real parameter names, mocked per test, and the
# instance id comes from a mocked Get-FfInstanceId.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    Import-Module -Name $script:ManifestPath -Force

    $script:Stubbed = $false
    if ($null -eq (Get-Command -Name 'Write-SSMComplianceItem' -ErrorAction SilentlyContinue)) {
        function global:Write-SSMComplianceItem {
            [CmdletBinding()]
            param(
                [string]$ResourceId, [string]$ResourceType, [string]$ComplianceType,
                [DateTime]$ExecutionSummary_ExecutionTime, [string]$ExecutionSummary_ExecutionId, [string]$ExecutionSummary_ExecutionType,
                [object[]]$Item, [string]$ItemContentHash, [string]$UploadType
            )
            throw 'stub: Write-SSMComplianceItem is not installed'
        }
        $script:Stubbed = $true
    }

    function New-TestRun {
        param([string]$Mode = 'apply', [string]$Severity = 'HIGH')
        $root = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N'))
        $run = Initialize-FfRun -Configuration 'AppServer' -Mode $Mode -LogDir (Join-Path $root 'logs') -StateDir (Join-Path $root 'state') -NoConsole -ComplianceSeverity $Severity
        return $run
    }

    function Get-TestLogEntry {
        param([Parameter(Mandatory = $true)][psobject]$Run)
        foreach ($file in @(Get-ChildItem -LiteralPath $Run.LogDir -Filter '*.log')) {
            foreach ($line in [System.IO.File]::ReadAllLines($file.FullName)) {
                if ($line.Length -gt 0) { ConvertFrom-Json -InputObject $line }
            }
        }
    }

    function Invoke-TestResources {
        param([Parameter(Mandatory = $true)][psobject]$Run)
        $null = Invoke-FfResource -Run $Run -Id 'ok' -Category 'Windows' -Type 'Feature' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        $null = Invoke-FfResource -Run $Run -Id 'drift' -Category 'Windows' -Type 'Service' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
        $null = Invoke-FfResource -Run $Run -Id 'broken' -Category 'Packages' -Type 'Msi' -Properties { @{} } -Test { param($p) $false } -Set { param($p) throw 'exit 1603' }
    }
}

AfterAll {
    if ($script:Stubbed) {
        Remove-Item -Path 'Function:\Write-SSMComplianceItem' -ErrorAction SilentlyContinue
    }
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'SSM Compliance report' {
    BeforeEach {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Get-FfInstanceId' -MockWith { 'i-0123456789abcdef0' }
    }

    It 'reports one item per resource id, COMPLIANT or NON_COMPLIANT, with the configuration''s severity and the outcome (apply mode)' {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -MockWith { }
        $run = New-TestRun -Severity 'CRITICAL'
        Invoke-TestResources -Run $run
        $code = Complete-FfRun -Run $run
        $code | Should -Be 20
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 1 -Exactly -ParameterFilter {
            $ResourceId -eq 'i-0123456789abcdef0' -and $ResourceType -eq 'ManagedInstance' -and
            $ComplianceType -eq 'Custom:Fleetform_AppServer' -and $UploadType -eq 'COMPLETE' -and $ExecutionSummary_ExecutionType -eq 'Command'
        }
        # SSM's ComplianceTypeName (botocore's ssm model: 1-100 characters, the pattern matched whole),
        # which PutComplianceItems refuses otherwise: 'Custom:Fleetform.AppServer', the type before, has a '.'.
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 1 -Exactly -ParameterFilter {
            $ComplianceType.Length -le 100 -and $ComplianceType -cmatch '^(?:[A-Za-z0-9_\-]\w+|Custom:[a-zA-Z0-9_\-]\w+)$'
        }
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 1 -Exactly -ParameterFilter {
            $byId = @{}
            foreach ($i in $Item) { $byId[$i.Id] = $i }
            $Item.Count -eq 3 -and
            $byId['ok'].Status -eq 'COMPLIANT' -and $byId['drift'].Status -eq 'NON_COMPLIANT' -and $byId['broken'].Status -eq 'NON_COMPLIANT' -and
            $byId['broken'].Severity -eq 'CRITICAL' -and $byId['broken'].Title -eq 'Packages/Msi' -and
            $byId['broken'].Details['Result'] -eq 'failed' -and $byId['broken'].Details['ExitCode'] -eq '20' -and $byId['broken'].Details['Step'] -eq 'set' -and
            $byId['drift'].Details['Result'] -eq 'failed' -and $byId['ok'].Details['Result'] -eq 'in-desired-state' -and $byId['ok'].Details['Mode'] -eq 'apply'
        }
        @(Get-TestLogEntry -Run $run | Where-Object { $_.step -eq 'compliance' }).level | Should -Be @('DEBUG')
    }

    It 'reports drift in monitor mode' {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -MockWith { }
        $run = New-TestRun -Mode 'monitor' -Severity 'LOW'
        $null = Invoke-FfResource -Run $run -Id 'drift' -Category 'Windows' -Type 'Service' -Properties { @{} } -Test { param($p) $false } -Set { param($p) throw 'set must not run' }
        Complete-FfRun -Run $run | Should -Be 0
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 1 -Exactly -ParameterFilter {
            $Item.Count -eq 1 -and $Item[0].Id -eq 'drift' -and $Item[0].Status -eq 'NON_COMPLIANT' -and $Item[0].Severity -eq 'LOW' -and
            $Item[0].Details['Result'] -eq 'drifted' -and $Item[0].Details['Mode'] -eq 'monitor'
        }
    }

    It 'a failed report is one WARN line and leaves the exit code as it was' {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -MockWith { throw 'AccessDeniedException: not authorized to perform ssm:PutComplianceItems' }
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'ok' -Category 'Windows' -Type 'Feature' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        Complete-FfRun -Run $run | Should -Be 0
        $lines = @(Get-TestLogEntry -Run $run | Where-Object { $_.step -eq 'compliance' })
        $lines.Count | Should -Be 1
        $lines[0].level | Should -Be 'WARN'
        $lines[0].message | Should -Match 'could not report to SSM Compliance: AccessDeniedException'
        (@(Get-TestLogEntry -Run $run))[-1].result | Should -Be 'ok'
    }

    It 'an unreachable instance metadata service is a WARN line too, and the exit code stays 20' {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Get-FfInstanceId' -MockWith { throw 'instance metadata unreachable' }
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -MockWith { }
        $run = New-TestRun
        Invoke-TestResources -Run $run
        Complete-FfRun -Run $run | Should -Be 20
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 0 -Exactly
        @(Get-TestLogEntry -Run $run | Where-Object { $_.step -eq 'compliance' }).level | Should -Be @('WARN')
    }

    It 'without -ComplianceSeverity nothing is reported' {
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -MockWith { }
        $root = Join-Path -Path $TestDrive -ChildPath 'plain'
        $run = Initialize-FfRun -Configuration 'AppServer' -Mode 'apply' -LogDir (Join-Path $root 'logs') -StateDir (Join-Path $root 'state') -NoConsole
        Complete-FfRun -Run $run | Should -Be 0
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Write-SSMComplianceItem' -Times 0 -Exactly
    }
}
