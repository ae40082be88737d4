# Folders: where logs and the reboot guard go, and Protect-FfDirectory, which creates or repairs
# them so that no ordinary user can redirect or read what SYSTEM writes there (docs/runtime.md,
# "Folders").

# Well-known SIDs, so nothing depends on the language of Windows: LocalSystem,
# BUILTIN\Administrators, NT SERVICE\TrustedInstaller.
$script:FfSidSystem = 'S-1-5-18'
$script:FfSidAdministrators = 'S-1-5-32-544'
$script:FfSidTrustedInstaller = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
# Folders already checked and protected in this process (full paths, case-insensitive).
$script:FfProtectedDirectories = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)

function Resolve-FfFullPath {
    <#
    .SYNOPSIS
    Resolves a path (relative to the current location, or a PowerShell drive path) to a full file-system path.
    .PARAMETER Path
    The path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Path
    )
    try {
        return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    }
    catch {
        try {
            return [System.IO.Path]::GetFullPath($Path)
        }
        catch {
            return $Path
        }
    }
}

function Get-FfDefaultDirectory {
    <#
    .SYNOPSIS
    Returns the default log or state folder: $env:ProgramData\Fleetform\<Kind>, or a temp folder where ProgramData does not exist (non-Windows).
    .PARAMETER Kind
    Logs or State.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('Logs', 'State')][string]$Kind
    )
    $base = [Environment]::GetEnvironmentVariable('ProgramData')
    if ([string]::IsNullOrEmpty($base)) {
        $base = [System.IO.Path]::GetTempPath()
    }
    return [System.IO.Path]::Combine($base, 'Fleetform', $Kind)
}

function Resolve-FfDirectory {
    <#
    .SYNOPSIS
    Picks a folder: the explicit value if given, else the environment variable if set, else the default.
    .PARAMETER Explicit
    The value passed by the caller ($null or empty when not passed).
    .PARAMETER VariableName
    The environment variable that overrides the default.
    .PARAMETER Kind
    Logs or State (for the default).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][AllowNull()][AllowEmptyString()][string]$Explicit,
        [Parameter(Mandatory = $true)][string]$VariableName,
        [Parameter(Mandatory = $true)][ValidateSet('Logs', 'State')][string]$Kind
    )
    $value = $Explicit
    if ([string]::IsNullOrEmpty($value)) {
        $value = [Environment]::GetEnvironmentVariable($VariableName)
    }
    if ([string]::IsNullOrEmpty($value)) {
        $value = Get-FfDefaultDirectory -Kind $Kind
    }
    return (Resolve-FfFullPath -Path $value)
}

function Test-FfWindows {
    <#
    .SYNOPSIS
    Returns $true on Windows, where folders get explicit ACLs (the tests on Linux mock this).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()
    return ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT)
}

function Get-FfPathAttribute {
    <#
    .SYNOPSIS
    Returns the attributes of a path itself (a link's own, not its target's), or $null when nothing is there.
    .PARAMETER Path
    A full path.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileAttributes])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    try {
        # GetAttributes does not follow a link: a dangling link is found, with ReparsePoint set.
        return [System.IO.File]::GetAttributes($Path)
    }
    catch [System.IO.FileNotFoundException], [System.IO.DirectoryNotFoundException] {
        return $null
    }
}

function Test-FfReparsePoint {
    <#
    .SYNOPSIS
    Returns $true when the path exists and is a reparse point (junction, symbolic link, mount point).
    .PARAMETER Path
    A full path.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    $attributes = Get-FfPathAttribute -Path $Path
    return ($null -ne $attributes -and ($attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0)
}

function Get-FfPathComponent {
    <#
    .SYNOPSIS
    Returns each path from the root down to a full path: C:\, C:\ProgramData, C:\ProgramData\Fleetform ...
    .PARAMETER Path
    A full path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    $root = [System.IO.Path]::GetPathRoot($Path)
    if ([string]::IsNullOrEmpty($root)) {
        throw ('{0} is not a full path' -f $Path)
    }
    $root
    $current = $root
    $separators = [char[]]@([System.IO.Path]::DirectorySeparatorChar, [System.IO.Path]::AltDirectorySeparatorChar)
    foreach ($name in $Path.Substring($root.Length).Split($separators, [System.StringSplitOptions]::RemoveEmptyEntries)) {
        if ($name -eq '.' -or $name -eq '..') {
            throw ('{0} contains "{1}": give a full path without it' -f $Path, $name)
        }
        $current = [System.IO.Path]::Combine($current, $name)
        $current
    }
}

function ConvertTo-FfSid {
    <#
    .SYNOPSIS
    Returns the SID (S-1-...) of an account or group given by SID or by name (e.g. BUILTIN\Event Log Readers).
    .PARAMETER Identity
    A SID or an account name.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Identity
    )
    if ($Identity -cmatch '^S-1-[0-9]+(-[0-9]+)+$') {
        return $Identity
    }
    $account = New-Object -TypeName System.Security.Principal.NTAccount -ArgumentList $Identity
    return $account.Translate([System.Security.Principal.SecurityIdentifier]).Value
}

function Get-FfDirectorySddl {
    <#
    .SYNOPSIS
    The security descriptor (SDDL) of a fleetform folder: owner Administrators, inheritance off,
    full control for SYSTEM and Administrators (this folder, subfolders and files), and read for
    one more group when given (the log readers).
    .PARAMETER ReaderSid
    The SID of the group that may read (list the folder, read its files); empty for none.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][AllowNull()][AllowEmptyString()][string]$ReaderSid
    )
    # P: protected (no inherited entries); OICI: inherited by subfolders and files; FA: full control.
    $sddl = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'
    if (-not [string]::IsNullOrEmpty($ReaderSid)) {
        if ($ReaderSid -cnotmatch '^S-1-[0-9]+(-[0-9]+)+$') {
            throw ('"{0}" is not a SID' -f $ReaderSid)
        }
        # 0x1200a9: read data, read attributes and extended attributes, list, traverse, read permissions, synchronize.
        $sddl += ('(A;OICI;0x1200a9;;;{0})' -f $ReaderSid)
    }
    return $sddl
}

function Get-FfSddlOwner {
    <#
    .SYNOPSIS
    The owner of a security descriptor in SDDL form, as a SID (BA and SY, the aliases Windows writes, as their SIDs).
    .PARAMETER Sddl
    The SDDL text.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Sddl
    )
    $match = [regex]::Match($Sddl, '^O:(S-1-[0-9-]+|[A-Z]{2})')
    if (-not $match.Success) {
        return ''
    }
    switch -CaseSensitive ($match.Groups[1].Value) {
        'SY' { return $script:FfSidSystem }
        'BA' { return $script:FfSidAdministrators }
        default { return $match.Groups[1].Value }
    }
}

function Set-FfDirectoryAcl {
    <#
    .SYNOPSIS
    Replaces a folder's owner and access list with the protected fleetform ACL (Get-FfDirectorySddl).
    .PARAMETER Path
    The folder (a full path).
    .PARAMETER ReaderSid
    The SID of the group that may read; empty for none.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter()][AllowNull()][AllowEmptyString()][string]$ReaderSid
    )
    $acl = Get-Acl -LiteralPath $Path
    $acl.SetSecurityDescriptorSddlForm((Get-FfDirectorySddl -ReaderSid $ReaderSid))
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Protect-FfDirectory {
    <#
    .SYNOPSIS
    Creates or repairs a folder the runtime writes to (logs, reboot guard, deploy folder), so that
    no ordinary user can redirect or read what SYSTEM writes there.
    .DESCRIPTION
    Walks the path from the root. Every component that exists must be a folder and not a reparse
    point (junction, symbolic link, mount point): one is refused, nothing is created through it.
    On Windows, a component that exists and that the runtime does not own (every one above the
    folder, except <ProgramData>\Fleetform) must be owned by SYSTEM, Administrators or
    TrustedInstaller; otherwise whoever owns it could swap what is below it, and it is refused.
    Missing components are created. The folder itself, every component created here and
    <ProgramData>\Fleetform (the runtime's own root) get a protected ACL: owner Administrators,
    inheritance off, full control for SYSTEM and Administrators, read for ReaderSid when given.
    A folder someone else created first is so taken over. Each folder is done once per process.
    Throws (with the path and the reason) when a folder is refused or cannot be protected.
    .PARAMETER Path
    The folder.
    .PARAMETER Reader
    A group (SID or name) that may read the folder's files (install.logReaders); none when empty.
    A name Windows cannot resolve is left out, with a warning (the folder stays closed to it).
    .EXAMPLE
    Protect-FfDirectory -Path 'C:\ProgramData\Fleetform\Logs' -Reader 'S-1-5-32-573'
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Path,
        [Parameter()][AllowNull()][AllowEmptyString()][string]$Reader
    )
    $full = Resolve-FfFullPath -Path $Path
    $full = $full.TrimEnd([char[]]@([System.IO.Path]::DirectorySeparatorChar, [System.IO.Path]::AltDirectorySeparatorChar))
    if ([string]::IsNullOrEmpty([System.IO.Path]::GetFileName($full))) {
        throw ('Fleetform: {0} is a drive root; give the runtime a folder of its own' -f $Path)
    }
    $cacheKey = $full + '|' + [string]$Reader
    if ($script:FfProtectedDirectories.Contains($cacheKey)) {
        return
    }
    $windows = Test-FfWindows
    $readerSid = ''
    if ($windows -and -not [string]::IsNullOrEmpty($Reader)) {
        try {
            $readerSid = ConvertTo-FfSid -Identity $Reader
        }
        catch {
            # Closed is the safe side: the folder is protected without the reader, and logging goes on.
            Write-Warning ('Fleetform: the log reader group "{0}" is not a known account or SID ({1}); {2} is readable by SYSTEM and Administrators only' -f $Reader, $_.Exception.Message, $full)
            $readerSid = ''
        }
    }
    $programData = [Environment]::GetEnvironmentVariable('ProgramData')
    $ownRoot = ''
    if (-not [string]::IsNullOrEmpty($programData)) {
        $ownRoot = [System.IO.Path]::Combine($programData.TrimEnd('\', '/'), 'Fleetform')
    }
    $components = @(Get-FfPathComponent -Path $full)
    for ($i = 0; $i -lt $components.Count; $i++) {
        $component = $components[$i]
        $isFolder = ($i -eq $components.Count - 1)
        $attributes = Get-FfPathAttribute -Path $component
        $created = $false
        if ($null -eq $attributes) {
            # The parent exists, is no link and (below the trusted part) is protected: creating here cannot be redirected.
            [void][System.IO.Directory]::CreateDirectory($component)
            $created = $true
            $attributes = Get-FfPathAttribute -Path $component
        }
        if ($null -eq $attributes -or ($attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) {
            throw ('Fleetform: refusing {0}: {1} is a junction or symbolic link (a reparse point); remove it, then run again' -f $full, $component)
        }
        if (($attributes -band [System.IO.FileAttributes]::Directory) -eq 0) {
            throw ('Fleetform: refusing {0}: {1} is a file, not a folder' -f $full, $component)
        }
        if (-not $windows -or $i -eq 0) {
            continue
        }
        if ($isFolder -or $created -or $component -eq $ownRoot) {
            try {
                if ($isFolder) {
                    Set-FfDirectoryAcl -Path $component -ReaderSid $readerSid
                }
                else {
                    Set-FfDirectoryAcl -Path $component -ReaderSid ''
                }
            }
            catch {
                throw ('Fleetform: cannot protect {0} (owner Administrators, SYSTEM and Administrators only): {1}' -f $component, $_.Exception.Message)
            }
            continue
        }
        $owner = Get-FfSddlOwner -Sddl ([string](Get-Acl -LiteralPath $component).Sddl)
        if (@($script:FfSidSystem, $script:FfSidAdministrators, $script:FfSidTrustedInstaller) -notcontains $owner) {
            throw ('Fleetform: refusing {0}: {1} is owned by {2}, not by SYSTEM, Administrators or TrustedInstaller, so its owner could swap the folders below it' -f $full, $component, $owner)
        }
    }
    [void]$script:FfProtectedDirectories.Add($cacheKey)
}

function Assert-FfNotLink {
    <#
    .SYNOPSIS
    Throws when a file the runtime is about to read or write is a reparse point (a symbolic link), which would redirect it.
    .PARAMETER Path
    The file.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    if (Test-FfReparsePoint -Path $Path) {
        throw ('Fleetform: refusing {0}: it is a symbolic link or other reparse point; remove it, then run again' -f $Path)
    }
}
