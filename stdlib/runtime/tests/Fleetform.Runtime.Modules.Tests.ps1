# Pester 5 tests of Import-FfModule: the modules of externs are imported where a resource first
# needs them, so an earlier resource of the same run can install one, and a module that cannot be
# imported fails only the resources that need it, with exit code 34 and a log line naming it.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    Import-Module -Name $script:ManifestPath -Force
    $script:SavedModulePath = $env:PSModulePath

    function Get-TestLogEntry {
        param([Parameter(Mandatory = $true)][string]$LogDir)
        foreach ($file in @(Get-ChildItem -LiteralPath $LogDir -Filter '*.log')) {
            foreach ($line in [System.IO.File]::ReadAllLines($file.FullName)) {
                if ($line.Length -gt 0) { ConvertFrom-Json -InputObject $line }
            }
        }
    }

    # Writes module <Name> <Version> with one function Get-<Name>Value into a module folder.
    function New-TestModule {
        param([string]$Root, [string]$Name, [string]$Version)
        $folder = New-Item -ItemType Directory -Force -Path (Join-Path -Path $Root -ChildPath $Name)
        Set-Content -LiteralPath (Join-Path -Path $folder.FullName -ChildPath "$Name.psm1") -Value "function Get-$($Name)Value { 'value of $Name' }"
        New-ModuleManifest -Path (Join-Path -Path $folder.FullName -ChildPath "$Name.psd1") -RootModule "$Name.psm1" -ModuleVersion $Version -FunctionsToExport @("Get-$($Name)Value")
    }
}

AfterAll {
    $env:PSModulePath = $script:SavedModulePath
    Get-Module -Name 'FfTestLate*', 'FfTestOld*' | Remove-Module -Force
}

Describe 'Import-FfModule' {
    BeforeEach {
        $script:root = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:root
        $env:PSModulePath = $script:root + [System.IO.Path]::PathSeparator + $script:SavedModulePath
        $script:logDir = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N'))
    }

    It 'imports a module that an earlier resource of the same run installed, into the global scope' {
        $name = 'FfTestLate' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $run = Initialize-FfRun -Configuration 'Web' -Mode 'apply' -LogDir $script:logDir -StateDir (Join-Path -Path $TestDrive -ChildPath 'state') -NoConsole
        $installed = @{ Done = $false }
        $null = Invoke-FfResource -Run $run -Id 'feature' -Category 'Features' -Type 'Feature' -Properties { @{} } `
            -Test { param($p) $installed.Done } `
            -Set { param($p) New-TestModule -Root $script:root -Name $name -Version '2.0.0'; $installed.Done = $true }
        $null = Invoke-FfResource -Run $run -Id 'site' -Category 'Web' -Type 'Site' -DependsOn @('feature') -Properties { @{} } `
            -Test { param($p) Import-FfModule -Name $name -MinimumVersion '1.5'; (& "Get-$($name)Value") -eq "value of $name" } `
            -Set { param($p) }
        $run.Results['feature'] | Should -Be 'changed'
        $run.Results['site'] | Should -Be 'in-desired-state'
        Complete-FfRun -Run $run | Should -Be 0
        (Get-Module -Name $name).Version | Should -Be ([version]'2.0.0')
    }

    It 'does nothing when a version that will do is already loaded' {
        $name = 'FfTestLate' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        New-TestModule -Root $script:root -Name $name -Version '1.0.0'
        Import-Module -Name $name -Global
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Import-Module' -MockWith { throw 'not called' }
        { Import-FfModule -Name $name -MinimumVersion '1.0' } | Should -Not -Throw
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Import-Module' -Times 0 -Exactly
    }

    It 'fails the resource that needs a missing module with exit code 34 and a log line naming it; the others still run' {
        $run = Initialize-FfRun -Configuration 'Web' -Mode 'apply' -LogDir $script:logDir -StateDir (Join-Path -Path $TestDrive -ChildPath 'state') -NoConsole
        $null = Invoke-FfResource -Run $run -Id 'site' -Category 'Web' -Type 'Site' -Properties { @{} } `
            -Test { param($p) Import-FfModule -Name 'FfTestMissingModule' -MinimumVersion '1.0'; $true } `
            -Set { param($p) }
        $null = Invoke-FfResource -Run $run -Id 'other' -Category 'Web' -Type 'Other' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        $run.Results['site'] | Should -Be 'failed'
        $run.Results['other'] | Should -Be 'in-desired-state'
        Complete-FfRun -Run $run | Should -Be 34
        $line = @(Get-TestLogEntry -LogDir $script:logDir | Where-Object { $_.item -eq 'site' -and $_.result -eq 'failed' })
        $line.Count | Should -Be 1
        $line[0].message | Should -Match "module 'FfTestMissingModule' \(version 1\.0 or later\) could not be imported"
    }

    It 'fails with exit code 34 when only an older version is installed' {
        $name = 'FfTestOld' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        New-TestModule -Root $script:root -Name $name -Version '1.0.0'
        $caught = $null
        try { Import-FfModule -Name $name -MinimumVersion '3.0' } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 34
        $caught.Exception.Message | Should -Match ([regex]::Escape("module '$name' (version 3.0 or later)"))
    }
}
