# The 64-bit relaunch every hook script starts with.
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

Describe 'the 64-bit relaunch' -Skip:$IsWindows {
    It '<Name> relaunches itself under Sysnative when PROCESSOR_ARCHITEW6432 is AMD64 and exits with its exit code' -ForEach @(
        @{ Name = 'before-install.ps1' }
        @{ Name = 'after-install.ps1' }
        @{ Name = 'validate-service.ps1' }
    ) {
        $machine = New-Machine
        $hook = New-HookCopy -Name $Name -Machine $machine
        $windir = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('n'))
        $powershell = Join-Path -Path $windir -ChildPath 'Sysnative/WindowsPowerShell/v1.0/powershell.exe'
        $record = Join-Path -Path $windir -ChildPath 'arguments.txt'
        $null = New-Item -ItemType Directory -Path (Split-Path -Path $powershell -Parent) -Force
        # A stand-in for the 64-bit Windows PowerShell: records its arguments, exits 7.
        [IO.File]::WriteAllText($powershell, "#!/bin/sh`nprintf '%s\n' `"`$@`" > '$record'`nexit 7`n")
        & chmod +x $powershell
        $result = Invoke-Hook -Path $hook -Machine $machine -Environment @{ PROCESSOR_ARCHITEW6432 = 'AMD64'; WINDIR = $windir }
        $result.ExitCode | Should -Be 7 -Because $result.Output
        $arguments = @(Get-Content -LiteralPath $record)
        $arguments | Should -Be @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $hook)
    }
}
