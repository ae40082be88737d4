# Pester 5 tests for the resource steps of Fleetform.Runtime (stdlib/runtime/src/resource-steps.ps1):
# each step function alone, with the functions it calls mocked (Write-FfLog, the block runner, the
# predicate, the reboot guard), and Invoke-FfResourceStep with every step mocked. A step returns the
# resource's outcome when it decides the result and nothing when the next step is to run; the log
# lines it writes are checked through the Write-FfLog mock. Whole runs (log files, reboot guard on
# disk) are covered by Fleetform.Runtime.Tests.ps1.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    Import-Module -Name $script:ManifestPath -Force

    function New-TestRun {
        # A run object as Initialize-FfRun makes it, without folders: Write-FfLog is mocked.
        param([string]$Mode = 'apply', [hashtable]$Results = @{}, [hashtable]$ExitCodes = @{})
        $run = [pscustomobject]@{
            PSTypeName    = 'Fleetform.Run'
            Configuration = 'TestConfig'
            Mode          = $Mode
            StateDir      = (Join-Path -Path $TestDrive -ChildPath 'state')
            Results       = [ordered]@{}
            Resources     = [ordered]@{}
        }
        foreach ($id in @($Results.Keys | Sort-Object)) {
            $run.Results[$id] = $Results[$id]
            $code = 0
            if ($ExitCodes.ContainsKey($id)) { $code = $ExitCodes[$id] }
            $run.Resources[$id] = [pscustomobject]@{ Id = $id; Result = $Results[$id]; ExitCode = $code }
        }
        return $run
    }
}

AfterAll {
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'New-FfResourceContext' {
    It 'holds the run, the resource and no properties yet' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'Windows' -Type 'ComputerName' -Reboot 'after-set'
            $resource.PSObject.TypeNames[0] | Should -Be 'Fleetform.ResourceContext'
            $resource.Run | Should -Be $Run
            $resource.Id | Should -Be 'r1'
            $resource.Category | Should -Be 'Windows'
            $resource.Type | Should -Be 'ComputerName'
            $resource.Reboot | Should -Be 'after-set'
            $resource.Properties | Should -BeNullOrEmpty
        }
    }
}

Describe 'Write-FfStepLog' {
    It 'writes the line with the run, the category and the resource id as item' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'Windows' -Type 'T' -Reboot 'never'
            Write-FfStepLog -Resource $resource -Level 'INFO' -Step 'safe' -Message 'safe to change'
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter {
                $Run.Configuration -eq 'TestConfig' -and $Level -eq 'INFO' -and $Category -eq 'Windows' -and $Item -eq 'r1' -and $Step -eq 'safe' -and $Message -eq 'safe to change' -and [string]::IsNullOrEmpty($Result)
            }
        }
    }
}

Describe 'Invoke-FfDependenciesStep' {
    It 'goes on without a line when the resource has no dependencies' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $outcome = Invoke-FfDependenciesStep -Resource $resource -DependsOn @()
            $outcome | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'refuses an empty dependency id when binding (the generated call never passes one)' -ForEach @(
        @{ Ids = @('') }
        @{ Ids = @('a', '') }
    ) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun -Results @{ a = 'changed' }); Ids = $Ids } {
            param($Run, $Ids)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            { Invoke-FfDependenciesStep -Resource $resource -DependsOn $Ids } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Invoke-FfDependenciesStep'
        }
    }

    It 'goes on with one DEBUG line when every dependency is in desired state or changed' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun -Results @{ a = 'in-desired-state'; b = 'changed' }) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            Invoke-FfDependenciesStep -Resource $resource -DependsOn @('b', 'a') | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'DEBUG' -and $Step -eq 'dependencies' -and $Message -eq "dependencies ok: 'b' is changed, 'a' is in-desired-state" }
        }
    }

    It 'counts a drifted dependency as satisfied in monitor mode only' -ForEach @(
        @{ Mode = 'monitor'; Decides = $false }
        @{ Mode = 'apply'; Decides = $true }
    ) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun -Mode $Mode -Results @{ a = 'drifted' }); Decides = $Decides } {
            param($Run, $Decides)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $outcome = Invoke-FfDependenciesStep -Resource $resource -DependsOn @('a')
            if ($Decides) {
                $outcome.Result | Should -Be 'skipped'
                $outcome.ExitCode | Should -Be 0
                $outcome.Message | Should -Be "skipped: dependency 'a' is drifted; nothing was tested or changed"
            }
            else {
                $outcome | Should -BeNullOrEmpty
            }
        }
    }

    It 'skips the resource with exit code 11 when a dependency failed, 0 when it was only blocked' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun -Results @{ a = 'failed'; b = 'blocked'; c = 'changed' } -ExitCodes @{ a = 20 }) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $failed = Invoke-FfDependenciesStep -Resource $resource -DependsOn @('c', 'a', 'b')
            $failed.PSObject.TypeNames | Should -Contain 'Fleetform.Outcome'
            $failed.Result | Should -Be 'skipped'
            $failed.ExitCode | Should -Be 11
            $failed.Step | Should -Be 'dependencies'
            $failed.Level | Should -Be 'WARN'
            $failed.Message | Should -Be "skipped: dependency 'a' is failed, 'b' is blocked; nothing was tested or changed"
            $blocked = Invoke-FfDependenciesStep -Resource $resource -DependsOn @('b')
            $blocked.ExitCode | Should -Be 0
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'fails with exit code 50 for a dependency without a result and for an id that already ran' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun -Results @{ a = 'changed'; r1 = 'changed' }) } {
            param($Run)
            Mock Write-FfLog { }
            $other = New-FfResourceContext -Run $Run -Id 'r2' -Category 'M' -Type 'T' -Reboot 'never'
            $missing = Invoke-FfDependenciesStep -Resource $other -DependsOn @('a', 'zz')
            $missing.Result | Should -Be 'failed'
            $missing.ExitCode | Should -Be 50
            $missing.Level | Should -Be 'ERROR'
            $missing.Message | Should -BeLike "dependency 'zz' has no result in this run*"
            $again = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $twice = Invoke-FfDependenciesStep -Resource $again -DependsOn @()
            $twice.ExitCode | Should -Be 50
            $twice.Message | Should -Be "resource id 'r1' ran twice in this run (first result: changed); internal error in the generated configuration"
        }
    }
}

Describe 'Invoke-FfPropertiesStep' {
    It 'keeps the one dictionary in the context and logs the sorted names, never the values' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(@{ Zone = 'z'; Password = 'hunter2!' }); Errors = @(); NativeText = @() } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'Account' -Reboot 'never'
            Invoke-FfPropertiesStep -Resource $resource -Properties { 'mocked' } | Should -BeNullOrEmpty
            $resource.Properties['Zone'] | Should -Be 'z'
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'DEBUG' -and $Step -eq 'properties' -and $Message -eq "Account: properties 'Password', 'Zone'" }
        }
    }

    It 'says (none) for an empty dictionary' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(@{}); Errors = @(); NativeText = @() } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            Invoke-FfPropertiesStep -Resource $resource -Properties { } | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Message -eq 'T: properties (none)' }
        }
    }

    It 'fails with the code the error carries (else 22) when the block throws or writes an error, and 22 for other output' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            Mock Invoke-FfBlock { throw (New-FfException -Message 'no parameter' -ExitCode 32) }
            $thrown = Invoke-FfPropertiesStep -Resource $resource -Properties { }
            $thrown.Result | Should -Be 'failed'
            $thrown.ExitCode | Should -Be 32
            $thrown.Step | Should -Be 'properties'
            # An error thrown here carries its position in this file.
            $thrown.Message | Should -BeLike 'properties threw: no parameter (at Fleetform.Runtime.Steps.Tests.ps1:*)'
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(); Errors = @((New-Object -TypeName System.Exception -ArgumentList 'bad')); NativeText = @() } }
            $written = Invoke-FfPropertiesStep -Resource $resource -Properties { }
            $written.ExitCode | Should -Be 22
            $written.Message | Should -Be 'properties wrote an error: bad'
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(1, 2); Errors = @(); NativeText = @() } }
            $two = Invoke-FfPropertiesStep -Resource $resource -Properties { }
            $two.ExitCode | Should -Be 22
            $two.Message | Should -BeLike 'properties returned 2 values (*; expected exactly one hashtable (IDictionary)'
            $resource.Properties | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }
}

Describe 'Invoke-FfTestStep' {
    BeforeAll {
        $script:Predicate = @{
            Pass  = [pscustomobject]@{ Succeeded = $true; Value = $true; ExitCode = 0; Message = '' }
            Drift = [pscustomobject]@{ Succeeded = $true; Value = $false; ExitCode = 0; Message = '' }
            Fail  = [pscustomobject]@{ Succeeded = $false; Value = $false; ExitCode = 33; Message = 'test threw: no secret' }
        }
    }

    It 'decides in-desired-state with the properties, and clears the reboot guard only of a resource that reboots' -ForEach @(
        @{ Reboot = 'never'; Cleared = $true; Message = 'in desired state'; Clears = 0 }
        @{ Reboot = 'after-set'; Cleared = $false; Message = 'in desired state'; Clears = 1 }
        @{ Reboot = 'after-set'; Cleared = $true; Message = 'in desired state; reboot-guard record cleared'; Clears = 1 }
    ) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun); Answer = $script:Predicate.Pass; Reboot = $Reboot; Cleared = $Cleared; Message = $Message; Clears = $Clears } {
            param($Run, $Answer, $Reboot, $Cleared, $Message, $Clears)
            Mock Write-FfLog { }
            Mock Invoke-FfPredicate { $Answer }
            Mock Clear-FfResourceRebootGuard { $Cleared }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot $Reboot
            $resource.Properties = @{ Name = 'x' }
            $outcome = Invoke-FfTestStep -Resource $resource -Test { $true }
            $outcome.Result | Should -Be 'in-desired-state'
            $outcome.ExitCode | Should -Be 0
            $outcome.Step | Should -Be 'test'
            $outcome.Level | Should -Be 'INFO'
            $outcome.Message | Should -Be $Message
            $outcome.Properties['Name'] | Should -Be 'x'
            Should -Invoke Invoke-FfPredicate -Exactly -Times 1 -ParameterFilter { $Name -eq 'test' -and $DefaultExitCode -eq 22 -and $Properties['Name'] -eq 'x' }
            Should -Invoke Clear-FfResourceRebootGuard -Exactly -Times $Clears
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'decides drifted in monitor mode and goes on with an INFO line in apply mode' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Monitor = (New-TestRun -Mode 'monitor'); Apply = (New-TestRun); Answer = $script:Predicate.Drift } {
            param($Monitor, $Apply, $Answer)
            Mock Write-FfLog { }
            Mock Invoke-FfPredicate { $Answer }
            $watched = New-FfResourceContext -Run $Monitor -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $watched.Properties = @{}
            $drifted = Invoke-FfTestStep -Resource $watched -Test { $false }
            $drifted.Result | Should -Be 'drifted'
            $drifted.Level | Should -Be 'WARN'
            $drifted.Message | Should -Be 'not in desired state (monitor mode: nothing changed)'
            Should -Invoke Write-FfLog -Exactly -Times 0
            $applied = New-FfResourceContext -Run $Apply -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $applied.Properties = @{}
            Invoke-FfTestStep -Resource $applied -Test { $false } | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'INFO' -and $Step -eq 'test' -and $Message -eq 'not in desired state' }
        }
    }

    It 'fails with the exit code and message of a predicate that did not answer' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun); Answer = $script:Predicate.Fail } {
            param($Run, $Answer)
            Mock Write-FfLog { }
            Mock Invoke-FfPredicate { $Answer }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $resource.Properties = @{}
            $outcome = Invoke-FfTestStep -Resource $resource -Test { }
            $outcome.Result | Should -Be 'failed'
            $outcome.ExitCode | Should -Be 33
            $outcome.Level | Should -Be 'ERROR'
            $outcome.Message | Should -Be 'test threw: no secret'
        }
    }
}

Describe 'Clear-FfResourceRebootGuard' {
    It 'returns whether a record was removed' -ForEach @(@{ Found = $true }, @{ Found = $false }) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun); Found = $Found } {
            param($Run, $Found)
            Mock Write-FfLog { }
            Mock Remove-FfRebootGuardEntry { $Found }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            Clear-FfResourceRebootGuard -Resource $resource | Should -Be $Found
            Should -Invoke Remove-FfRebootGuardEntry -Exactly -Times 1 -ParameterFilter { $Id -eq 'r1' }
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'writes a WARN line and returns $false when the guard cannot be cleared' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Remove-FfRebootGuardEntry { throw 'disk full' }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            Clear-FfResourceRebootGuard -Resource $resource | Should -BeFalse
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'WARN' -and $Step -eq 'reboot-guard' -and $Message -like 'could not clear the reboot-guard record in *reboot-guard.json: disk full (at *' }
        }
    }
}

Describe 'Invoke-FfSafeStep' {
    It 'goes on with an INFO line when it is safe, decides blocked (exit code 0) when it is not' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{ Name = 'x' }
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $true; Value = $true; ExitCode = 0; Message = '' } }
            Invoke-FfSafeStep -Resource $resource -Safe { $true } | Should -BeNullOrEmpty
            Should -Invoke Invoke-FfPredicate -Exactly -Times 1 -ParameterFilter { $Name -eq 'safe' -and $DefaultExitCode -eq 22 -and $Properties['Name'] -eq 'x' }
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'INFO' -and $Step -eq 'safe' -and $Message -eq 'safe to change' }
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $true; Value = $false; ExitCode = 0; Message = '' } }
            $blocked = Invoke-FfSafeStep -Resource $resource -Safe { $false }
            $blocked.Result | Should -Be 'blocked'
            $blocked.ExitCode | Should -Be 0
            $blocked.Level | Should -Be 'WARN'
            $blocked.Message | Should -Be 'blocked: not safe to change now; nothing changed'
            $blocked.Properties | Should -BeNullOrEmpty
        }
    }

    It 'fails with the exit code and message of a safe block that did not answer' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $false; Value = $false; ExitCode = 22; Message = "safe returned nothing; expected exactly one [bool]" } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{}
            $outcome = Invoke-FfSafeStep -Resource $resource -Safe { }
            $outcome.Result | Should -Be 'failed'
            $outcome.ExitCode | Should -Be 22
            $outcome.Step | Should -Be 'safe'
            $outcome.Message | Should -Be 'safe returned nothing; expected exactly one [bool]'
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }
}

Describe 'Invoke-FfRebootGuardStep' {
    It 'goes on with a DEBUG line when no reboot is recorded for the resource' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Get-FfRebootGuardEntry { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            Invoke-FfRebootGuardStep -Resource $resource | Should -BeNullOrEmpty
            Should -Invoke Get-FfRebootGuardEntry -Exactly -Times 1 -ParameterFilter { $Id -eq 'r1' }
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'DEBUG' -and $Step -eq 'reboot-guard' -and $Message -eq 'no reboot recorded for this resource' }
        }
    }

    It 'fails with exit code 21 when a reboot was already requested for it' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Get-FfRebootGuardEntry { [pscustomobject]@{ configuration = 'TestConfig'; id = 'r1'; requestedUtc = '2026-01-02T03:04:05.0000000Z' } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $outcome = Invoke-FfRebootGuardStep -Resource $resource
            $outcome.Result | Should -Be 'failed'
            $outcome.ExitCode | Should -Be 21
            $outcome.Step | Should -Be 'reboot-guard'
            $outcome.Message | Should -BeLike 'still not in desired state after the reboot requested for it at 2026-01-02T03:04:05.0000000Z; not rebooting again (the record in *reboot-guard.json is cleared once the resource is in desired state)'
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'fails with exit code 50 when the guard cannot be read' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Get-FfRebootGuardEntry { throw 'corrupt' }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $outcome = Invoke-FfRebootGuardStep -Resource $resource
            $outcome.ExitCode | Should -Be 50
            $outcome.Message | Should -BeLike 'cannot read the reboot guard *reboot-guard.json: corrupt (at *); not changing a resource that reboots (repair or delete the file)'
        }
    }
}

Describe 'Invoke-FfSetStep' {
    It 'runs the set block with the properties and goes on with an INFO line' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Request-FfResourceReboot { throw 'not called' }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(); Errors = @(); NativeText = @() } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{ Name = 'x' }
            Invoke-FfSetStep -Resource $resource -Set { } | Should -BeNullOrEmpty
            Should -Invoke Invoke-FfBlock -Exactly -Times 1 -ParameterFilter { $WithArgument -and $Argument['Name'] -eq 'x' }
            Should -Invoke Write-FfLog -Exactly -Times 1
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'INFO' -and $Step -eq 'set' -and $Message -eq 'set completed' }
            Should -Invoke Request-FfResourceReboot -Exactly -Times 0
        }
    }

    It 'logs what the block printed (output, then native stderr), secrets redacted before it is cut at 2000 characters' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Register-FfSecretValue -Value 'steps-secret-value'
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @('one', 2); Errors = @(); NativeText = @('warning: steps-secret-value') } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{}
            Invoke-FfSetStep -Resource $resource -Set { } | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Level -eq 'DEBUG' -and $Step -eq 'set' -and $Message -eq "set output (discarded): one`n2`nwarning: ***" }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(('y' * 1995) + 'steps-secret-value'); Errors = @(); NativeText = @() } }
            Invoke-FfSetStep -Resource $resource -Set { } | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Message -eq ('set output (discarded): ' + ('y' * 1995) + '***') }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @('z' * 2500); Errors = @(); NativeText = @() } }
            Invoke-FfSetStep -Resource $resource -Set { } | Should -BeNullOrEmpty
            Should -Invoke Write-FfLog -Exactly -Times 1 -ParameterFilter { $Message -eq ('set output (discarded): ' + ('z' * 2000) + '...') }
        }
    }

    It 'logs what a failing set printed, redacted, before its ERROR line: one that wrote an error and one that threw' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            $script:logged = [System.Collections.Generic.List[string]]::new()
            Mock Write-FfLog { $script:logged.Add(('{0} {1}' -f $Level, $Message)) }
            Register-FfSecretValue -Value 'steps-secret-value'
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{}
            $written = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('Login failed'), 'Login', 'NotSpecified', $null)
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @('connection: pw=steps-secret-value'); Errors = @($written); NativeText = @('installer: step 3 of 5') } }
            $outcome = Invoke-FfSetStep -Resource $resource -Set { }
            $outcome.Result | Should -Be 'failed'
            $outcome.Message | Should -BeLike 'set wrote an error: Login failed*'
            @($script:logged) | Should -Be @("DEBUG set output (discarded): connection: pw=***`ninstaller: step 3 of 5")
            $script:logged.Clear()
            Mock Invoke-FfBlock {
                $thrown = [System.Exception]::new('exit code 1603')
                $thrown.Data['Fleetform.Output'] = @('msiexec: rolling back')
                $thrown.Data['Fleetform.NativeText'] = @('error 1603')
                throw $thrown
            }
            $outcome = Invoke-FfSetStep -Resource $resource -Set { }
            $outcome.Result | Should -Be 'failed'
            $outcome.Message | Should -BeLike 'set threw: exit code 1603*'
            @($script:logged) | Should -Be @("DEBUG set output (discarded): msiexec: rolling back`nerror 1603")
        }
    }

    It 'asks for the reboot instead of going on when the resource reboots after set' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(); Errors = @(); NativeText = @() } }
            Mock Request-FfResourceReboot { New-FfOutcome -Result 'reboot-pending' -ExitCode 3010 -Step 'set' -Level 'INFO' -Message 'mocked' }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $resource.Properties = @{}
            $outcome = Invoke-FfSetStep -Resource $resource -Set { }
            $outcome.Result | Should -Be 'reboot-pending'
            $outcome.Message | Should -Be 'mocked'
            Should -Invoke Request-FfResourceReboot -Exactly -Times 1 -ParameterFilter { $Resource.Id -eq 'r1' }
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }

    It 'fails with the code the error carries (else 20) when the block throws or writes an error, and asks for no reboot' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Write-FfLog { }
            Mock Request-FfResourceReboot { throw 'not called' }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $resource.Properties = @{}
            Mock Invoke-FfBlock { throw 'access denied' }
            $thrown = Invoke-FfSetStep -Resource $resource -Set { }
            $thrown.Result | Should -Be 'failed'
            $thrown.ExitCode | Should -Be 20
            $thrown.Step | Should -Be 'set'
            $thrown.Message | Should -BeLike 'set threw: access denied (at *)'
            Mock Invoke-FfBlock { [pscustomobject]@{ Output = @(); Errors = @((New-FfException -Message 'no module' -ExitCode 34)); NativeText = @() } }
            $written = Invoke-FfSetStep -Resource $resource -Set { }
            $written.ExitCode | Should -Be 34
            $written.Message | Should -Be 'set wrote an error: no module'
            Should -Invoke Request-FfResourceReboot -Exactly -Times 0
            Should -Invoke Write-FfLog -Exactly -Times 0
        }
    }
}

Describe 'Request-FfResourceReboot' {
    It 'records the reboot in the guard and decides reboot-pending (exit code 3010)' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Add-FfRebootGuardEntry { }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $outcome = Request-FfResourceReboot -Resource $resource
            $outcome.Result | Should -Be 'reboot-pending'
            $outcome.ExitCode | Should -Be 3010
            $outcome.Step | Should -Be 'set'
            $outcome.Level | Should -Be 'INFO'
            $outcome.Message | Should -Be ('set completed; reboot requested (recorded in {0}); verify runs after the reboot' -f [System.IO.Path]::Combine($Run.StateDir, 'reboot-guard.json'))
            Should -Invoke Add-FfRebootGuardEntry -Exactly -Times 1 -ParameterFilter { $Id -eq 'r1' -and $Run.Configuration -eq 'TestConfig' }
        }
    }

    It 'fails with exit code 50 and requests no reboot when the guard cannot be written' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Add-FfRebootGuardEntry { throw 'read-only' }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'after-set'
            $outcome = Request-FfResourceReboot -Resource $resource
            $outcome.Result | Should -Be 'failed'
            $outcome.ExitCode | Should -Be 50
            $outcome.Message | Should -BeLike 'set completed but the reboot guard *reboot-guard.json could not be written: read-only (at *); not requesting a reboot'
        }
    }
}

Describe 'Invoke-FfVerifyStep' {
    It 'decides changed (with the properties) when the test passes after set' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $true; Value = $true; ExitCode = 0; Message = '' } }
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{ Name = 'x' }
            $outcome = Invoke-FfVerifyStep -Resource $resource -Test { $true }
            $outcome.Result | Should -Be 'changed'
            $outcome.ExitCode | Should -Be 0
            $outcome.Step | Should -Be 'verify'
            $outcome.Message | Should -Be 'changed: in desired state after set'
            $outcome.Properties['Name'] | Should -Be 'x'
            Should -Invoke Invoke-FfPredicate -Exactly -Times 1 -ParameterFilter { $Name -eq 'verify' -and $DefaultExitCode -eq 20 }
        }
    }

    It 'fails with exit code 20 when the test still fails, and with the predicate''s code when it did not answer' {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun) } {
            param($Run)
            $resource = New-FfResourceContext -Run $Run -Id 'r1' -Category 'M' -Type 'T' -Reboot 'never'
            $resource.Properties = @{}
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $true; Value = $false; ExitCode = 0; Message = '' } }
            $still = Invoke-FfVerifyStep -Resource $resource -Test { $false }
            $still.Result | Should -Be 'failed'
            $still.ExitCode | Should -Be 20
            $still.Message | Should -Be 'verify failed: still not in desired state after set'
            $still.Properties | Should -BeNullOrEmpty
            Mock Invoke-FfPredicate { [pscustomobject]@{ Succeeded = $false; Value = $false; ExitCode = 31; Message = 'verify threw: no tag' } }
            $thrown = Invoke-FfVerifyStep -Resource $resource -Test { }
            $thrown.ExitCode | Should -Be 31
            $thrown.Message | Should -Be 'verify threw: no tag'
        }
    }
}

Describe 'Invoke-FfResourceStep' {
    BeforeEach {
        InModuleScope 'Fleetform.Runtime' {
            $script:TestStepCalls = New-Object -TypeName System.Collections.Generic.List[string]
            Mock Invoke-FfDependenciesStep { $script:TestStepCalls.Add('dependencies') }
            Mock Invoke-FfPropertiesStep { $script:TestStepCalls.Add('properties'); $Resource.Properties = @{ Name = 'x' } }
            Mock Invoke-FfTestStep { $script:TestStepCalls.Add('test:' + $Resource.Properties['Name']) }
            Mock Invoke-FfSafeStep { $script:TestStepCalls.Add('safe') }
            Mock Invoke-FfRebootGuardStep { $script:TestStepCalls.Add('reboot-guard') }
            Mock Invoke-FfSetStep { $script:TestStepCalls.Add('set') }
            Mock Invoke-FfVerifyStep { $script:TestStepCalls.Add('verify'); New-FfOutcome -Result 'changed' -ExitCode 0 -Step 'verify' -Level 'INFO' -Message 'verified' }
        }
    }

    AfterEach {
        InModuleScope 'Fleetform.Runtime' { Remove-Variable -Name 'TestStepCalls' -Scope Script -ErrorAction SilentlyContinue }
    }

    It 'runs the steps in order, safe only with a safe block and the reboot guard only for a resource that reboots' -ForEach @(
        @{ Reboot = 'never'; WithSafe = $false; Steps = 'dependencies properties test:x set verify' }
        @{ Reboot = 'never'; WithSafe = $true; Steps = 'dependencies properties test:x safe set verify' }
        @{ Reboot = 'after-set'; WithSafe = $true; Steps = 'dependencies properties test:x safe reboot-guard set verify' }
    ) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun); Reboot = $Reboot; WithSafe = $WithSafe; Steps = $Steps } {
            param($Run, $Reboot, $WithSafe, $Steps)
            $safe = $null
            if ($WithSafe) { $safe = { $true } }
            $outcome = Invoke-FfResourceStep -Run $Run -Id 'r1' -Category 'M' -Type 'T' -DependsOn @('a') -Reboot $Reboot -Properties { @{} } -Test { $true } -Safe $safe -Set { }
            $outcome.Message | Should -Be 'verified'
            @($outcome).Count | Should -Be 1
            ($script:TestStepCalls -join ' ') | Should -Be $Steps
            Should -Invoke Invoke-FfDependenciesStep -Exactly -Times 1 -ParameterFilter { $Resource.Id -eq 'r1' -and $Resource.Category -eq 'M' -and $Resource.Type -eq 'T' -and $Resource.Reboot -eq $Reboot -and (@($DependsOn) -join ',') -eq 'a' }
        }
    }

    It 'returns the outcome of the first step that decides and runs no later step (<Decider>)' -ForEach @(
        @{ Decider = 'Invoke-FfDependenciesStep'; Before = '' }
        @{ Decider = 'Invoke-FfPropertiesStep'; Before = 'dependencies' }
        @{ Decider = 'Invoke-FfTestStep'; Before = 'dependencies properties' }
        @{ Decider = 'Invoke-FfSafeStep'; Before = 'dependencies properties test:x' }
        @{ Decider = 'Invoke-FfRebootGuardStep'; Before = 'dependencies properties test:x safe' }
        @{ Decider = 'Invoke-FfSetStep'; Before = 'dependencies properties test:x safe reboot-guard' }
    ) {
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = (New-TestRun); Decider = $Decider; Before = $Before } {
            param($Run, $Decider, $Before)
            Mock $Decider { New-FfOutcome -Result 'failed' -ExitCode 22 -Step 'x' -Level 'ERROR' -Message 'decided' }
            $outcome = Invoke-FfResourceStep -Run $Run -Id 'r1' -Category 'M' -Type 'T' -DependsOn @() -Reboot 'after-set' -Properties { @{} } -Test { $true } -Safe { $true } -Set { }
            $outcome.Message | Should -Be 'decided'
            @($outcome).Count | Should -Be 1
            # The steps before the deciding one ran (their mocks record themselves), none after it.
            ($script:TestStepCalls -join ' ') | Should -Be $Before
            Should -Invoke Invoke-FfVerifyStep -Exactly -Times 0
        }
    }
}
