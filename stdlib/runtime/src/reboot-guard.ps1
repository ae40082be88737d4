# Reboot guard: <StateDir>\reboot-guard.json records the resources that asked for a reboot, so a
# resource still not in desired state after its reboot fails (exit code 21) instead of rebooting
# the instance again and again.

function Get-FfRebootGuardPath {
    <#
    .SYNOPSIS
    Returns the full path of the reboot-guard file of a run: <StateDir>\reboot-guard.json.
    .PARAMETER Run
    The run object.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run
    )
    return [System.IO.Path]::Combine($Run.StateDir, 'reboot-guard.json')
}

function ConvertTo-FfUtcText {
    <#
    .SYNOPSIS
    Normalises a timestamp read back from JSON (PowerShell 7 turns ISO strings into [datetime]) to ISO 8601 UTC text.
    .PARAMETER Value
    A string or a [datetime].
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][object]$Value
    )
    if ($null -eq $Value) {
        return ''
    }
    if ($Value -is [datetime]) {
        return $Value.ToUniversalTime().ToString('o', $script:FfInvariant)
    }
    return [string]$Value
}

function Read-FfRebootGuard {
    <#
    .SYNOPSIS
    Reads the entries of a reboot-guard file (none when the file does not exist). Throws when the file is unreadable or corrupt.
    .PARAMETER Path
    Full path of the file.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    # Read only through a folder that is protected and has no junction or link on its path (a
    # missing folder is not created just to read).
    $folder = [System.IO.Path]::GetDirectoryName($Path)
    if ($null -eq (Get-FfPathAttribute -Path $folder)) {
        return
    }
    Protect-FfDirectory -Path $folder
    Assert-FfNotLink -Path $Path
    if (-not [System.IO.File]::Exists($Path)) {
        return
    }
    $text = [System.IO.File]::ReadAllText($Path, $script:FfUtf8NoBom)
    if ([string]::IsNullOrWhiteSpace($text)) {
        return
    }
    $document = ConvertFrom-Json -InputObject $text
    if ($null -eq $document -or $null -eq $document.PSObject.Properties['entries']) {
        throw ('reboot-guard file {0} has no "entries" list' -f $Path)
    }
    foreach ($entry in @($document.entries)) {
        if ($null -eq $entry) {
            continue
        }
        $configuration = $entry.PSObject.Properties['configuration']
        $id = $entry.PSObject.Properties['id']
        $requested = $entry.PSObject.Properties['requestedUtc']
        if ($null -eq $configuration -or $null -eq $id) {
            continue
        }
        $requestedText = ''
        if ($null -ne $requested) {
            $requestedText = ConvertTo-FfUtcText -Value $requested.Value
        }
        [pscustomobject][ordered]@{
            configuration = [string]$configuration.Value
            id            = [string]$id.Value
            requestedUtc  = $requestedText
        }
    }
}

function Save-FfRebootGuard {
    <#
    .SYNOPSIS
    Writes the reboot-guard entries (UTF-8 without BOM, via a temporary file); deletes the file when no entry is left.
    .PARAMETER Path
    Full path of the file.
    .PARAMETER Entry
    The entries to keep.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Entry
    )
    $entries = @($Entry)
    # The state folder is created or repaired (protected ACL, no junction or link on its path) first.
    Protect-FfDirectory -Path ([System.IO.Path]::GetDirectoryName($Path))
    Assert-FfNotLink -Path $Path
    if ($entries.Count -eq 0) {
        if ([System.IO.File]::Exists($Path)) {
            [System.IO.File]::Delete($Path)
        }
        return
    }
    $document = [ordered]@{
        version = 1
        note    = 'Written by Fleetform.Runtime: resources that asked for a reboot. An entry is removed when the resource is in desired state again.'
        entries = $entries
    }
    $json = ConvertTo-Json -InputObject $document -Depth 5 -Compress
    # A new file with a name nobody can guess, created only if nothing (not even a link) has that
    # name; deleting and moving act on names, never through a link.
    $temporary = '{0}.{1}.tmp' -f $Path, [guid]::NewGuid().ToString('N')
    $bytes = $script:FfUtf8NoBom.GetBytes($json)
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $temporary, ([System.IO.FileMode]::CreateNew), ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None)
    try {
        $stream.Write($bytes, 0, $bytes.Length)
    }
    finally {
        $stream.Dispose()
    }
    if ([System.IO.File]::Exists($Path)) {
        [System.IO.File]::Delete($Path)
    }
    [System.IO.File]::Move($temporary, $Path)
}

function Get-FfRebootGuardEntry {
    <#
    .SYNOPSIS
    Returns the reboot-guard entry of one resource of the run's configuration, or nothing.
    .PARAMETER Run
    The run object.
    .PARAMETER Id
    The resource id.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id
    )
    $path = Get-FfRebootGuardPath -Run $Run
    foreach ($entry in @(Read-FfRebootGuard -Path $path)) {
        if ($entry.configuration -eq $Run.Configuration -and $entry.id -eq $Id) {
            return $entry
        }
    }
}

function Add-FfRebootGuardEntry {
    <#
    .SYNOPSIS
    Records that a resource asked for a reboot now (configuration, id, UTC time).
    .PARAMETER Run
    The run object.
    .PARAMETER Id
    The resource id.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id
    )
    $path = Get-FfRebootGuardPath -Run $Run
    $kept = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($entry in @(Read-FfRebootGuard -Path $path)) {
        if (-not ($entry.configuration -eq $Run.Configuration -and $entry.id -eq $Id)) {
            $kept.Add($entry)
        }
    }
    $kept.Add([pscustomobject][ordered]@{
            configuration = [string]$Run.Configuration
            id            = $Id
            requestedUtc  = [DateTime]::UtcNow.ToString('o', $script:FfInvariant)
        })
    Save-FfRebootGuard -Path $path -Entry $kept.ToArray()
}

function Remove-FfRebootGuardEntry {
    <#
    .SYNOPSIS
    Removes the reboot-guard entry of a resource; returns $true when there was one.
    .PARAMETER Run
    The run object.
    .PARAMETER Id
    The resource id.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id
    )
    $path = Get-FfRebootGuardPath -Run $Run
    if (-not [System.IO.File]::Exists($path)) {
        return $false
    }
    $kept = New-Object -TypeName System.Collections.Generic.List[object]
    $found = $false
    foreach ($entry in @(Read-FfRebootGuard -Path $path)) {
        if ($entry.configuration -eq $Run.Configuration -and $entry.id -eq $Id) {
            $found = $true
        }
        else {
            $kept.Add($entry)
        }
    }
    if ($found) {
        Save-FfRebootGuard -Path $path -Entry $kept.ToArray()
    }
    return $found
}
