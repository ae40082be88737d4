# codedeploy/scripts/after-install.ps1: checks the installed files against manifest.json, imports the modules.
# The CodeDeploy hook scripts of a build (codedeploy/scripts/*.ps1), run for real under pwsh, each
# in its own `pwsh -File` process as the agent runs them. Driven by test/delivery/codedeploy.test.ts,
# which passes the build through the environment:
#   FF_DELIVERY_DIST         the build's output folder on disk (the CodeDeploy revision)
#   FF_DELIVERY_COPIES       appspec.yml's files section as JSON: [{ source, destination }]
#   FF_DELIVERY_INSTALL_ROOT the install root the scripts were generated with (C:\Program Files\...)
#   FF_DELIVERY_DEPLOY_DIR   the deploy folder they were generated with (C:\ProgramData\Fleetform\Deploy)
#   FF_DELIVERY_PWSH         the pwsh command line as a JSON array (e.g. ["dotnet", ".../pwsh.dll"])
#
# The scripts hold Windows paths as quoted literals: `$installRoot = '<root>'`, `$deployDir =
# '<deploy>'`, and the same literals as prefixes of the installed folders in after-install's
# $folders table. Each test runs a copy of the generated script in which every quoted literal that
# starts with '<root> or '<deploy> has that prefix replaced by a TestDrive folder (plain text
# substitution; pwsh on Linux accepts the backslashes left after the prefix). Nothing else changes.
# PROCESSOR_ARCHITEW6432 is cleared for the child so the Sysnative relaunch is not taken, except in
# the test of that relaunch.


BeforeDiscovery {
    $literalTargets = @($env:FF_DELIVERY_TARGETS | ConvertFrom-Json | Where-Object { $null -ne $_.values } | ForEach-Object { @{ name = $_.name; tag = $_.tag; values = @($_.values) } })
    # Configurations with a DSC document naming DSC resources of fleetform's modules.
    $dscTargets = @($env:FF_DELIVERY_TARGETS | ConvertFrom-Json | Where-Object { $null -ne $_.values -and @($_.dscResources).Count -gt 0 } | ForEach-Object { @{ name = $_.name; tag = $_.tag; values = @($_.values); resources = @($_.dscResources) } })
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'HookTestHelpers.ps1')
    # FF_DELIVERY_TARGETS: [{ name, tag, values, modules }] (see ValidateService.Tests.ps1).
    $script:targets = @($env:FF_DELIVERY_TARGETS | ConvertFrom-Json)
    $script:imds = Start-ImdsStandIn
    # The instance's tags come from the stand-in; by default it carries every literal target's first value.
    function Set-InstanceTag {
        param([hashtable]$Tags)
        $script:imds.Tags.Clear()
        foreach ($key in $Tags.Keys) { $script:imds.Tags[$key] = $Tags[$key] }
    }
    function Invoke-AfterInstall {
        param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)]$Machine)
        Invoke-Hook -Path $Path -Machine $Machine -Environment @{ FLEETFORM_IMDS_ENDPOINT = $script:imds.Endpoint }
    }
}

AfterAll {
    Stop-ImdsStandIn -StandIn $script:imds
}

Describe 'after-install.ps1' {
    BeforeEach {
        $machine = New-Machine
        Install-Bundle -Machine $machine
        $hook = New-HookCopy -Name 'after-install.ps1' -Machine $machine
    }

    It 'exits 0 on a correct install tree, having checked every file and imported the modules of every configuration targeting the instance' {
        $tags = @{}
        foreach ($t in @($script:targets | Where-Object { $null -ne $_.values })) { if (-not $tags.ContainsKey($t.tag)) { $tags[$t.tag] = @($t.values)[0] } }
        Set-InstanceTag -Tags $tags
        $manifest = Get-Content -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json') -Raw | ConvertFrom-Json
        $installed = @($manifest.files | Where-Object { $path = $_.path; @($script:copies | Where-Object { $path.StartsWith($_.source + '/') }).Count -gt 0 })
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.Output | Should -Match ('{0} files checked, 0 bad' -f $installed.Count)
        $expected = @{ 'Fleetform.Runtime' = $true }
        foreach ($t in @($script:targets | Where-Object { $null -ne $_.values -and @($_.values) -ccontains $tags[$_.tag] })) { foreach ($m in $t.modules) { $expected[$m] = $true } }
        foreach ($copy in @($script:copies | Where-Object { $_.source -like 'modules/*' -or $_.source -like 'configurations/*' })) {
            $name = Split-Path -Path $copy.source -Leaf
            if ($expected.ContainsKey($name)) {
                $result.Output | Should -Match ('Imported {0} ' -f [regex]::Escape($name))
            } else {
                $result.Output | Should -Not -Match ('Imported {0} ' -f [regex]::Escape($name))
            }
        }
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }

    It 'imports only the modules of the configuration targeting the instance: <name>' -ForEach $literalTargets {
        Set-InstanceTag -Tags @{ $tag = @($values)[0] }
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $imported = @([regex]::Matches($result.Output, '(?m)^Imported (\S+) ') | ForEach-Object { $_.Groups[1].Value })
        $expected = @{}
        foreach ($t in @($script:targets | Where-Object { $null -ne $_.values -and $_.tag -eq $tag -and @($_.values) -ccontains @($values)[0] })) { foreach ($m in $t.modules) { $expected[$m] = $true } }
        @($imported | Sort-Object) | Should -Be @(@($expected.Keys) | Sort-Object)
        $result.Output | Should -Match ("(?m)^Not importing \S+: this instance's tag " + [regex]::Escape($tag)) -Because 'another configuration does not target this value'
    }

    It 'imports only the runtime, and says why, when the instance tags cannot be read' {
        Set-InstanceTag -Tags @{}
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
        @([regex]::Matches($result.Output, '(?m)^Imported (\S+) ') | ForEach-Object { $_.Groups[1].Value }) | Should -Be @('Fleetform.Runtime')
        $result.Output | Should -Match 'cannot be read from instance metadata \(instance metadata tags must be enabled\)'
    }

    It 'exits 1 and names the module when one cannot be imported (<name>, a module its configuration loads)' -ForEach @($literalTargets | Select-Object -First 1) {
        Set-InstanceTag -Tags @{ $tag = @($values)[0] }
        $target = @($script:targets | Where-Object { $_.name -eq $name })[0]
        $module = @($target.modules | Where-Object { $_ -ne 'Fleetform.Runtime' })[0]
        $version = (Get-ChildItem -LiteralPath (Join-Path -Path $machine.Root -ChildPath $module) -Directory | Select-Object -First 1).Name
        # A broken copy of the same name and version ahead of the install root on PSModulePath: its import fails, the files checked are intact.
        $shadow = Join-Path -Path $machine.Scripts -ChildPath 'shadow'
        $folder = Join-Path -Path $shadow -ChildPath (Join-Path -Path $module -ChildPath $version)
        $null = New-Item -ItemType Directory -Path $folder -Force
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$module.psd1") -Value ("@{{ ModuleVersion = '{0}'; RootModule = 'Broken.psm1' }}" -f $version) -Encoding utf8
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'Broken.psm1') -Value "throw 'broken on purpose'" -Encoding utf8
        $result = Invoke-Hook -Path $hook -Machine $machine -Environment @{ FLEETFORM_IMDS_ENDPOINT = $script:imds.Endpoint; PSModulePath = $shadow + [IO.Path]::PathSeparator + $machine.Root + [IO.Path]::PathSeparator + $env:PSModulePath }
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match ('(?m)^Importing {0} {1} failed: ' -f [regex]::Escape($module), [regex]::Escape($version))
    }

    It 'loads the DSC resources that <name>''s DSC document names, from the installed module''s DSCResources folder, and only on instances it targets' -ForEach $dscTargets {
        Set-InstanceTag -Tags @{ $tag = @($values)[0] }
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $loaded = @([regex]::Matches($result.Output, '(?m)^Loaded DSC resource (\S+) of (\S+) (\S+)$') | ForEach-Object { '{0}/{1}/{2}' -f $_.Groups[2].Value, $_.Groups[3].Value, $_.Groups[1].Value })
        # (every configuration targeting this value: here, the DSC-delivered ones' resources)
        $expected = @($script:targets | Where-Object { $null -ne $_.values -and $_.tag -eq $tag -and @($_.values) -ccontains @($values)[0] } | ForEach-Object { @($_.dscResources) } | Sort-Object -Unique)
        @($loaded | Sort-Object) | Should -Be $expected
        foreach ($r in $resources) { $loaded | Should -Contain $r }
        Set-InstanceTag -Tags @{ $tag = 'a-value-nothing-targets' }
        $other = Invoke-AfterInstall -Path $hook -Machine $machine
        $other.ExitCode | Should -Be 0 -Because $other.Output
        $other.Output | Should -Not -Match '(?m)^Loaded DSC resource '
        $other.Output | Should -Match ("(?m)^Not importing {0}: this instance's tag " -f [regex]::Escape($name))
    }

    It 'exits 1 and names the DSC resource of <name> whose module does not load (a bundle that shipped it broken: file and manifest agree)' -ForEach @($dscTargets | Select-Object -First 1) {
        Set-InstanceTag -Tags @{ $tag = @($values)[0] }
        $module, $version, $class = @($resources)[0] -split '/'
        $file = Join-Path -Path $machine.Root -ChildPath ('{0}/{1}/DSCResources/{2}/{2}.psm1' -f $module, $version, $class)
        Test-Path -LiteralPath $file | Should -BeTrue
        Set-Content -LiteralPath $file -Value "throw 'broken on purpose'" -Encoding utf8
        # (the installed manifest.json says the same bytes, so the file check passes and the load is what fails)
        $manifestPath = Join-Path -Path $machine.Deploy -ChildPath 'manifest.json'
        $manifest = Get-Content -LiteralPath $manifestPath -Raw | ConvertFrom-Json
        $entry = @($manifest.files | Where-Object { $_.path -ceq ('modules/{0}/DSCResources/{1}/{1}.psm1' -f $module, $class) })
        $entry.Count | Should -Be 1
        $entry[0].sha256 = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash
        $manifest | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $manifestPath -Encoding utf8
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.Output | Should -Match ', 0 bad'
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match ('(?m)^Loading DSC resource {0} of {1} {2} failed: .*broken on purpose' -f [regex]::Escape($class), [regex]::Escape($module), [regex]::Escape($version))
    }

    It 'puts back the previous version BeforeInstall set aside, after the agent deleted what the previous deployment copied (the live DSC documents name it until the Systems Manager change set runs)' {
        # The previous deployment installed Windows 1.3.0 too: the agent's cleanup file lists its files.
        $old = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.3.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        foreach ($file in @(Get-ChildItem -LiteralPath $old -Recurse -File)) { $machine.Copied.Add($file.FullName) }
        $before = Invoke-Hook -Path (New-HookCopy -Name 'before-install.ps1' -Machine $machine) -Machine $machine
        $before.ExitCode | Should -Be 0 -Because $before.Output
        $before.Output | Should -Match 'Setting aside .*Windows[\\/]1\.3\.0'
        Install-Bundle -Machine $machine
        Test-Path -LiteralPath (Join-Path -Path $old -ChildPath 'Windows.psd1') | Should -BeFalse -Because 'the agent deleted it'
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'Restored .*Windows[\\/]1\.3\.0'
        (Get-Content -LiteralPath (Join-Path -Path $old -ChildPath 'Windows.psm1') -Raw) | Should -Match '# old'
        Test-Path -LiteralPath (Join-Path -Path (Split-Path -Path $machine.Deploy -Parent) -ChildPath 'PreviousModules') | Should -BeFalse
        # The bundle's version is the one an import by name picks.
        Test-Path -LiteralPath (Join-Path -Path $machine.Root -ChildPath 'Windows/1.4.0/Windows.psd1') | Should -BeTrue
    }

    It 'exits 1 and names the file when one byte of an installed module file changed' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'Windows.psm1'
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $bytes[$bytes.Length - 2] = $bytes[$bytes.Length - 2] -bxor 0x20
        [IO.File]::WriteAllBytes($file.FullName, $bytes)
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match 'CHANGED\s+\S*Windows[\\/]1\.4\.0[\\/]Windows\.psm1'
        $result.Output | Should -Match ', 1 bad'
        $result.Output | Should -Not -Match 'Imported '
    }

    It 'exits 1 and names the file when a DSC document is missing' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'localhost.mof'
        Remove-Item -LiteralPath $file.FullName
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match ('MISSING\s+.*' + [regex]::Escape($file.Directory.Name) + '[\\/]localhost\.mof')
    }

    It 'exits 1 when a module file is missing' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'Fleetform.Runtime.psd1'
        Remove-Item -LiteralPath $file.FullName
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match 'MISSING\s+.*Fleetform\.Runtime\.psd1'
    }

    It 'fails (non-zero) when manifest.json was not installed' {
        Remove-Item -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json')
        $result = Invoke-AfterInstall -Path $hook -Machine $machine
        $result.ExitCode | Should -Not -Be 0
    }

    It 'passes after before-install removed the previous version and the bundle was copied (no stale file survives)' {
        $hook = New-HookCopy -Name 'before-install.ps1' -Machine $machine
        Remove-Item -LiteralPath (Join-Path -Path $machine.Root -ChildPath 'Windows') -Recurse -Force
        $null = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.4.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        Set-Content -LiteralPath (Join-Path -Path $machine.Root -ChildPath 'Windows/1.4.0/stale.ps1') -Value 'stale'
        (Invoke-Hook -Path $hook -Machine $machine).ExitCode | Should -Be 0
        Install-Bundle -Machine $machine
        Test-Path -LiteralPath (Join-Path -Path $machine.Root -ChildPath 'Windows/1.4.0/stale.ps1') | Should -BeFalse
        $after = New-HookCopy -Name 'after-install.ps1' -Machine $machine
        $result = Invoke-AfterInstall -Path $after -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }
}
