# Pester 5 tests of Invoke-FfDscResource: the body every generated MOF-based DSC resource's
# Get-, Test- and Set-TargetResource calls (modules/<Module>/DSCResources/<Class>/<Class>.psm1).
# The commands are script blocks here, as in the wrappers; the generated wrappers themselves are
# tested by the build's tests/<Module>.DscResources.Tests.ps1.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    Import-Module -Name $script:ManifestPath -Force
}

AfterAll {
    Remove-Variable -Name 'DSCMachineStatus' -Scope Global -ErrorAction SilentlyContinue
}

Describe 'Invoke-FfDscResource' {
    BeforeEach {
        $script:calls = New-Object -TypeName System.Collections.Generic.List[hashtable]
        $global:DSCMachineStatus = 0
    }

    Context 'Get' {
        It 'returns exactly the schema properties: the state first, then the bound parameters, else $null' {
            $bound = @{ Name = 'app'; Port = 80 }
            $result = Invoke-FfDscResource -Method 'Get' -Resource 'Web' -Bound $bound -Properties @('Name', 'Port', 'Path', 'Missing') -Command {
                param($p)
                $script:calls.Add($p)
                @{ Path = 'C:\web'; Port = 8080; NotInTheSchema = 'dropped' }
            }
            $result | Should -BeOfType ([hashtable])
            @($result.Keys | Sort-Object) | Should -Be @('Missing', 'Name', 'Path', 'Port')
            $result['Name'] | Should -Be 'app'
            $result['Port'] | Should -Be 8080
            $result['Path'] | Should -Be 'C:\web'
            $result['Missing'] | Should -BeNullOrEmpty
            $script:calls.Count | Should -Be 1
            $script:calls[0]['Name'] | Should -Be 'app'
            $script:calls[0]['Port'] | Should -Be 80
        }

        It 'never returns the value of a secret or credential property, from the state or the bound parameters' {
            $bound = @{ Name = 'app'; Password = 'p@ss' }
            $result = Invoke-FfDscResource -Method 'Get' -Resource 'Web' -Bound $bound -Properties @('Name', 'Password', 'Token') -Secrets @('Password', 'Token') -Command { param($p) @{ Token = 'from-state' } }
            @($result.Keys | Sort-Object) | Should -Be @('Name', 'Password', 'Token')
            $result['Password'] | Should -BeNullOrEmpty
            $result['Token'] | Should -BeNullOrEmpty
            $result['Name'] | Should -Be 'app'
        }

        It 'takes every property from the bound parameters when the state is not a dictionary' {
            $result = Invoke-FfDscResource -Method 'Get' -Resource 'Web' -Bound @{ Name = 'app' } -Properties @('Name') -Command { param($p) 'not a dictionary' }
            $result['Name'] | Should -Be 'app'
        }
    }

    Context 'Test' {
        It 'returns the one [bool] of the test' {
            Invoke-FfDscResource -Method 'Test' -Resource 'Web' -Bound @{ Name = 'app' } -Command { param($p) $p['Name'] -eq 'app' } | Should -BeTrue
            Invoke-FfDscResource -Method 'Test' -Resource 'Web' -Bound @{ Name = 'db' } -Command { param($p) $p['Name'] -eq 'app' } | Should -BeFalse
            (Invoke-FfDscResource -Method 'Test' -Resource 'Web' -Bound @{} -Command { param($p) $false }) | Should -BeOfType ([bool])
        }

        It 'throws, naming the resource and the count, when the test returns <Case>' -ForEach @(
            @{ Case = 'a string'; Body = { 'yes' }; Count = 1 }
            @{ Case = 'two values'; Body = { $true; $true }; Count = 2 }
            @{ Case = 'nothing'; Body = { }; Count = 0 }
        ) {
            { Invoke-FfDscResource -Method 'Test' -Resource 'Web' -Bound @{} -Command $Body } | Should -Throw -ExpectedMessage ([WildcardPattern]::Escape("The test of resource Web must return exactly one [bool]; it returned $Count values."))
        }
    }

    Context 'Set' {
        It 'runs the set once, outputs nothing and does not ask for a reboot' {
            $output = @(Invoke-FfDscResource -Method 'Set' -Resource 'Web' -Bound @{ Name = 'app' } -Command { param($p) $script:calls.Add($p); 'set output' })
            $output.Count | Should -Be 0
            $script:calls.Count | Should -Be 1
            $script:calls[0]['Name'] | Should -Be 'app'
            $global:DSCMachineStatus | Should -Be 0
        }

        It 'asks the LCM for a reboot with -Reboot' {
            Invoke-FfDscResource -Method 'Set' -Resource 'Web' -Bound @{} -Command { param($p) } -Reboot
            $global:DSCMachineStatus | Should -Be 1
        }

        It 'runs the set when the safe check returns exactly one $true' {
            Invoke-FfDscResource -Method 'Set' -Resource 'Web' -Bound @{ Name = 'app' } -Safe { param($p) $script:calls.Add(@{ Safe = $p['Name'] }); $true } -Command { param($p) $script:calls.Add($p) }
            $script:calls.Count | Should -Be 2
            $script:calls[0]['Safe'] | Should -Be 'app'
        }

        It 'warns and changes nothing when the safe check returns <Case>' -ForEach @(
            @{ Case = '$false'; Body = { $false } }
            @{ Case = 'a string'; Body = { 'yes' } }
            @{ Case = 'two values'; Body = { $true; $true } }
        ) {
            $output = @(Invoke-FfDscResource -Method 'Set' -Resource 'Web' -Bound @{} -Safe $Body -Command { param($p) $script:calls.Add($p) } -Reboot -WarningVariable warnings -WarningAction SilentlyContinue)
            $output.Count | Should -Be 0
            @($warnings).Count | Should -Be 1
            @($warnings)[0].Message | Should -Be 'Not changing resource Web: it is not safe to change now.'
            $script:calls.Count | Should -Be 0
            $global:DSCMachineStatus | Should -Be 0
        }
    }

    Context 'Parameters' {
        It 'passes hashtable properties (MSFT_KeyValuePair instances from DSC) to the command as hashtables' {
            $pairs = @([pscustomobject]@{ Key = 'a'; Value = '1' }, [pscustomobject]@{ Key = 'b'; Value = '2' })
            $result = Invoke-FfDscResource -Method 'Get' -Resource 'Web' -Bound @{ Settings = $pairs; Name = 'app' } -Properties @('Settings', 'Name') -Maps @('Settings') -Command { param($p) $script:calls.Add($p); @{} }
            $script:calls[0]['Settings'] | Should -BeOfType ([hashtable])
            $script:calls[0]['Settings']['a'] | Should -Be '1'
            $script:calls[0]['Settings']['b'] | Should -Be '2'
            $script:calls[0]['Name'] | Should -Be 'app'
            # What Get returns from the bound parameters is what DSC passed.
            @($result['Settings']).Count | Should -Be 2
        }

        It 'takes a real $PSBoundParameters, common parameters passed on to the command' {
            function Test-Wrapper {
                [CmdletBinding()]
                param([string]$Name, [string]$Other)
                Invoke-FfDscResource -Method 'Get' -Resource 'Web' -Bound $PSBoundParameters -Properties @('Name', 'Other') -Command { param($__ff) $script:calls.Add($__ff); @{} }
            }
            $result = Test-Wrapper -Name 'app' -Verbose 4>$null
            $result['Name'] | Should -Be 'app'
            $result['Other'] | Should -BeNullOrEmpty
            $script:calls[0].ContainsKey('Verbose') | Should -BeTrue
        }

        It 'does not change the bound parameters it is given' {
            $bound = @{ Settings = @([pscustomobject]@{ Key = 'a'; Value = '1' }) }
            Invoke-FfDscResource -Method 'Set' -Resource 'Web' -Bound $bound -Maps @('Settings') -Command { param($p) $p['Added'] = 1 }
            $bound.ContainsKey('Added') | Should -BeFalse
            $bound['Settings'] | Should -Not -BeOfType ([hashtable])
        }

        It 'writes its verbose message when the wrapper was called with -Verbose' {
            $messages = Invoke-FfDscResource -Method 'Test' -Resource 'Web' -Bound @{ Verbose = [switch]$true } -Command { param($p) $true } 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($messages).Count | Should -Be 1
            @($messages)[0].Message | Should -Be 'Determining whether resource Web is in the desired state.'
        }
    }
}
