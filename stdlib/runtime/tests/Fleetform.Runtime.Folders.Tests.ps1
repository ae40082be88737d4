# Pester 5 tests for the runtime's folders (Protect-FfDirectory): the log, state and deploy
# folders are created or repaired with a protected ACL, junctions and symbolic links on their
# paths are refused, and the log file and the reboot guard are never written through a link.
# Links are real (symbolic links made on this host's file system); ACLs are Windows-only, so
# Get-Acl/Set-Acl are stubs (where missing) mocked per test, with Test-FfWindows mocked to $true.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    Import-Module -Name $script:ManifestPath -Force

    $script:StubbedCommands = New-Object -TypeName System.Collections.Generic.List[string]
    if ($null -eq (Get-Command -Name 'Get-Acl' -ErrorAction SilentlyContinue)) {
        function global:Get-Acl {
            [CmdletBinding()]
            param([string]$LiteralPath)
            throw 'stub: Get-Acl is not available on this platform'
        }
        $script:StubbedCommands.Add('Get-Acl')
    }
    if ($null -eq (Get-Command -Name 'Set-Acl' -ErrorAction SilentlyContinue)) {
        function global:Set-Acl {
            [CmdletBinding()]
            param([string]$LiteralPath, [object]$AclObject)
            throw 'stub: Set-Acl is not available on this platform'
        }
        $script:StubbedCommands.Add('Set-Acl')
    }

    $script:Protected = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'
    $script:UserSid = 'S-1-5-21-1004336348-1177238915-682003330-1001'
    $script:SavedProgramData = [Environment]::GetEnvironmentVariable('ProgramData')

    function New-TestFolder {
        return (Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N')))
    }

    function New-TestLink {
        # A symbolic link (on Windows a junction-like directory link) at Path pointing to Target.
        param([string]$Path, [string]$Target)
        [void](New-Item -ItemType SymbolicLink -Path $Path -Value $Target)
    }

    function Use-WindowsAcl {
        # Windows from the runtime's point of view: folders get ACLs. Owners maps a folder to the
        # SDDL Get-Acl returns for it (default: owned by Administrators).
        param([hashtable]$Owners = @{})
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Test-FfWindows' -MockWith { $true }
        $global:FfTestOwners = $Owners
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Get-Acl' -MockWith {
            $sddl = 'O:BAG:SYD:AI(A;OICIID;FA;;;SY)'
            $key = $LiteralPath.TrimEnd('/', '\')
            if ($global:FfTestOwners.ContainsKey($key)) {
                $sddl = $global:FfTestOwners[$key]
            }
            $acl = [pscustomobject]@{ Path = $LiteralPath; Sddl = $sddl; Applied = $null }
            $acl | Add-Member -MemberType ScriptMethod -Name 'SetSecurityDescriptorSddlForm' -Value { param($text) $this.Applied = $text }
            return $acl
        }
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -MockWith { }
    }

    function New-TestRun {
        param([string]$Root, [string]$LogReader)
        $parameters = @{
            Configuration = 'FolderConfig'
            Mode          = 'apply'
            LogDir        = (Join-Path -Path $Root -ChildPath 'logs')
            StateDir      = (Join-Path -Path $Root -ChildPath 'state')
            NoConsole     = $true
        }
        if ($LogReader) {
            $parameters['LogReader'] = $LogReader
        }
        return (Initialize-FfRun @parameters)
    }
}

AfterAll {
    foreach ($name in $script:StubbedCommands) {
        Remove-Item -LiteralPath ('Function:\' + $name) -ErrorAction SilentlyContinue
    }
    [Environment]::SetEnvironmentVariable('ProgramData', $script:SavedProgramData)
    Remove-Variable -Name 'FfTestOwners' -Scope Global -ErrorAction SilentlyContinue
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'Protect-FfDirectory: junctions and symbolic links' {
    It 'creates a missing folder and the folders above it' {
        $folder = Join-Path -Path (New-TestFolder) -ChildPath 'a/b/logs'
        Protect-FfDirectory -Path $folder
        Test-Path -LiteralPath $folder -PathType Container | Should -BeTrue
    }

    It 'refuses a path with a symbolic link above the folder, and creates nothing through it' {
        $root = New-TestFolder
        $target = Join-Path -Path $root -ChildPath 'elsewhere'
        [void](New-Item -ItemType Directory -Path $target)
        New-TestLink -Path (Join-Path -Path $root -ChildPath 'Fleetform') -Target $target
        $folder = Join-Path -Path $root -ChildPath 'Fleetform/Logs'
        { Protect-FfDirectory -Path $folder } | Should -Throw -ExpectedMessage '*Fleetform is a junction or symbolic link*'
        @(Get-ChildItem -LiteralPath $target -Force).Count | Should -Be 0
    }

    It 'refuses a folder that is itself a link, even one pointing nowhere' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        $missing = Join-Path -Path $root -ChildPath 'not-there'
        New-TestLink -Path (Join-Path -Path $root -ChildPath 'logs') -Target $missing
        { Protect-FfDirectory -Path (Join-Path -Path $root -ChildPath 'logs') } | Should -Throw -ExpectedMessage '*logs is a junction or symbolic link*'
        Test-Path -LiteralPath $missing | Should -BeFalse
    }

    It 'refuses a path where a file stands in for a folder' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        Set-Content -LiteralPath (Join-Path -Path $root -ChildPath 'logs') -Value 'x'
        { Protect-FfDirectory -Path (Join-Path -Path $root -ChildPath 'logs') } | Should -Throw -ExpectedMessage '*is a file, not a folder*'
    }

    It 'refuses a drive root and a path with ..' {
        { Protect-FfDirectory -Path ([System.IO.Path]::GetPathRoot($TestDrive)) } | Should -Throw -ExpectedMessage '*is a drive root*'
        InModuleScope 'Fleetform.Runtime' {
            { @(Get-FfPathComponent -Path '/srv/a/../b') } | Should -Throw -ExpectedMessage '*contains ".."*'
        }
    }

    It 'does not write the log through a linked log folder: the line goes to the console only, with one warning' {
        $root = New-TestFolder
        $target = Join-Path -Path $root -ChildPath 'target'
        [void](New-Item -ItemType Directory -Path $target)
        New-TestLink -Path (Join-Path -Path $root -ChildPath 'logs') -Target $target
        # The run's first line (Initialize-FfRun) finds the link and warns; later lines do not warn again.
        $warnings = @(& { $run = New-TestRun -Root $root; Write-FfLog -Run $run -Level 'INFO' -Category 'run' -Item 'x' -Message 'hello' } 3>&1)
        @(Get-ChildItem -LiteralPath $target -Force).Count | Should -Be 0
        $warnings.Count | Should -Be 1
        [string]$warnings[0] | Should -BeLike '*logs is a junction or symbolic link*'
    }

    It 'does not append to a log file that is a symbolic link' {
        $root = New-TestFolder
        $victim = Join-Path -Path $root -ChildPath 'victim.txt'
        [void](New-Item -ItemType Directory -Path (Join-Path -Path $root -ChildPath 'logs') -Force)
        Set-Content -LiteralPath $victim -Value 'original' -NoNewline
        $month = [DateTime]::UtcNow.ToString('yyyyMM', [System.Globalization.CultureInfo]::InvariantCulture)
        New-TestLink -Path (Join-Path -Path $root -ChildPath ('logs/' + $month + '.log')) -Target $victim
        $run = New-TestRun -Root $root
        Write-FfLog -Run $run -Level 'INFO' -Category 'run' -Item 'x' -Message 'hello' -WarningAction SilentlyContinue
        Get-Content -LiteralPath $victim -Raw | Should -Be 'original'
    }

    It 'does not write the reboot guard through a linked state folder' {
        $root = New-TestFolder
        $target = Join-Path -Path $root -ChildPath 'target'
        [void](New-Item -ItemType Directory -Path $target)
        New-TestLink -Path (Join-Path -Path $root -ChildPath 'state') -Target $target
        $run = New-TestRun -Root $root
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = $run } {
            param($Run)
            { Add-FfRebootGuardEntry -Run $Run -Id 'r1' } | Should -Throw -ExpectedMessage '*state is a junction or symbolic link*'
            { Get-FfRebootGuardEntry -Run $Run -Id 'r1' } | Should -Throw -ExpectedMessage '*state is a junction or symbolic link*'
        }
        @(Get-ChildItem -LiteralPath $target -Force).Count | Should -Be 0
    }

    It 'neither replaces nor reads a reboot-guard file that is a symbolic link' {
        $root = New-TestFolder
        $victim = Join-Path -Path $root -ChildPath 'victim.txt'
        [void](New-Item -ItemType Directory -Path (Join-Path -Path $root -ChildPath 'state') -Force)
        Set-Content -LiteralPath $victim -Value 'original' -NoNewline
        New-TestLink -Path (Join-Path -Path $root -ChildPath 'state/reboot-guard.json') -Target $victim
        $run = New-TestRun -Root $root
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = $run } {
            param($Run)
            { Add-FfRebootGuardEntry -Run $Run -Id 'r1' } | Should -Throw -ExpectedMessage '*reboot-guard.json: it is a symbolic link*'
            { Remove-FfRebootGuardEntry -Run $Run -Id 'r1' } | Should -Throw -ExpectedMessage '*reboot-guard.json: it is a symbolic link*'
        }
        Get-Content -LiteralPath $victim -Raw | Should -Be 'original'
    }

    It 'writes the reboot guard through a new temporary file and leaves none behind' {
        $root = New-TestFolder
        $run = New-TestRun -Root $root
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = $run } {
            param($Run)
            Add-FfRebootGuardEntry -Run $Run -Id 'r1'
            Add-FfRebootGuardEntry -Run $Run -Id 'r2'
            (Get-FfRebootGuardEntry -Run $Run -Id 'r1').id | Should -Be 'r1'
        }
        @(Get-ChildItem -LiteralPath (Join-Path -Path $root -ChildPath 'state') -Force | ForEach-Object { $_.Name }) | Should -Be @('reboot-guard.json')
    }
}

Describe 'Protect-FfDirectory: ACLs on Windows (Get-Acl/Set-Acl mocked)' {
    It 'gives the folder and every folder it creates the protected ACL, and leaves existing folders above alone' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        Use-WindowsAcl
        $folder = Join-Path -Path $root -ChildPath 'Fleetform/State'
        Protect-FfDirectory -Path $folder
        $fleetform = Join-Path -Path $root -ChildPath 'Fleetform'
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $folder -and $AclObject.Applied -ceq $script:Protected }
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $fleetform -and $AclObject.Applied -ceq $script:Protected }
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 2 -Exactly
    }

    It 'repairs an existing folder every process (someone else may have created it first)' {
        $folder = Join-Path -Path (New-TestFolder) -ChildPath 'Deploy'
        [void](New-Item -ItemType Directory -Path $folder -Force)
        Use-WindowsAcl -Owners @{ $folder = ('O:{0}G:{0}D:AI(A;OICIID;FA;;;{0})' -f $script:UserSid) }
        Protect-FfDirectory -Path $folder
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $folder -and $AclObject.Applied -ceq $script:Protected }
        # Once per process: the second call changes nothing.
        Protect-FfDirectory -Path $folder
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly
    }

    It 'refuses a folder above whose owner is an ordinary user' {
        $root = New-TestFolder
        $parent = Join-Path -Path $root -ChildPath 'shared'
        [void](New-Item -ItemType Directory -Path $parent -Force)
        Use-WindowsAcl -Owners @{ $parent = ('O:{0}G:{0}D:(A;OICI;FA;;;{0})' -f $script:UserSid) }
        { Protect-FfDirectory -Path (Join-Path -Path $parent -ChildPath 'logs') } | Should -Throw -ExpectedMessage ('*shared is owned by {0}, not by SYSTEM*' -f $script:UserSid)
        Test-Path -LiteralPath (Join-Path -Path $parent -ChildPath 'logs') | Should -BeFalse
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 0 -Exactly
    }

    It 'accepts folders above owned by SYSTEM, Administrators or TrustedInstaller' {
        $root = New-TestFolder
        $a = Join-Path -Path $root -ChildPath 'a'
        $b = Join-Path -Path $a -ChildPath 'b'
        $c = Join-Path -Path $b -ChildPath 'c'
        [void](New-Item -ItemType Directory -Path $c -Force)
        Use-WindowsAcl -Owners @{
            $a = 'O:SYG:SYD:(A;;FA;;;SY)'
            $b = 'O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:SYD:(A;;FA;;;SY)'
            $c = 'O:S-1-5-32-544G:SYD:(A;;FA;;;SY)'
        }
        { Protect-FfDirectory -Path (Join-Path -Path $c -ChildPath 'logs') } | Should -Not -Throw
    }

    It 'takes over ProgramData\Fleetform, the runtime''s own root, whoever created it' {
        $programData = New-TestFolder
        $fleetform = Join-Path -Path $programData -ChildPath 'Fleetform'
        [void](New-Item -ItemType Directory -Path $fleetform -Force)
        [Environment]::SetEnvironmentVariable('ProgramData', $programData)
        try {
            Use-WindowsAcl -Owners @{ $fleetform = ('O:{0}G:{0}D:(A;OICI;FA;;;{0})' -f $script:UserSid) }
            Protect-FfDirectory -Path (Join-Path -Path $fleetform -ChildPath 'Logs')
            Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $fleetform -and $AclObject.Applied -ceq $script:Protected }
        }
        finally {
            [Environment]::SetEnvironmentVariable('ProgramData', $script:SavedProgramData)
        }
    }

    It 'lets the log reader group read the log folder only, by SID or by name' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        Use-WindowsAcl
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'ConvertTo-FfSid' -ParameterFilter { $Identity -eq 'BUILTIN\Event Log Readers' } -MockWith { 'S-1-5-32-573' }
        $run = New-TestRun -Root $root -LogReader 'BUILTIN\Event Log Readers'
        Write-FfLog -Run $run -Level 'INFO' -Category 'run' -Item 'x' -Message 'hello'
        InModuleScope 'Fleetform.Runtime' -Parameters @{ Run = $run } {
            param($Run)
            Add-FfRebootGuardEntry -Run $Run -Id 'r1'
        }
        $logs = Join-Path -Path $root -ChildPath 'logs'
        $state = Join-Path -Path $root -ChildPath 'state'
        $withReader = $script:Protected + '(A;OICI;0x1200a9;;;S-1-5-32-573)'
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $logs -and $AclObject.Applied -ceq $withReader }
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $state -and $AclObject.Applied -ceq $script:Protected }
    }

    It 'leaves out a reader group Windows cannot resolve, with a warning, and still protects and logs' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        Use-WindowsAcl
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'ConvertTo-FfSid' -MockWith { throw 'Some or all identity references could not be translated.' }
        $warnings = @(& { $run = New-TestRun -Root $root -LogReader 'CONTOSO\Nobody'; Write-FfLog -Run $run -Level 'INFO' -Category 'run' -Item 'x' -Message 'hello' } 3>&1)
        $warnings.Count | Should -Be 1
        [string]$warnings[0] | Should -BeLike '*"CONTOSO\Nobody" is not a known account or SID*readable by SYSTEM and Administrators only'
        $logs = Join-Path -Path $root -ChildPath 'logs'
        Should -Invoke -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -Times 1 -Exactly -ParameterFilter { $LiteralPath -eq $logs -and $AclObject.Applied -ceq $script:Protected }
        @(Get-ChildItem -LiteralPath $logs -Filter '*.log').Count | Should -Be 1
    }

    It 'fails, naming the folder, when the ACL cannot be set' {
        $root = New-TestFolder
        [void](New-Item -ItemType Directory -Path $root)
        Use-WindowsAcl
        Mock -ModuleName 'Fleetform.Runtime' -CommandName 'Set-Acl' -MockWith { throw 'Attempted to perform an unauthorized operation.' }
        { Protect-FfDirectory -Path (Join-Path -Path $root -ChildPath 'logs') } | Should -Throw -ExpectedMessage '*cannot protect*logs*unauthorized operation*'
    }

    It 'never puts a reader that is not a SID into the descriptor' {
        InModuleScope 'Fleetform.Runtime' {
            { Get-FfDirectorySddl -ReaderSid 'S-1-5-32-573)(A;OICI;FA;;;WD' } | Should -Throw -ExpectedMessage '*is not a SID*'
            ConvertTo-FfSid -Identity 'S-1-5-32-573' | Should -Be 'S-1-5-32-573'
            Get-FfSddlOwner -Sddl 'O:BAG:SYD:PAI' | Should -Be 'S-1-5-32-544'
            Get-FfSddlOwner -Sddl 'O:SYG:SY' | Should -Be 'S-1-5-18'
        }
    }
}
