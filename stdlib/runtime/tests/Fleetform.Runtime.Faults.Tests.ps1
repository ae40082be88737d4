# Pester 5 fault tests for Fleetform.Runtime: what the log says and which exit code a run gives
# when instance metadata fails, when a tag is missing, and across a (simulated) reboot, where
# every run is a new PowerShell process that shares only the state and log folders.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    $script:SupportScript = Join-Path -Path $PSScriptRoot -ChildPath 'support/Invoke-FfTestRun.ps1'
    Import-Module -Name $script:ManifestPath -Force

    $script:SavedEndpoint = [Environment]::GetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT')
    [Environment]::SetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT', $null)

    # On Windows a process exit code is 32 bits; elsewhere it is cut to 8 bits (3010 -> 194).
    $script:OnWindows = ([System.IO.Path]::DirectorySeparatorChar -eq '\')

    function New-TestFolder {
        return (Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N')))
    }

    function Get-TestLogEntry {
        param([Parameter(Mandatory = $true)][string]$LogDir)
        foreach ($file in @(Get-ChildItem -LiteralPath $LogDir -Filter '*.log' | Sort-Object -Property Name)) {
            foreach ($line in [System.IO.File]::ReadAllLines($file.FullName)) {
                if ($line.Length -gt 0) {
                    ConvertFrom-Json -InputObject $line
                }
            }
        }
    }

    function New-HttpError {
        # An error like the one Invoke-RestMethod throws for an HTTP error status.
        param([Parameter(Mandatory = $true)][int]$Status)
        $type = 'Microsoft.PowerShell.Commands.HttpResponseException' -as [type]
        if ($null -ne $type) {
            $response = New-Object -TypeName System.Net.Http.HttpResponseMessage -ArgumentList ([System.Net.HttpStatusCode]$Status)
            return (New-Object -TypeName $type.FullName -ArgumentList ('Response status code does not indicate success: {0}.' -f $Status), $response)
        }
        $exception = New-Object -TypeName System.Net.WebException -ArgumentList ('The remote server returned an error: ({0}).' -f $Status)
        $exception | Add-Member -NotePropertyName 'Response' -NotePropertyValue ([pscustomobject]@{ StatusCode = $Status }) -Force
        return $exception
    }

    function Reset-ImdsCache {
        InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock {
            $script:FfImdsToken = $null
            $script:FfImdsTokenExpiresUtc = [DateTime]::MinValue
            $script:FfInstanceId = $null
        }
    }

    function Invoke-TestRunProcess {
        # Runs support/Invoke-FfTestRun.ps1 in a new process of the PowerShell running the tests.
        param([Parameter(Mandatory = $true)][hashtable]$Arguments)
        $exe = (Get-Process -Id $PID).Path
        $prefix = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
            $prefix = @([Environment]::GetCommandLineArgs()[0])
        }
        $argumentList = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($key in @($Arguments.Keys | Sort-Object)) {
            $argumentList.Add('-' + $key)
            $argumentList.Add([string]$Arguments[$key])
        }
        $stderrPath = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.stderr')
        $stdout = @(& $exe @prefix -NoLogo -NoProfile -NonInteractive -File $script:SupportScript @argumentList 2> $stderrPath)
        $code = $LASTEXITCODE
        $stderr = ''
        if (Test-Path -LiteralPath $stderrPath) {
            $stderr = [System.IO.File]::ReadAllText($stderrPath)
            Remove-Item -LiteralPath $stderrPath
        }
        return [pscustomobject]@{
            ExitCode = $code
            Stdout   = @($stdout | ForEach-Object { [string]$_ })
            Stderr   = $stderr
        }
    }
}

AfterAll {
    [Environment]::SetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT', $script:SavedEndpoint)
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'Faults: instance metadata' {
    BeforeEach {
        Reset-ImdsCache
        Mock -ModuleName 'Fleetform.Runtime' Start-Sleep { }
    }

    It 'IMDS unreachable: the resource line names IMDS and its address, the run exits 30' {
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod { throw (New-Object -TypeName System.Net.WebException -ArgumentList 'Unable to connect to the remote server') }
        $run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir (New-TestFolder) -StateDir (New-TestFolder) -NoConsole
        $null = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' `
            -Properties { @{ Name = (Get-FfInstanceTag -Key 'Name') } } -Test { param($p) $true } -Set { param($p) }
        $run.Resources['hostname'].ExitCode | Should -Be 30
        Complete-FfRun -Run $run | Should -Be 30
        $line = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $line.level | Should -Be 'ERROR'
        $line.step | Should -Be 'properties'
        $line.result | Should -Be 'failed'
        $line.message | Should -Match 'instance metadata \(IMDS\) unreachable'
        $line.message | Should -Match ([regex]::Escape('PUT http://169.254.169.254/latest/api/token'))
        $line.message | Should -Match 'after 3 attempts'
        $line.message | Should -Match 'Unable to connect to the remote server'
        $summary = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $summary.message | Should -Match "'hostname' failed \(30\)"
    }

    It 'IMDS answering 5xx: the line names IMDS and the HTTP status, exit 30' {
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod { throw (New-HttpError -Status 503) }
        $run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir (New-TestFolder) -StateDir (New-TestFolder) -NoConsole
        $null = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' `
            -Properties { @{ Name = (Get-FfInstanceTag -Key 'Name') } } -Test { param($p) $true } -Set { param($p) }
        Complete-FfRun -Run $run | Should -Be 30
        $line = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $line.message | Should -Match 'instance metadata \(IMDS\) unreachable'
        $line.message | Should -Match 'HTTP 503'
    }

    It 'a missing tag: the line names the tag, the run exits 31' {
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Method -eq 'Put' } { 'TOKEN' }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Method -eq 'Get' } { throw (New-HttpError -Status 404) }
        $run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir (New-TestFolder) -StateDir (New-TestFolder) -NoConsole
        $null = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' `
            -Properties { @{ Name = (Get-FfInstanceTag -Key 'Name') } } -Test { param($p) $true } -Set { param($p) }
        $null = Invoke-FfResource -Run $run -Id 'after-hostname' -Category 'Windows' -Type 'T' -DependsOn @('hostname') `
            -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        $run.Resources['hostname'].ExitCode | Should -Be 31
        $run.Resources['after-hostname'].ExitCode | Should -Be 11
        Complete-FfRun -Run $run | Should -Be 31
        $line = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $line.level | Should -Be 'ERROR'
        $line.message | Should -Match "required EC2 tag 'Name' is missing on this instance"
        $line.message | Should -Match 'instance metadata tags are not enabled'
    }
}

Describe 'Faults: a reboot, simulated with a new PowerShell process per run' {
    It 'run 1 asks for the reboot (3010, guard written); run 2 still not in desired state stops (21, no set); run 3 in desired state (0, guard cleared)' {
        $stateDir = New-TestFolder
        $logDir = New-TestFolder
        $setLog = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.set.log')
        $guardPath = Join-Path -Path $stateDir -ChildPath 'reboot-guard.json'
        $common = @{
            Scenario     = 'reboot'
            ManifestPath = $script:ManifestPath
            LogDir       = $logDir
            StateDir     = $stateDir
            SetLogPath   = $setLog
        }

        # Run 1: the test is false -> set -> reboot requested.
        $codeFile1 = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.code')
        $run1 = Invoke-TestRunProcess -Arguments ($common + @{ InDesiredState = 'false'; ExitCodePath = $codeFile1 })
        $run1.Stderr | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllText($codeFile1) | Should -Be '3010'
        if ($script:OnWindows) {
            $run1.ExitCode | Should -Be 3010
        }
        else {
            $run1.ExitCode | Should -Be (3010 -band 0xFF)
        }
        @([System.IO.File]::ReadAllLines($setLog)).Count | Should -Be 1
        Test-Path -LiteralPath $guardPath | Should -BeTrue
        $guard = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($guardPath))
        @($guard.entries).Count | Should -Be 1
        @($guard.entries)[0].configuration | Should -Be 'EmrWorker'
        @($guard.entries)[0].id | Should -Be 'hostname'
        $stdoutLines = @($run1.Stdout | Where-Object { $_ -match '^\{' } | ForEach-Object { ConvertFrom-Json -InputObject $_ })
        @($stdoutLines | Where-Object { $_.item -eq 'hostname' -and $_.result -eq 'reboot-pending' }).Count | Should -Be 1

        # Run 2, "after the reboot": a new process, the same state folder, the test still false.
        $codeFile2 = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.code')
        $run2 = Invoke-TestRunProcess -Arguments ($common + @{ InDesiredState = 'false'; ExitCodePath = $codeFile2 })
        $run2.Stderr | Should -BeNullOrEmpty
        $run2.ExitCode | Should -Be 21
        [System.IO.File]::ReadAllText($codeFile2) | Should -Be '21'
        @([System.IO.File]::ReadAllLines($setLog)).Count | Should -Be 1 -Because 'set must not run again after the reboot it asked for'
        Test-Path -LiteralPath $guardPath | Should -BeTrue
        $line2 = @(Get-TestLogEntry -LogDir $logDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $line2.step | Should -Be 'reboot-guard'
        $line2.result | Should -Be 'failed'
        $line2.message | Should -Match 'still not in desired state after the reboot requested for it at .+; not rebooting again'

        # Run 3: fixed (by the reboot or by hand): the test is true.
        $codeFile3 = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.code')
        $run3 = Invoke-TestRunProcess -Arguments ($common + @{ InDesiredState = 'true'; ExitCodePath = $codeFile3 })
        $run3.Stderr | Should -BeNullOrEmpty
        $run3.ExitCode | Should -Be 0
        [System.IO.File]::ReadAllText($codeFile3) | Should -Be '0'
        @([System.IO.File]::ReadAllLines($setLog)).Count | Should -Be 1
        Test-Path -LiteralPath $guardPath | Should -BeFalse
        $line3 = @(Get-TestLogEntry -LogDir $logDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $line3.result | Should -Be 'in-desired-state'
        $line3.message | Should -Be 'in desired state; reboot-guard record cleared'

        # The three runs appended to the same monthly file: three start and three summary lines.
        $runLines = @(Get-TestLogEntry -LogDir $logDir | Where-Object { $_.category -eq 'run' })
        @($runLines | Where-Object { $_.step -eq 'start' }).Count | Should -Be 3
        @($runLines | Where-Object { $_.step -eq 'summary' } | ForEach-Object { $_.result }) | Should -Be @('reboot-pending', 'failed', 'ok')
    }
}
