# codedeploy/scripts/validate-service.ps1 of a build, run for real under pwsh (see Hooks.Tests.ps1
# for the environment and the rewriting of Windows paths). The instance is played by stand-in
# modules first on PSModulePath: Fleetform.Runtime's Get-FfInstanceTag answers $env:FF_TEST_TAG
# (throws when it is empty, like a missing tag), and each configuration module's Invoke-<Name>
# appends "<Name> <Mode>" to $env:FF_TEST_CALLS and returns $env:FF_TEST_CODE.
# FF_DELIVERY_TARGETS lists the delivered configurations as JSON
# [{ name, tag, values, runCommand, modules, dscResources }], values being null when a target is a
# stack value (!Ref / !Sub); this script runs those Run Command runs (runCommand true) only.

BeforeDiscovery {
    $targets = @($env:FF_DELIVERY_TARGETS | ConvertFrom-Json | Where-Object { $_.runCommand })
    # For each configuration and each value it targets: an instance carrying that value runs it.
    $cases = @(foreach ($t in $targets) {
            if ($null -eq $t.values) {
                # Targets CloudFormation resolves at deploy time: the script cannot know them, so it does not run it.
                @{ Name = $t.name; Tag = $t.tag; Value = 'anything-the-stack-resolves-to'; Literal = $false }
            } else {
                foreach ($v in $t.values) { @{ Name = $t.name; Tag = $t.tag; Value = $v; Literal = $true } }
            }
        })
    $literal = @($cases | Where-Object { $_.Literal })
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'HookTestHelpers.ps1')
    $script:targets = @($env:FF_DELIVERY_TARGETS | ConvertFrom-Json | Where-Object { $_.runCommand })

    function New-StubModule {
        param([Parameter(Mandatory = $true)]$Machine, [Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)][string]$Body)
        $folder = Join-Path -Path $Machine.Root -ChildPath $Name
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$Name.psm1") -Value $Body -Encoding utf8
    }

    function New-Instance {
        $machine = New-Machine
        New-StubModule -Machine $machine -Name 'Fleetform.Runtime' -Body 'function Get-FfInstanceTag { param([string]$Key) if (-not $env:FF_TEST_TAG) { throw "tag $Key is missing" }; $env:FF_TEST_TAG }'
        foreach ($t in $script:targets) {
            # (it also records the ErrorActionPreference module code sees: a Write-Error must not stop resource code here either)
            New-StubModule -Machine $machine -Name $t.name -Body ('function Invoke-{0} {{ param([string]$Mode, [string]$LogDir, [switch]$NoComplianceReport) Add-Content -LiteralPath $env:FF_TEST_CALLS -Value (''{0} '' + $Mode); Add-Content -LiteralPath ($env:FF_TEST_CALLS + ''.eap'') -Value $ErrorActionPreference; Add-Content -LiteralPath ($env:FF_TEST_CALLS + ''.logdir'') -Value $LogDir; Add-Content -LiteralPath ($env:FF_TEST_CALLS + ''.compliance'') -Value (-not $NoComplianceReport); [int]$env:FF_TEST_CODE }}' -f $t.name)
        }
        $machine
    }

    function Invoke-ValidateService {
        param([Parameter(Mandatory = $true)]$Machine, [AllowEmptyString()][string]$Tag, [int]$Code = 0)
        $hook = New-HookCopy -Name 'validate-service.ps1' -Machine $Machine
        $calls = Join-Path -Path $Machine.Scripts -ChildPath 'calls.txt'
        $result = Invoke-Hook -Path $hook -Machine $Machine -Environment @{ FF_TEST_TAG = $Tag; FF_TEST_CALLS = $calls; FF_TEST_CODE = [string]$Code }
        $ran = @()
        if (Test-Path -LiteralPath $calls) { $ran = @(Get-Content -LiteralPath $calls) }
        $preferences = @()
        if (Test-Path -LiteralPath ($calls + '.eap')) { $preferences = @(Get-Content -LiteralPath ($calls + '.eap')) }
        $logDirs = @()
        if (Test-Path -LiteralPath ($calls + '.logdir')) { $logDirs = @(Get-Content -LiteralPath ($calls + '.logdir')) }
        $compliance = @()
        if (Test-Path -LiteralPath ($calls + '.compliance')) { $compliance = @(Get-Content -LiteralPath ($calls + '.compliance')) }
        [pscustomobject]@{ ExitCode = $result.ExitCode; Output = $result.Output; Ran = $ran; Preferences = $preferences; LogDirs = $logDirs; Compliance = $compliance }
    }

    # The configurations an instance tagged <Value> runs: literal targets that contain it (case-sensitive).
    function Get-Expected {
        param([string]$Value)
        @($script:targets | Where-Object { $null -ne $_.values -and @($_.values) -ccontains $Value } | ForEach-Object { '{0} monitor' -f $_.name })
    }
}

Describe 'validate-service.ps1' {
    It 'on an instance tagged <Tag>=<Value>, runs <Name> if it targets that value literally (and only what does) in monitor mode and exits 0' -ForEach $cases {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value
        $result.ExitCode | Should -Be 0 -Because $result.Output
        if ($Literal) {
            $result.Ran | Should -Contain ('{0} monitor' -f $Name)
        } else {
            $result.Ran | Should -Not -Contain ('{0} monitor' -f $Name)
            ($result.Output -join "`n") | Should -Match ([regex]::Escape("Skipping $($Name): its target values are stack parameters"))
        }
        ($result.Ran -join '; ') | Should -Be ((Get-Expected -Value $Value) -join '; ')
    }

    It 'runs <Name> with the preferences resource code has under Run Command ($ErrorActionPreference Continue, not the hook''s Stop)' -ForEach @($literal | Select-Object -First 1) {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value
        $result.ExitCode | Should -Be 0
        $result.Preferences.Count | Should -BeGreaterThan 0
        $result.Preferences | Should -Not -Contain 'Stop'
        $result.Preferences | Should -Contain 'Continue'
    }

    It 'writes <Name>''s log lines beside the bundle, not where the CloudWatch agent ships from (its drift must not raise the DriftFound alarm)' -ForEach @($literal | Select-Object -First 1) {
        $machine = New-Instance
        $result = Invoke-ValidateService -Machine $machine -Tag $Value
        $result.ExitCode | Should -Be 0
        $result.LogDirs.Count | Should -BeGreaterThan 0
        foreach ($dir in $result.LogDirs) { $dir | Should -Be (Join-Path -Path $machine.Deploy -ChildPath 'validate-logs') }
    }

    It 'runs <Name> without reporting to SSM Compliance (-NoComplianceReport: the association''s results stay what instances show)' -ForEach @($literal | Select-Object -First 1) {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value
        $result.ExitCode | Should -Be 0
        $result.Compliance.Count | Should -BeGreaterThan 0
        $result.Compliance | Should -Not -Contain 'True'
    }

    It 'fails the deployment (exit 1) when <Name> reports a resource failure (exit code 20)' -ForEach $literal {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value -Code 20
        $result.ExitCode | Should -Be 1 -Because $result.Output
    }

    It 'does not fail on drift or a reboot request (exit code 3010)' -ForEach @($literal | Select-Object -First 1) {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value -Code 3010
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }

    It 'tag values are case-sensitive: <Value> in upper case runs nothing it targets literally' -ForEach @($literal | Select-Object -First 1) {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag $Value.ToUpperInvariant()
        $result.ExitCode | Should -Be 0 -Because $result.Output
        ($result.Ran -join '; ') | Should -Be ((Get-Expected -Value $Value.ToUpperInvariant()) -join '; ')
    }

    It 'on an instance whose tag cannot be read, runs nothing, says why for each literal target, and exits 0' {
        $result = Invoke-ValidateService -Machine (New-Instance) -Tag ''
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Ran | Should -BeNullOrEmpty
        foreach ($t in @($script:targets | Where-Object { $null -ne $_.values })) {
            ($result.Output -join "`n") | Should -Match ([regex]::Escape("Skipping $($t.name): tag $($t.tag) of this instance cannot be read from instance metadata (instance metadata tags must be enabled): tag $($t.tag) is missing"))
        }
    }
}
