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
#
# FF_DELIVERY_MANIFEST=installed-only installs a manifest.json reduced to the files the appspec
# copies (the build's own manifest also lists files that are not installed: ssm/, tests/,
# cloudformation/ ...). codedeploy.test.ts uses it to exercise the checks past a bug in
# after-install.ps1 that the full manifest trips over (see the it.fails there).

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'HookTestHelpers.ps1')
}

Describe 'after-install.ps1' {
    BeforeEach {
        $machine = New-Machine
        Install-Bundle -Machine $machine
        $hook = New-HookCopy -Name 'after-install.ps1' -Machine $machine
    }

    It 'exits 0 on a correct install tree, having checked every file and imported every module' {
        $manifest = Get-Content -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json') -Raw | ConvertFrom-Json
        $installed = @($manifest.files | Where-Object { $path = $_.path; @($script:copies | Where-Object { $path.StartsWith($_.source + '/') }).Count -gt 0 })
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.Output | Should -Match ('{0} files checked, 0 bad' -f $installed.Count)
        foreach ($copy in @($script:copies | Where-Object { $_.source -like 'modules/*' -or $_.source -like 'configurations/*' })) {
            $name = Split-Path -Path $copy.source -Leaf
            $result.Output | Should -Match ('Imported {0} ' -f [regex]::Escape($name))
        }
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }

    It 'exits 1 and names the file when one byte of an installed module file changed' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'Windows.psm1'
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $bytes[$bytes.Length - 2] = $bytes[$bytes.Length - 2] -bxor 0x20
        [IO.File]::WriteAllBytes($file.FullName, $bytes)
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match 'CHANGED\s+\S*Windows[\\/]1\.4\.0[\\/]Windows\.psm1'
        $result.Output | Should -Match ', 1 bad'
        $result.Output | Should -Not -Match 'Imported '
    }

    It 'exits 1 and names the file when a DSC document is missing' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'localhost.mof'
        Remove-Item -LiteralPath $file.FullName
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match ('MISSING\s+.*' + [regex]::Escape($file.Directory.Name) + '[\\/]localhost\.mof')
    }

    It 'exits 1 when a module file is missing' {
        $file = Get-InstalledFile -Machine $machine -Leaf 'Fleetform.Runtime.psd1'
        Remove-Item -LiteralPath $file.FullName
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 1 -Because $result.Output
        $result.Output | Should -Match 'MISSING\s+.*Fleetform\.Runtime\.psd1'
    }

    It 'fails (non-zero) when manifest.json was not installed' {
        Remove-Item -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json')
        $result = Invoke-Hook -Path $hook -Machine $machine
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
        $result = Invoke-Hook -Path $after -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }
}
