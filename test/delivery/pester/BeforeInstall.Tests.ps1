# codedeploy/scripts/before-install.ps1: removes what the bundle replaces.
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

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'HookTestHelpers.ps1')
}

Describe 'before-install.ps1' {
    BeforeEach {
        $machine = New-Machine
        $hook = New-HookCopy -Name 'before-install.ps1' -Machine $machine
    }

    It 'removes fleetform-installed versions of bundled modules and the previous DSC documents, and keeps everything else' {
        # (the bundle's Windows is 1.4.0: the newest below it stays, the older, the same and a newer one go)
        $ours = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.2.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        $previous = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.3.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        $same = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.4.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        $newer = New-InstalledVersion -Machine $machine -Name 'Windows' -Version '1.10.0' -PrivateData "@{ Fleetform = @{ Source = 'modules/windows/index.ts' } }"
        $oursToo = New-InstalledVersion -Machine $machine -Name 'AppServer' -Version '9.0.0' -PrivateData "@{ PSData = @{ Tags = @('fleetform') }; Fleetform = @{ Source = 'configurations/app-server.ts' } }"
        $foreign = New-InstalledVersion -Machine $machine -Name 'Emr' -Version '0.9.0' -PrivateData "@{ PSData = @{ Tags = @('emr') } }"
        $noPrivateData = New-InstalledVersion -Machine $machine -Name 'ServerRoles' -Version '1.0.0' -PrivateData "`$null"
        $noManifest = New-InstalledVersion -Machine $machine -Name 'PracticeManagement' -Version '1.0.0'
        $notInBundle = New-InstalledVersion -Machine $machine -Name 'SomethingElse' -Version '1.0.0' -PrivateData "@{ Fleetform = @{ Source = 'x' } }"
        $dsc = Join-Path -Path $machine.Deploy -ChildPath 'dsc/OldConfiguration'
        $null = New-Item -ItemType Directory -Path $dsc -Force
        Set-Content -LiteralPath (Join-Path -Path $dsc -ChildPath 'localhost.mof') -Value 'old'
        Set-Content -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json') -Value '{}'

        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
        Test-Path -LiteralPath $ours | Should -BeFalse
        # (set aside for AfterInstall, since the agent deletes what the previous deployment copied)
        Test-Path -LiteralPath $previous | Should -BeFalse
        Test-Path -LiteralPath (Join-Path -Path (Split-Path -Path $machine.Deploy -Parent) -ChildPath 'PreviousModules/Windows/1.3.0/Windows.psd1') | Should -BeTrue -Because 'the live DSC documents may name it until the Systems Manager change set runs'
        Test-Path -LiteralPath (Join-Path -Path (Split-Path -Path $machine.Deploy -Parent) -ChildPath 'PreviousModules/Windows/1.2.0') | Should -BeFalse
        Test-Path -LiteralPath $same | Should -BeFalse
        Test-Path -LiteralPath $newer | Should -BeFalse -Because 'an import by name would pick it over the bundle''s 1.4.0 (1.10.0 compares as a version, above 1.4.0)'
        Test-Path -LiteralPath $oursToo | Should -BeFalse
        Test-Path -LiteralPath $foreign | Should -BeTrue
        Test-Path -LiteralPath $noPrivateData | Should -BeTrue
        Test-Path -LiteralPath $noManifest | Should -BeTrue
        Test-Path -LiteralPath $notInBundle | Should -BeTrue
        Test-Path -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'dsc') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path -Path $machine.Deploy -ChildPath 'manifest.json') | Should -BeTrue
        $result.Output | Should -Match ('Keeping .*Emr[\\/]0\.9\.0: not installed by fleetform')
        $result.Output | Should -Match ('Removing .*Windows[\\/]1\.2\.0')
        $result.Output | Should -Match ('Setting aside .*Windows[\\/]1\.3\.0: the previous version')
    }

    It 'refuses a deploy folder that is a symbolic link, and removes nothing through it' {
        $elsewhere = Join-Path -Path (Split-Path -Path $machine.Deploy -Parent) -ChildPath 'elsewhere'
        $keep = Join-Path -Path $elsewhere -ChildPath 'dsc/keep.txt'
        $null = New-Item -ItemType Directory -Path (Split-Path -Path $keep -Parent) -Force
        Set-Content -LiteralPath $keep -Value 'not fleetform''s'
        Remove-Item -LiteralPath $machine.Deploy -Recurse -Force
        $null = New-Item -ItemType SymbolicLink -Path $machine.Deploy -Value $elsewhere
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'junction or symbolic link'
        Test-Path -LiteralPath $keep | Should -BeTrue
    }

    It 'refuses to remove a dsc folder that is a symbolic link' {
        $elsewhere = Join-Path -Path (Split-Path -Path $machine.Deploy -Parent) -ChildPath 'elsewhere'
        $keep = Join-Path -Path $elsewhere -ChildPath 'keep.txt'
        $null = New-Item -ItemType Directory -Path $elsewhere -Force
        Set-Content -LiteralPath $keep -Value 'not fleetform''s'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $machine.Deploy -ChildPath 'dsc') -Value $elsewhere
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Not -Be 0
        # pwsh wraps the error text to its window: match the parts.
        $result.Output | Should -Match 'Refusing to remove'
        $result.Output | Should -Match 'junction or symbolic link'
        Test-Path -LiteralPath $keep | Should -BeTrue
    }

    It 'exits 0 on a machine nothing was installed on yet' {
        Remove-Item -LiteralPath $machine.Root, $machine.Deploy -Recurse -Force
        $result = Invoke-Hook -Path $hook -Machine $machine
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }
}

