# Fleetform.Runtime: the hand-written runtime that every generated configuration module calls.
#
# Target: Windows PowerShell 5.1 (SSM Agent runs powershell.exe). Also runs under PowerShell 7
# (the tests run there). Keep this file ASCII and 5.1-syntax only. Importing the module has no
# side effects: nothing is created on disk until a log line or a reboot-guard record is written.
#
# The contract (functions, log line format, results, exit codes) is documented in docs/runtime.md.

Set-StrictMode -Version 3.0

#region Module state and constants

$script:FfExitCodeDataKey = 'FleetformExitCode'
$script:FfUtf8NoBom = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$script:FfInvariant = [System.Globalization.CultureInfo]::InvariantCulture
# The version of the JSON log line format (the "v" key of every line).
$script:FfLogFormatVersion = 1
$script:FfModuleFile = $PSCommandPath

# Exit codes. The failure range is 10-99; 0, 3010 and the SSM Agent codes 168/169 (and 194 on
# Linux) are never used for failures.
$script:FfCode = @{
    Ok               = 0
    RebootRequired   = 3010
    SetFailed        = 20
    RebootLoop       = 21
    ResourceError    = 22
    DependencyFailed = 11
    ImdsUnreachable  = 30
    TagMissing       = 31
    SsmParameter     = 32
    SecretsManager   = 33
    ExternModule     = 34
    ModuleImport     = 40
    Internal         = 50
}

# The order in which results are counted in the run summary.
$script:FfResultOrder = @('in-desired-state', 'changed', 'drifted', 'blocked', 'skipped', 'reboot-pending', 'failed')

# IMDSv2 cache (per PowerShell session).
$script:FfImdsTokenTtlSeconds = 21600
$script:FfImdsTokenRefreshSeconds = 300
$script:FfImdsMaxAttempts = 3
$script:FfImdsToken = $null
$script:FfImdsTokenExpiresUtc = [DateTime]::MinValue
$script:FfInstanceId = $null

# Shown once per session when a log line is written without a run and the file cannot be written.
$script:FfLogWarningShown = $false

# Secret values read by Get-FfSecret, Get-FfCredential and Get-FfSsmParameter -WithDecryption.
# Write-FfLog replaces them with '***'. The set lives as long as the process (the module).
# Values shorter than FfSecretMinimumLength are not registered: redacting 'a' or 'ab' would
# garble every log line.
$script:FfSecretMinimumLength = 4
$script:FfSecretMask = '***'
$script:FfSecretValues = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::Ordinal)
$script:FfSecretValuesByLength = [string[]]@()

# Folder protection (Protect-FfDirectory). Well-known SIDs, so nothing depends on the language of
# Windows: LocalSystem, BUILTIN\Administrators, NT SERVICE\TrustedInstaller.
$script:FfSidSystem = 'S-1-5-18'
$script:FfSidAdministrators = 'S-1-5-32-544'
$script:FfSidTrustedInstaller = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
# Folders already checked and protected in this process (full paths, case-insensitive).
$script:FfProtectedDirectories = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)

#endregion

#region Private helpers

function Test-FfFailureCode {
    <#
    .SYNOPSIS
    Tells whether an exit code belongs to the failure range (10-99).
    .PARAMETER Code
    The exit code.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)][int]$Code
    )
    return ($Code -ge 10 -and $Code -le 99)
}

function New-FfException {
    <#
    .SYNOPSIS
    Creates an exception that carries a Fleetform exit code in Data['FleetformExitCode'].
    .PARAMETER Message
    The message.
    .PARAMETER ExitCode
    The exit code the engine records when this error fails a resource (10-99).
    .PARAMETER InnerException
    The original error, if any.
    #>
    [CmdletBinding()]
    [OutputType([System.Exception])]
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [Parameter(Mandatory = $true)][ValidateRange(10, 99)][int]$ExitCode,
        [Parameter()][AllowNull()][System.Exception]$InnerException
    )
    $exception = [System.InvalidOperationException]::new($Message, $InnerException)
    $exception.Data[$script:FfExitCodeDataKey] = $ExitCode
    return $exception
}

function Get-FfErrorExitCode {
    <#
    .SYNOPSIS
    Returns the Fleetform exit code carried by an error (or one of its inner exceptions), or a default.
    .PARAMETER ErrorObject
    An ErrorRecord or an Exception.
    .PARAMETER Default
    The code to return when the error carries none (or an invalid one).
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][object]$ErrorObject,
        [Parameter(Mandatory = $true)][int]$Default
    )
    $exception = $null
    if ($ErrorObject -is [System.Management.Automation.ErrorRecord]) {
        $exception = $ErrorObject.Exception
    }
    elseif ($ErrorObject -is [System.Exception]) {
        $exception = $ErrorObject
    }
    $depth = 0
    while ($null -ne $exception -and $depth -lt 10) {
        if ($null -ne $exception.Data -and $exception.Data.Contains($script:FfExitCodeDataKey)) {
            $code = 0
            if ([int]::TryParse([string]$exception.Data[$script:FfExitCodeDataKey], [ref]$code)) {
                if (Test-FfFailureCode -Code $code) {
                    return $code
                }
            }
        }
        $exception = $exception.InnerException
        $depth++
    }
    return $Default
}

function Get-FfErrorMessage {
    <#
    .SYNOPSIS
    Returns a one-paragraph description of an error for a log line (message and script position).
    .PARAMETER ErrorObject
    An ErrorRecord or an Exception.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][object]$ErrorObject
    )
    if ($null -eq $ErrorObject) {
        return 'unknown error'
    }
    if ($ErrorObject -is [System.Exception]) {
        return $ErrorObject.Message
    }
    if ($ErrorObject -isnot [System.Management.Automation.ErrorRecord]) {
        return [string]$ErrorObject
    }
    $message = $null
    if ($null -ne $ErrorObject.Exception) {
        $message = $ErrorObject.Exception.Message
    }
    if ([string]::IsNullOrEmpty($message)) {
        $message = $ErrorObject.ToString()
    }
    $info = $ErrorObject.InvocationInfo
    # The position is useful when it points into a configuration; a block typed at a prompt
    # reports the runtime's own call site instead, which says nothing.
    if ($null -ne $info -and -not [string]::IsNullOrEmpty($info.ScriptName) -and $info.ScriptName -ne $script:FfModuleFile) {
        $message = '{0} (at {1}:{2})' -f $message, [System.IO.Path]::GetFileName($info.ScriptName), $info.ScriptLineNumber
    }
    return $message
}

function Format-FfValue {
    <#
    .SYNOPSIS
    Describes what a script block produced, for error messages ("nothing", "a [System.String] 'x'", "2 values ...").
    .PARAMETER Value
    The collected output.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyCollection()][object[]]$Value
    )
    $items = @($Value)
    if ($items.Count -eq 0) {
        return 'nothing'
    }
    $described = New-Object -TypeName System.Collections.Generic.List[string]
    for ($index = 0; $index -lt [Math]::Min(3, $items.Count); $index++) {
        $item = $items[$index]
        if ($null -eq $item) {
            $described.Add('$null')
            continue
        }
        # Redact before cutting: a cut secret would no longer match in Write-FfLog.
        $text = Protect-FfText -Text ([string]$item)
        if ($text.Length -gt 60) {
            $text = $text.Substring(0, 57) + '...'
        }
        $described.Add(("a [{0}] '{1}'" -f $item.GetType().FullName, $text))
    }
    if ($items.Count -eq 1) {
        return $described[0]
    }
    $more = ''
    if ($items.Count -gt 3) {
        $more = ', ...'
    }
    return ('{0} values ({1}{2})' -f $items.Count, ($described -join ', '), $more)
}

function Register-FfSecretValue {
    <#
    .SYNOPSIS
    Adds a value to the module's set of secret values, which Write-FfLog replaces with '***'.
    .DESCRIPTION
    Registers the value as it is and the forms code commonly makes of it before printing: the
    value without leading and trailing white space (.Trim(), .TrimEnd(), a value read with a
    trailing newline) and, for a value of several lines (a key, a certificate), each line without
    its white space. Redaction is exact, ordinal substring replacement of these forms only: a
    secret changed any other way (case, encoding such as Base64, a part of it, pieces joined or
    split over log lines) is not recognised. Values shorter than 4 characters (and null or empty
    values) are not registered: replacing them would garble ordinary text. The set lives for the
    process; nothing is ever removed.
    .PARAMETER Value
    The secret value.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyString()][string]$Value
    )
    if ([string]::IsNullOrEmpty($Value)) {
        return
    }
    $forms = New-Object -TypeName System.Collections.Generic.List[string]
    $forms.Add($Value)
    $forms.Add($Value.Trim())
    foreach ($line in $Value.Split([string[]]@("`r`n", "`n", "`r"), [System.StringSplitOptions]::RemoveEmptyEntries)) {
        $forms.Add($line.Trim())
    }
    $added = $false
    foreach ($form in $forms) {
        if ($form.Length -ge $script:FfSecretMinimumLength -and $script:FfSecretValues.Add($form)) {
            $added = $true
        }
    }
    if ($added) {
        # Longest first, so that a secret containing another one is replaced as a whole.
        $script:FfSecretValuesByLength = [string[]]@($script:FfSecretValues | Sort-Object -Property @{ Expression = { $_.Length }; Descending = $true }, @{ Expression = { $_ }; Descending = $false })
    }
}

function Protect-FfText {
    <#
    .SYNOPSIS
    Replaces every occurrence of a registered secret value in a text with '***' (longest value first, ordinal comparison).
    .PARAMETER Text
    The text (a log message).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyString()][string]$Text
    )
    if ([string]::IsNullOrEmpty($Text)) {
        return $Text
    }
    $result = $Text
    foreach ($value in $script:FfSecretValuesByLength) {
        if ($result.IndexOf($value, [System.StringComparison]::Ordinal) -ge 0) {
            # String.Replace(string, string) is ordinal (case-sensitive, culture-insensitive).
            $result = $result.Replace($value, $script:FfSecretMask)
        }
    }
    return $result
}

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

function Invoke-FfBlock {
    <#
    .SYNOPSIS
    Runs a script block from a configuration and separates what it produced: output, errors
    written to the error stream, and stderr text of native programs.
    .DESCRIPTION
    Terminating errors are not caught here; the caller catches them. Error records written
    without terminating (Write-Error, a failing cmdlet) are returned in Errors. Native-program
    stderr lines (NativeCommandError records) are returned as text in NativeText, because many
    tools write progress to stderr and Windows PowerShell 5.1 wraps each such line in an error record.
    .PARAMETER ScriptBlock
    The block to run.
    .PARAMETER Argument
    The single argument to pass (the properties dictionary).
    .PARAMETER WithArgument
    Pass Argument to the block (otherwise the block is called without arguments).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][scriptblock]$ScriptBlock,
        [Parameter()][AllowNull()][object]$Argument,
        [Parameter()][switch]$WithArgument
    )
    if ($WithArgument) {
        $all = @(& $ScriptBlock $Argument 2>&1)
    }
    else {
        $all = @(& $ScriptBlock 2>&1)
    }
    $output = New-Object -TypeName System.Collections.Generic.List[object]
    $errors = New-Object -TypeName System.Collections.Generic.List[object]
    $native = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($item in $all) {
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            if ([string]$item.FullyQualifiedErrorId -like 'NativeCommandError*') {
                $native.Add([string]$item.ToString())
            }
            else {
                $errors.Add($item)
            }
        }
        else {
            $output.Add($item)
        }
    }
    return [pscustomobject]@{
        Output     = $output.ToArray()
        Errors     = $errors.ToArray()
        NativeText = $native.ToArray()
    }
}

function New-FfOutcome {
    <#
    .SYNOPSIS
    Creates the outcome of one resource: result, exit code, the step that decided it, level and message.
    .PARAMETER Result
    The resource result.
    .PARAMETER ExitCode
    0, 3010 or a failure code (10-99).
    .PARAMETER Step
    The step that decided the result.
    .PARAMETER Level
    The log level of the final line.
    .PARAMETER Message
    The message of the final line.
    .PARAMETER Properties
    The resource's properties, when its state is known (in-desired-state, changed, drifted): the
    get block runs with them after the final line.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('in-desired-state', 'changed', 'drifted', 'blocked', 'skipped', 'reboot-pending', 'failed')]
        [string]$Result,
        [Parameter(Mandatory = $true)][int]$ExitCode,
        [Parameter(Mandatory = $true)][string]$Step,
        [Parameter(Mandatory = $true)][ValidateSet('DEBUG', 'INFO', 'WARN', 'ERROR')][string]$Level,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Message,
        [Parameter()][AllowNull()][System.Collections.IDictionary]$Properties
    )
    return [pscustomobject]@{
        PSTypeName = 'Fleetform.Outcome'
        Result     = $Result
        ExitCode   = $ExitCode
        Step       = $Step
        Level      = $Level
        Message    = $Message
        Properties = $Properties
    }
}

function Invoke-FfPredicate {
    <#
    .SYNOPSIS
    Runs a test, safe or verify block and checks that it produced exactly one [bool].
    .DESCRIPTION
    Returns an object with Succeeded (the block ran and produced one bool), Value (the bool),
    ExitCode (for a failure: the code carried by the error, else Default) and Message.
    .PARAMETER ScriptBlock
    The block.
    .PARAMETER Properties
    The properties dictionary passed to the block.
    .PARAMETER Name
    The step name used in messages (test, safe, verify).
    .PARAMETER DefaultExitCode
    The exit code for a failure that carries no code of its own.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][scriptblock]$ScriptBlock,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Properties,
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][int]$DefaultExitCode
    )
    try {
        $block = Invoke-FfBlock -ScriptBlock $ScriptBlock -Argument $Properties -WithArgument
    }
    catch {
        return [pscustomobject]@{
            Succeeded = $false
            Value     = $false
            ExitCode  = (Get-FfErrorExitCode -ErrorObject $_ -Default $DefaultExitCode)
            Message   = ('{0} threw: {1}' -f $Name, (Get-FfErrorMessage -ErrorObject $_))
        }
    }
    $errors = @($block.Errors)
    if ($errors.Count -gt 0) {
        return [pscustomobject]@{
            Succeeded = $false
            Value     = $false
            ExitCode  = (Get-FfErrorExitCode -ErrorObject $errors[0] -Default $DefaultExitCode)
            Message   = ('{0} wrote an error: {1}' -f $Name, (Get-FfErrorMessage -ErrorObject $errors[0]))
        }
    }
    $output = @($block.Output)
    if ($output.Count -eq 1 -and $output[0] -is [bool]) {
        return [pscustomobject]@{
            Succeeded = $true
            Value     = [bool]$output[0]
            ExitCode  = 0
            Message   = ''
        }
    }
    return [pscustomobject]@{
        Succeeded = $false
        Value     = $false
        ExitCode  = $DefaultExitCode
        Message   = ('{0} returned {1}; expected exactly one [bool]' -f $Name, (Format-FfValue -Value $output))
    }
}

function Update-FfRunExitCode {
    <#
    .SYNOPSIS
    Recomputes the run's exit code: the highest failure code (10-99) if any, else 3010 if a reboot is pending, else 0.
    .PARAMETER Run
    The run object.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run
    )
    $failure = 0
    $reboot = $false
    foreach ($record in @($Run.Resources.Values)) {
        $code = [int]$record.ExitCode
        if ((Test-FfFailureCode -Code $code) -and $code -gt $failure) {
            $failure = $code
        }
        if ($record.Result -eq 'reboot-pending') {
            $reboot = $true
        }
    }
    if ($failure -gt 0) {
        $Run.ExitCode = $failure
    }
    elseif ($reboot) {
        $Run.ExitCode = $script:FfCode.RebootRequired
    }
    else {
        $Run.ExitCode = $script:FfCode.Ok
    }
    return [int]$Run.ExitCode
}

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

function Invoke-FfResourceStep {
    <#
    .SYNOPSIS
    Runs the steps of one resource (dependencies, properties, test, safe, reboot guard, set, verify)
    and returns its outcome. Writes the log lines of the steps that do not decide the result; the
    caller writes the final line.
    .PARAMETER Run
    The run object.
    .PARAMETER Id
    Resource id.
    .PARAMETER Category
    Module name (log category).
    .PARAMETER Type
    Resource type.
    .PARAMETER DependsOn
    Ids of resources that must be in desired state (or changed) first.
    .PARAMETER Reboot
    never or after-set.
    .PARAMETER Properties
    Block returning the properties dictionary.
    .PARAMETER Test
    Block returning one [bool]: in desired state.
    .PARAMETER Safe
    Block returning one [bool]: safe to change now ($null when the resource has none).
    .PARAMETER Set
    Block that changes the resource.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id,
        [Parameter(Mandatory = $true)][string]$Category,
        [Parameter(Mandatory = $true)][string]$Type,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$DependsOn,
        [Parameter(Mandatory = $true)][string]$Reboot,
        [Parameter(Mandatory = $true)][scriptblock]$Properties,
        [Parameter(Mandatory = $true)][scriptblock]$Test,
        [Parameter()][AllowNull()][scriptblock]$Safe,
        [Parameter(Mandatory = $true)][scriptblock]$Set
    )
    $monitor = ($Run.Mode -eq 'monitor')

    # Step 0: an id can run once per run (the compiler guarantees it; a duplicate is a runtime error).
    if ($Run.Results.Contains($Id)) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'dependencies' -Level 'ERROR' `
                -Message ("resource id '{0}' ran twice in this run (first result: {1}); internal error in the generated configuration" -f $Id, $Run.Results[$Id]))
    }

    # Step 1: dependencies.
    $dependencies = @($DependsOn | Where-Object { -not [string]::IsNullOrEmpty($_) })
    if ($dependencies.Count -gt 0) {
        $acceptable = @('in-desired-state', 'changed')
        if ($monitor) {
            $acceptable += 'drifted'
        }
        $missing = New-Object -TypeName System.Collections.Generic.List[string]
        $blocking = New-Object -TypeName System.Collections.Generic.List[string]
        $satisfied = New-Object -TypeName System.Collections.Generic.List[string]
        $skipCode = $script:FfCode.Ok
        foreach ($dependency in $dependencies) {
            if (-not $Run.Results.Contains($dependency)) {
                $missing.Add(("'{0}'" -f $dependency))
                continue
            }
            $dependencyResult = [string]$Run.Results[$dependency]
            if ($acceptable -contains $dependencyResult) {
                $satisfied.Add(("'{0}' is {1}" -f $dependency, $dependencyResult))
                continue
            }
            $blocking.Add(("'{0}' is {1}" -f $dependency, $dependencyResult))
            if (Test-FfFailureCode -Code ([int]$Run.Resources[$dependency].ExitCode)) {
                $skipCode = $script:FfCode.DependencyFailed
            }
        }
        if ($missing.Count -gt 0) {
            return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'dependencies' -Level 'ERROR' `
                    -Message ('dependency {0} has no result in this run (unknown id, or it did not run before this resource); internal error in the generated configuration' -f ($missing -join ', ')))
        }
        if ($blocking.Count -gt 0) {
            return (New-FfOutcome -Result 'skipped' -ExitCode $skipCode -Step 'dependencies' -Level 'WARN' `
                    -Message ('skipped: dependency {0}; nothing was tested or changed' -f ($blocking -join ', ')))
        }
        Write-FfLog -Run $Run -Level 'DEBUG' -Category $Category -Item $Id -Step 'dependencies' -Message ('dependencies ok: {0}' -f ($satisfied -join ', '))
    }

    # Step 2: properties.
    try {
        $block = Invoke-FfBlock -ScriptBlock $Properties
    }
    catch {
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $_ -Default $script:FfCode.ResourceError) `
                -Step 'properties' -Level 'ERROR' -Message ('properties threw: {0}' -f (Get-FfErrorMessage -ErrorObject $_)))
    }
    $propertyErrors = @($block.Errors)
    if ($propertyErrors.Count -gt 0) {
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $propertyErrors[0] -Default $script:FfCode.ResourceError) `
                -Step 'properties' -Level 'ERROR' -Message ('properties wrote an error: {0}' -f (Get-FfErrorMessage -ErrorObject $propertyErrors[0])))
    }
    $propertyOutput = @($block.Output)
    if ($propertyOutput.Count -ne 1 -or $propertyOutput[0] -isnot [System.Collections.IDictionary]) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.ResourceError -Step 'properties' -Level 'ERROR' `
                -Message ('properties returned {0}; expected exactly one hashtable (IDictionary)' -f (Format-FfValue -Value $propertyOutput)))
    }
    $p = $propertyOutput[0]
    # Only the names: values may be secrets (SSM SecureString parameters).
    $names = @($p.Keys | ForEach-Object { "'" + [string]$_ + "'" } | Sort-Object)
    $nameText = '(none)'
    if ($names.Count -gt 0) {
        $nameText = $names -join ', '
    }
    Write-FfLog -Run $Run -Level 'DEBUG' -Category $Category -Item $Id -Step 'properties' -Message ('{0}: properties {1}' -f $Type, $nameText)

    # Step 3: test.
    $tested = Invoke-FfPredicate -ScriptBlock $Test -Properties $p -Name 'test' -DefaultExitCode $script:FfCode.ResourceError
    if (-not $tested.Succeeded) {
        return (New-FfOutcome -Result 'failed' -ExitCode $tested.ExitCode -Step 'test' -Level 'ERROR' -Message $tested.Message)
    }
    if ($tested.Value) {
        $message = 'in desired state'
        if ($Reboot -eq 'after-set') {
            try {
                if (Remove-FfRebootGuardEntry -Run $Run -Id $Id) {
                    $message = 'in desired state; reboot-guard record cleared'
                }
            }
            catch {
                Write-FfLog -Run $Run -Level 'WARN' -Category $Category -Item $Id -Step 'reboot-guard' `
                    -Message ('could not clear the reboot-guard record in {0}: {1}' -f (Get-FfRebootGuardPath -Run $Run), (Get-FfErrorMessage -ErrorObject $_))
            }
        }
        return (New-FfOutcome -Result 'in-desired-state' -ExitCode $script:FfCode.Ok -Step 'test' -Level 'INFO' -Message $message -Properties $p)
    }
    if ($monitor) {
        return (New-FfOutcome -Result 'drifted' -ExitCode $script:FfCode.Ok -Step 'test' -Level 'WARN' -Message 'not in desired state (monitor mode: nothing changed)' -Properties $p)
    }
    Write-FfLog -Run $Run -Level 'INFO' -Category $Category -Item $Id -Step 'test' -Message 'not in desired state'

    # Step 4: safe.
    if ($null -ne $Safe) {
        $safeNow = Invoke-FfPredicate -ScriptBlock $Safe -Properties $p -Name 'safe' -DefaultExitCode $script:FfCode.ResourceError
        if (-not $safeNow.Succeeded) {
            return (New-FfOutcome -Result 'failed' -ExitCode $safeNow.ExitCode -Step 'safe' -Level 'ERROR' -Message $safeNow.Message)
        }
        if (-not $safeNow.Value) {
            return (New-FfOutcome -Result 'blocked' -ExitCode $script:FfCode.Ok -Step 'safe' -Level 'WARN' -Message 'blocked: not safe to change now; nothing changed')
        }
        Write-FfLog -Run $Run -Level 'INFO' -Category $Category -Item $Id -Step 'safe' -Message 'safe to change'
    }

    # Step 5: reboot guard.
    if ($Reboot -eq 'after-set') {
        try {
            $guard = Get-FfRebootGuardEntry -Run $Run -Id $Id
        }
        catch {
            return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'reboot-guard' -Level 'ERROR' `
                    -Message ('cannot read the reboot guard {0}: {1}; not changing a resource that reboots (repair or delete the file)' -f (Get-FfRebootGuardPath -Run $Run), (Get-FfErrorMessage -ErrorObject $_)))
        }
        if ($null -ne $guard) {
            return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.RebootLoop -Step 'reboot-guard' -Level 'ERROR' `
                    -Message ('still not in desired state after the reboot requested for it at {0}; not rebooting again (the record in {1} is cleared once the resource is in desired state)' -f $guard.requestedUtc, (Get-FfRebootGuardPath -Run $Run)))
        }
        Write-FfLog -Run $Run -Level 'DEBUG' -Category $Category -Item $Id -Step 'reboot-guard' -Message 'no reboot recorded for this resource'
    }

    # Step 6: set.
    try {
        $setBlock = Invoke-FfBlock -ScriptBlock $Set -Argument $p -WithArgument
    }
    catch {
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $_ -Default $script:FfCode.SetFailed) `
                -Step 'set' -Level 'ERROR' -Message ('set threw: {0}' -f (Get-FfErrorMessage -ErrorObject $_)))
    }
    $setErrors = @($setBlock.Errors)
    if ($setErrors.Count -gt 0) {
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $setErrors[0] -Default $script:FfCode.SetFailed) `
                -Step 'set' -Level 'ERROR' -Message ('set wrote an error: {0}' -f (Get-FfErrorMessage -ErrorObject $setErrors[0])))
    }
    $setOutput = @($setBlock.Output)
    $setNative = @($setBlock.NativeText)
    if ($setOutput.Count -gt 0 -or $setNative.Count -gt 0) {
        # Redact before cutting: a cut secret would no longer match in Write-FfLog.
        $text = Protect-FfText -Text ((@($setOutput | ForEach-Object { [string]$_ }) + $setNative) -join "`n")
        if ($text.Length -gt 2000) {
            $text = $text.Substring(0, 2000) + '...'
        }
        Write-FfLog -Run $Run -Level 'DEBUG' -Category $Category -Item $Id -Step 'set' -Message ('set output (discarded): {0}' -f $text)
    }
    if ($Reboot -eq 'after-set') {
        try {
            Add-FfRebootGuardEntry -Run $Run -Id $Id
        }
        catch {
            return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'set' -Level 'ERROR' `
                    -Message ('set completed but the reboot guard {0} could not be written: {1}; not requesting a reboot' -f (Get-FfRebootGuardPath -Run $Run), (Get-FfErrorMessage -ErrorObject $_)))
        }
        return (New-FfOutcome -Result 'reboot-pending' -ExitCode $script:FfCode.RebootRequired -Step 'set' -Level 'INFO' `
                -Message ('set completed; reboot requested (recorded in {0}); verify runs after the reboot' -f (Get-FfRebootGuardPath -Run $Run)))
    }
    Write-FfLog -Run $Run -Level 'INFO' -Category $Category -Item $Id -Step 'set' -Message 'set completed'

    # Step 7: verify.
    $verified = Invoke-FfPredicate -ScriptBlock $Test -Properties $p -Name 'verify' -DefaultExitCode $script:FfCode.SetFailed
    if (-not $verified.Succeeded) {
        return (New-FfOutcome -Result 'failed' -ExitCode $verified.ExitCode -Step 'verify' -Level 'ERROR' -Message $verified.Message)
    }
    if (-not $verified.Value) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.SetFailed -Step 'verify' -Level 'ERROR' -Message 'verify failed: still not in desired state after set')
    }
    return (New-FfOutcome -Result 'changed' -ExitCode $script:FfCode.Ok -Step 'verify' -Level 'INFO' -Message 'changed: in desired state after set' -Properties $p)
}

#endregion

#region Logging

function Write-FfLog {
    <#
    .SYNOPSIS
    Writes one structured JSON log line to the console and to the monthly log file.
    .DESCRIPTION
    Builds an ordered object with the keys v (the line format version, 1), timestamp (UTC, ISO
    8601 round-trip format), computername, level, configuration (null without -Run), category,
    item, step, message, result and state (a get result, else null), and serialises it with
    ConvertTo-Json -Compress. Before that, every secret value read in this process by
    Get-FfSecret, Get-FfCredential or Get-FfSsmParameter -WithDecryption is replaced with '***'
    in the message (longest value first, ordinal; values shorter than 4 characters are not
    registered, so they are not redacted). The line goes to the information stream (shown on stdout, which
    SSM Run Command captures) unless the run was initialised with -NoConsole, and is appended
    (UTF-8 without BOM, CRLF) to <LogDir>\yyyyMM.log, where yyyyMM is the UTC month. When the
    file cannot be written a warning is shown once (per run) and logging goes on.
    .PARAMETER Level
    DEBUG, INFO, WARN or ERROR.
    .PARAMETER Category
    The module name for resource steps; 'run' for the run start and summary lines.
    .PARAMETER Item
    The resource id (or the configuration name for run lines).
    .PARAMETER Message
    Free text; any characters (it is escaped by the JSON serialiser). Registered secret values are replaced with '***'.
    .PARAMETER Step
    The step (start, dependencies, properties, test, safe, reboot-guard, set, verify, summary); null when not given.
    .PARAMETER Result
    The result decided by this line; null when not given.
    .PARAMETER Run
    The run (gives the log folder and the NoConsole setting). Without it the log folder is
    FLEETFORM_LOG_DIR or the default.
    .PARAMETER State
    A get result (keys to text or null) for the line's `state`; null when not given.
    .EXAMPLE
    Write-FfLog -Run $run -Level INFO -Category 'Windows' -Item 'hostname' -Step 'test' -Message 'in desired state' -Result 'in-desired-state'
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('DEBUG', 'INFO', 'WARN', 'ERROR')][string]$Level,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Category,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Item,
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyString()][string]$Message,
        [Parameter()][AllowNull()][AllowEmptyString()][string]$Step,
        [Parameter()][AllowNull()][AllowEmptyString()][string]$Result,
        [Parameter()][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter()][AllowNull()][System.Collections.IDictionary]$State
    )
    $now = [DateTime]::UtcNow
    $computer = [Environment]::GetEnvironmentVariable('COMPUTERNAME')
    if ([string]::IsNullOrEmpty($computer)) {
        $computer = [Environment]::MachineName
    }
    $stepValue = $null
    if (-not [string]::IsNullOrEmpty($Step)) {
        $stepValue = [string]$Step
    }
    $resultValue = $null
    if (-not [string]::IsNullOrEmpty($Result)) {
        $resultValue = [string]$Result
    }
    $configurationValue = $null
    if ($PSBoundParameters.ContainsKey('Run') -and $null -ne $Run) {
        $configurationValue = [string]$Run.Configuration
    }
    # The line format is a versioned contract (docs/runtime.md): v changes when a key is renamed,
    # removed or changes its type; compiler/phases/4-emit/cloudformation/log-schema.ts describes it.
    $entry = [ordered]@{
        v             = $script:FfLogFormatVersion
        timestamp     = $now.ToString('o', $script:FfInvariant)
        computername  = [string]$computer
        level         = $Level.ToUpperInvariant()
        configuration = $configurationValue
        category      = [string]$Category
        item          = [string]$Item
        step          = $stepValue
        message       = (Protect-FfText -Text ([string]$Message))
        result        = $resultValue
        state         = $State
    }
    $line = ConvertTo-Json -InputObject $entry -Depth 2 -Compress

    $hasRun = $PSBoundParameters.ContainsKey('Run') -and $null -ne $Run
    if (-not ($hasRun -and $Run.NoConsole)) {
        Write-Information -MessageData $line -InformationAction Continue -Tags 'Fleetform'
    }

    if ($hasRun) {
        $logDir = [string]$Run.LogDir
    }
    else {
        $logDir = Resolve-FfDirectory -Explicit $null -VariableName 'FLEETFORM_LOG_DIR' -Kind 'Logs'
    }
    $logReader = $null
    if ($hasRun -and $null -ne $Run.PSObject.Properties['LogReader']) {
        $logReader = [string]$Run.LogReader
    }
    try {
        $fullDir = Resolve-FfFullPath -Path $logDir
        # Created or repaired once per process: protected ACL, no junction or link on its path.
        Protect-FfDirectory -Path $fullDir -Reader $logReader
        $file = [System.IO.Path]::Combine($fullDir, ($now.ToString('yyyyMM', $script:FfInvariant) + '.log'))
        Assert-FfNotLink -Path $file
        [System.IO.File]::AppendAllText($file, $line + "`r`n", $script:FfUtf8NoBom)
    }
    catch {
        $shown = $script:FfLogWarningShown
        if ($hasRun) {
            $shown = [bool]$Run.LogWarningShown
        }
        if (-not $shown) {
            Write-Warning ('Fleetform: cannot write the log file in {0}: {1}. Log lines are still written to the console; this warning is shown once.' -f $logDir, $_.Exception.Message)
            if ($hasRun) {
                $Run.LogWarningShown = $true
            }
            else {
                $script:FfLogWarningShown = $true
            }
        }
    }
}

#endregion

#region Run engine

function Initialize-FfRun {
    <#
    .SYNOPSIS
    Starts a run of a configuration and returns the run object that the other functions take.
    .DESCRIPTION
    The run object ([pscustomobject], type name Fleetform.Run) holds Configuration, Mode
    (apply or monitor), LogDir and StateDir (full paths), NoConsole, StartedUtc, Results (an
    ordered map resource id -> result string), Resources (id -> record with Id, Category, Type,
    Result, ExitCode, Step, Message) and ExitCode (the exit code the run would have now).
    Folders: an explicit parameter wins, then the environment variables FLEETFORM_LOG_DIR /
    FLEETFORM_STATE_DIR, then $env:ProgramData\Fleetform\Logs and \State (a temp folder where
    ProgramData does not exist). Writes a 'run' start log line.
    .PARAMETER Configuration
    The configuration name (the log item of run lines and the key of reboot-guard records).
    .PARAMETER Mode
    apply (test, safe, set, verify) or monitor (test only; drift is reported, nothing changes).
    .PARAMETER LogDir
    Folder of the monthly log files.
    .PARAMETER StateDir
    Folder of the reboot-guard file.
    .PARAMETER LogReader
    A group (SID or name) that may read the log files besides SYSTEM and Administrators
    (install.logReaders); none when empty. Folders are created or repaired by Protect-FfDirectory.
    .PARAMETER NoConsole
    Do not write log lines to the console (the file only).
    .PARAMETER ComplianceSeverity
    When given, Complete-FfRun reports every resource to SSM Compliance with this severity.
    .EXAMPLE
    $run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply'
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Configuration,
        [Parameter(Mandatory = $true)][ValidateSet('apply', 'monitor')][string]$Mode,
        [Parameter()][ValidateNotNullOrEmpty()][string]$LogDir,
        [Parameter()][ValidateNotNullOrEmpty()][string]$StateDir,
        [Parameter()][AllowNull()][AllowEmptyString()][string]$LogReader,
        [Parameter()][switch]$NoConsole,
        [Parameter()][ValidateSet('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED')][string]$ComplianceSeverity
    )
    $explicitLogDir = $null
    if ($PSBoundParameters.ContainsKey('LogDir')) {
        $explicitLogDir = $LogDir
    }
    $explicitStateDir = $null
    if ($PSBoundParameters.ContainsKey('StateDir')) {
        $explicitStateDir = $StateDir
    }
    $run = [pscustomobject]@{
        PSTypeName      = 'Fleetform.Run'
        Configuration   = $Configuration
        Mode            = $Mode.ToLowerInvariant()
        LogDir          = (Resolve-FfDirectory -Explicit $explicitLogDir -VariableName 'FLEETFORM_LOG_DIR' -Kind 'Logs')
        StateDir        = (Resolve-FfDirectory -Explicit $explicitStateDir -VariableName 'FLEETFORM_STATE_DIR' -Kind 'State')
        LogReader       = [string]$LogReader
        NoConsole       = [bool]$NoConsole
        StartedUtc      = [DateTime]::UtcNow.ToString('o', $script:FfInvariant)
        # The version is the manifest's (Fleetform.Runtime.psd1, its only place), known once the module is loaded.
        RuntimeVersion  = [string]$ExecutionContext.SessionState.Module.Version
        Results         = [ordered]@{}
        Resources       = [ordered]@{}
        ExitCode        = 0
        Completed       = $false
        LogWarningShown = $false
        # Set: Complete-FfRun reports every resource to SSM Compliance with this severity.
        ComplianceSeverity = $null
    }
    if ($PSBoundParameters.ContainsKey('ComplianceSeverity')) {
        $run.ComplianceSeverity = $ComplianceSeverity.ToUpperInvariant()
    }
    Write-FfLog -Run $run -Level 'INFO' -Category 'run' -Item $Configuration -Step 'start' `
        -Message ('run started: mode {0}; log dir {1}; state dir {2}; Fleetform.Runtime {3}; PowerShell {4} {5}' -f `
            $run.Mode, $run.LogDir, $run.StateDir, $run.RuntimeVersion, $PSVersionTable.PSVersion, $PSVersionTable.PSEdition)
    return $run
}

function Invoke-FfResource {
    <#
    .SYNOPSIS
    Runs one resource of a configuration in logged steps and records its result in the run.
    .DESCRIPTION
    Steps: dependencies (skip when a dependency is not in-desired-state/changed; in monitor mode
    drifted also counts as satisfied), properties (& $Properties: one IDictionary), test (& $Test $p:
    one [bool]; true -> in-desired-state; monitor mode: false -> drifted), safe (apply mode, when
    given: one [bool]; false -> blocked), reboot guard (-Reboot after-set: a reboot already
    requested for this resource -> failed, exit code 21), set (& $Set $p; output discarded),
    then either the reboot request (-Reboot after-set: record the guard, reboot-pending) or verify
    (the test again: true -> changed, false -> failed). Every step writes one JSON log line. No
    error inside a resource stops the run; it becomes a 'failed' result with an exit code.
    .PARAMETER Run
    The run from Initialize-FfRun.
    .PARAMETER Id
    Resource id (unique in the configuration).
    .PARAMETER Category
    The module that defines the resource (log category).
    .PARAMETER Type
    The resource type (e.g. ComputerName).
    .PARAMETER DependsOn
    Ids of resources that ran before and must be in-desired-state or changed.
    .PARAMETER Reboot
    never (default) or after-set (a successful set asks for a reboot: exit code 3010).
    .PARAMETER Properties
    Block that returns one hashtable of properties; it is passed to the other blocks.
    .PARAMETER Test
    Block param($p) that returns one [bool]: is the resource in desired state.
    .PARAMETER Safe
    Optional block param($p) that returns one [bool]: is it safe to change now.
    .PARAMETER Set
    Block param($p) that changes the resource; its output is discarded.
    .PARAMETER Get
    Optional block param($p) that returns one hashtable: the resource's current state. It runs
    when the result is in-desired-state, changed or drifted, and its keys and values (as text,
    secrets redacted) are the `state` of a DEBUG line with step 'get'. A get that fails is a WARN
    line; it never changes the result.
    .OUTPUTS
    System.String. The result: in-desired-state, changed, drifted, blocked, skipped, reboot-pending or failed.
    .EXAMPLE
    $null = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' -Reboot 'after-set' -Properties { @{ Name = 'web01' } } -Test { param($p) $env:COMPUTERNAME -eq $p.Name } -Set { param($p) Rename-Computer -NewName $p.Name }
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Id,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Category,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Type,
        [Parameter()][AllowNull()][AllowEmptyCollection()][string[]]$DependsOn = @(),
        [Parameter()][ValidateSet('never', 'after-set')][string]$Reboot = 'never',
        [Parameter(Mandatory = $true)][scriptblock]$Properties,
        [Parameter(Mandatory = $true)][scriptblock]$Test,
        [Parameter()][AllowNull()][scriptblock]$Safe,
        [Parameter(Mandatory = $true)][scriptblock]$Set,
        [Parameter()][AllowNull()][scriptblock]$Get
    )
    $safeBlock = $null
    if ($PSBoundParameters.ContainsKey('Safe')) {
        $safeBlock = $Safe
    }
    $dependencies = @()
    if ($null -ne $DependsOn) {
        $dependencies = @($DependsOn)
    }
    try {
        $outcome = Invoke-FfResourceStep -Run $Run -Id $Id -Category $Category -Type $Type -DependsOn $dependencies `
            -Reboot $Reboot.ToLowerInvariant() -Properties $Properties -Test $Test -Safe $safeBlock -Set $Set
        if (@($outcome).Count -ne 1 -or $null -eq $outcome -or @($outcome)[0].PSObject.TypeNames -notcontains 'Fleetform.Outcome') {
            throw ('the resource steps produced {0} instead of one outcome' -f (Format-FfValue -Value @($outcome)))
        }
    }
    catch {
        $outcome = New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'runtime' -Level 'ERROR' `
            -Message ('internal runtime error: {0}' -f (Get-FfErrorMessage -ErrorObject $_))
    }
    $Run.Results[$Id] = $outcome.Result
    $Run.Resources[$Id] = [pscustomobject]@{
        PSTypeName = 'Fleetform.ResourceResult'
        Id         = $Id
        Category   = $Category
        Type       = $Type
        Result     = $outcome.Result
        ExitCode   = [int]$outcome.ExitCode
        Step       = $outcome.Step
        Message    = (Protect-FfText -Text ([string]$outcome.Message))
    }
    [void](Update-FfRunExitCode -Run $Run)
    Write-FfLog -Run $Run -Level $outcome.Level -Category $Category -Item $Id -Step $outcome.Step -Message $outcome.Message -Result $outcome.Result
    if ($null -ne $Get -and $null -ne $outcome.PSObject.Properties['Properties'] -and $null -ne $outcome.Properties) {
        Write-FfResourceState -Run $Run -Id $Id -Category $Category -Get $Get -Properties $outcome.Properties
    }
    return [string]$outcome.Result
}

function Write-FfResourceState {
    <#
    .SYNOPSIS
    Runs a resource's get block and writes what it returns as the `state` of one DEBUG line.
    .DESCRIPTION
    The line has step 'get' and result null; `state` holds the hashtable's keys (sorted) with their
    values as text ($null stays null), every registered secret value replaced with '***'. The saved
    Logs Insights query "latest application versions by server" reads `state.Version`. A get that
    throws, writes an error or returns anything but one hashtable is one WARN line with step
    'get' and no state; the resource's result and the run's exit code stay as they are.
    .PARAMETER Run
    The run.
    .PARAMETER Id
    The resource id.
    .PARAMETER Category
    The module of the resource.
    .PARAMETER Get
    Block param($p) returning one hashtable.
    .PARAMETER Properties
    The resource's properties (passed to the block).
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id,
        [Parameter(Mandatory = $true)][string]$Category,
        [Parameter(Mandatory = $true)][scriptblock]$Get,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Properties
    )
    try {
        $block = Invoke-FfBlock -ScriptBlock $Get -Argument $Properties -WithArgument
    }
    catch {
        Write-FfLog -Run $Run -Level 'WARN' -Category $Category -Item $Id -Step 'get' -Message ('get threw: {0}' -f (Get-FfErrorMessage -ErrorObject $_))
        return
    }
    $getErrors = @($block.Errors)
    if ($getErrors.Count -gt 0) {
        Write-FfLog -Run $Run -Level 'WARN' -Category $Category -Item $Id -Step 'get' -Message ('get wrote an error: {0}' -f (Get-FfErrorMessage -ErrorObject $getErrors[0]))
        return
    }
    $output = @($block.Output)
    if ($output.Count -ne 1 -or $output[0] -isnot [System.Collections.IDictionary]) {
        Write-FfLog -Run $Run -Level 'WARN' -Category $Category -Item $Id -Step 'get' -Message ('get returned {0}; expected exactly one hashtable (IDictionary)' -f (Format-FfValue -Value $output))
        return
    }
    $got = $output[0]
    $state = [ordered]@{}
    $keys = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($key in $got.Keys) {
        $keys.Add([string]$key)
    }
    $keys.Sort([System.StringComparer]::Ordinal)
    foreach ($key in $keys) {
        $value = $got[$key]
        if ($null -eq $value) {
            $state[$key] = $null
        }
        else {
            $state[$key] = Protect-FfText -Text ([string]$value)
        }
    }
    Write-FfLog -Run $Run -Level 'DEBUG' -Category $Category -Item $Id -Step 'get' -Message ('state: {0}' -f ((@($keys | ForEach-Object { "'" + $_ + "'" }) -join ', '))) -State $state
}

function Complete-FfRun {
    <#
    .SYNOPSIS
    Ends a run: writes the summary log line and returns the exit code for SSM Run Command.
    .DESCRIPTION
    0: nothing failed and no reboot pending (blocked, drifted and skipped-because-blocked count
    as success). 3010: a resource asked for a reboot and nothing failed. 10-99: something failed;
    the highest code recorded wins (and beats 3010). See docs/runtime.md for the table.
    .PARAMETER Run
    The run from Initialize-FfRun.
    .OUTPUTS
    System.Int32. The exit code.
    .EXAMPLE
    exit (Complete-FfRun -Run $run)
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run
    )
    $code = Update-FfRunExitCode -Run $Run
    $counts = [ordered]@{}
    foreach ($name in $script:FfResultOrder) {
        $counts[$name] = 0
    }
    $failures = New-Object -TypeName System.Collections.Generic.List[string]
    $total = 0
    foreach ($record in @($Run.Resources.Values)) {
        $total++
        if ($counts.Contains($record.Result)) {
            $counts[$record.Result] = [int]$counts[$record.Result] + 1
        }
        if (Test-FfFailureCode -Code ([int]$record.ExitCode)) {
            $failures.Add(("'{0}' {1} ({2})" -f $record.Id, $record.Result, $record.ExitCode))
        }
    }
    $countText = @($counts.Keys | ForEach-Object { '{0}={1}' -f $_, $counts[$_] }) -join ', '
    $message = 'run complete: exit code {0}; {1} resources: {2}' -f $code, $total, $countText
    if ($failures.Count -gt 0) {
        $message = '{0}; failures: {1}' -f $message, ($failures -join ', ')
    }
    if (Test-FfFailureCode -Code $code) {
        $level = 'ERROR'
        $outcome = 'failed'
    }
    elseif ($code -eq $script:FfCode.RebootRequired) {
        $level = 'WARN'
        $outcome = 'reboot-pending'
    }
    elseif ([int]$counts['drifted'] -gt 0) {
        $level = 'WARN'
        $outcome = 'drifted'
    }
    else {
        $level = 'INFO'
        $outcome = 'ok'
    }
    $Run.Completed = $true
    if ($null -ne $Run.ComplianceSeverity) {
        # A failure to report is logged and never changes the exit code.
        try {
            Send-FfComplianceReport -Run $Run
            Write-FfLog -Run $Run -Level 'DEBUG' -Category 'run' -Item $Run.Configuration -Step 'compliance' `
                -Message ('reported {0} resources to SSM Compliance as Custom:Fleetform.{1}' -f $Run.Resources.Count, $Run.Configuration)
        }
        catch {
            Write-FfLog -Run $Run -Level 'WARN' -Category 'run' -Item $Run.Configuration -Step 'compliance' `
                -Message ('could not report to SSM Compliance: {0}' -f $_.Exception.Message)
        }
    }
    Write-FfLog -Run $Run -Level $level -Category 'run' -Item $Run.Configuration -Step 'summary' -Message $message -Result $outcome
    return [int]$code
}

function Send-FfComplianceReport {
    <#
    .SYNOPSIS
    Reports each resource of a run to SSM Compliance (PutComplianceItems via Write-SSMComplianceItem).
    .DESCRIPTION
    Compliance type Custom:Fleetform.<Configuration>, one item per resource id: COMPLIANT when the
    resource is in-desired-state or changed, NON_COMPLIANT otherwise (drifted, blocked, skipped,
    reboot-pending, failed); the result, step, exit code and mode are the item's details. The upload
    is COMPLETE, so resources no longer in the configuration disappear from the report.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run
    )
    if ($null -eq (Get-Command -Name 'Write-SSMComplianceItem' -ErrorAction SilentlyContinue)) {
        Import-Module -Name 'AWS.Tools.SimpleSystemsManagement' -ErrorAction Stop
    }
    $instanceId = Get-FfInstanceId
    $items = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($record in @($Run.Resources.Values)) {
        $status = 'NON_COMPLIANT'
        if ($record.Result -eq 'in-desired-state' -or $record.Result -eq 'changed') {
            $status = 'COMPLIANT'
        }
        $details = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,string]'
        $details['Result'] = [string]$record.Result
        $details['Step'] = [string]$record.Step
        $details['ExitCode'] = ([int]$record.ExitCode).ToString($script:FfInvariant)
        $details['Mode'] = [string]$Run.Mode
        $items.Add(@{
                Id       = [string]$record.Id
                Title    = ('{0}/{1}' -f $record.Category, $record.Type)
                Severity = [string]$Run.ComplianceSeverity
                Status   = $status
                Details  = $details
            })
    }
    $null = Write-SSMComplianceItem -ResourceId $instanceId -ResourceType 'ManagedInstance' `
        -ComplianceType ('Custom:Fleetform.' + $Run.Configuration) `
        -ExecutionSummary_ExecutionTime ([DateTime]::UtcNow) -ExecutionSummary_ExecutionType 'Command' `
        -Item $items.ToArray() -UploadType 'COMPLETE' -ErrorAction Stop
}

#endregion

#region Instance metadata (IMDSv2), SSM parameters, Secrets Manager, environment

function Get-FfImdsEndpoint {
    <#
    .SYNOPSIS
    Returns the IMDS base address: $env:FLEETFORM_IMDS_ENDPOINT or http://169.254.169.254.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $endpoint = [Environment]::GetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT')
    if ([string]::IsNullOrEmpty($endpoint)) {
        $endpoint = 'http://169.254.169.254'
    }
    return $endpoint.TrimEnd('/')
}

function Get-FfHttpStatusCode {
    <#
    .SYNOPSIS
    Returns the HTTP status code of a failed web request (5.1 WebException or 7 HttpResponseException), or 0 when there was no response.
    .PARAMETER ErrorRecord
    The error of Invoke-RestMethod.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$ErrorRecord
    )
    $exception = $ErrorRecord.Exception
    $depth = 0
    while ($null -ne $exception -and $depth -lt 10) {
        $responseProperty = $exception.PSObject.Properties['Response']
        if ($null -ne $responseProperty) {
            $response = $null
            try {
                $response = $responseProperty.Value
            }
            catch {
                $response = $null
            }
            if ($null -ne $response) {
                $statusProperty = $response.PSObject.Properties['StatusCode']
                if ($null -ne $statusProperty -and $null -ne $statusProperty.Value) {
                    try {
                        return [int]$statusProperty.Value
                    }
                    catch {
                        $null = $_
                    }
                }
            }
        }
        $exception = $exception.InnerException
        $depth++
    }
    return 0
}

function Invoke-FfImdsRequest {
    <#
    .SYNOPSIS
    Sends one request to the instance metadata service, retrying when there is no answer.
    .DESCRIPTION
    Returns an object with StatusCode (200 on success, the HTTP status of a 4xx answer) and
    Content. Throws an error carrying exit code 30 when the service cannot be reached (after
    a few attempts) or answers with a server error.
    .PARAMETER Method
    Get or Put.
    .PARAMETER Path
    The path after the endpoint, e.g. latest/api/token.
    .PARAMETER Headers
    Request headers.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('Get', 'Put')][string]$Method,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][hashtable]$Headers
    )
    $uri = '{0}/{1}' -f (Get-FfImdsEndpoint), $Path.TrimStart('/')
    $attempt = 0
    while ($true) {
        $attempt++
        try {
            $content = Invoke-RestMethod -Method $Method -Uri $uri -Headers $Headers -UseBasicParsing -TimeoutSec 5 -ErrorAction Stop
            return [pscustomobject]@{
                StatusCode = 200
                Content    = $content
            }
        }
        catch {
            $status = Get-FfHttpStatusCode -ErrorRecord $_
            if ($status -ge 400 -and $status -lt 500) {
                return [pscustomobject]@{
                    StatusCode = $status
                    Content    = $null
                }
            }
            if ($attempt -ge $script:FfImdsMaxAttempts) {
                $what = 'no answer'
                if ($status -gt 0) {
                    $what = 'HTTP {0}' -f $status
                }
                throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable -InnerException $_.Exception `
                        -Message ('instance metadata (IMDS) unreachable: {0} {1} failed after {2} attempts ({3}): {4}' -f $Method.ToUpperInvariant(), $uri, $attempt, $what, $_.Exception.Message))
            }
            Start-Sleep -Milliseconds (500 * $attempt)
        }
    }
}

function Get-FfImdsMetadata {
    <#
    .SYNOPSIS
    GETs an IMDS path with the IMDSv2 session token (fetching a new token once when the token is refused with 401).
    .PARAMETER Path
    The path after the endpoint, e.g. latest/meta-data/instance-id.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    $token = Get-FfImdsToken
    $response = Invoke-FfImdsRequest -Method 'Get' -Path $Path -Headers @{ 'X-aws-ec2-metadata-token' = $token }
    if ($response.StatusCode -eq 401) {
        $token = Get-FfImdsToken -Force
        $response = Invoke-FfImdsRequest -Method 'Get' -Path $Path -Headers @{ 'X-aws-ec2-metadata-token' = $token }
    }
    return $response
}

function Get-FfImdsToken {
    <#
    .SYNOPSIS
    Returns an IMDSv2 session token (PUT latest/api/token, TTL 21600 s), cached until five minutes before it expires.
    .DESCRIPTION
    Errors carry exit code 30 (instance metadata unreachable) in Exception.Data['FleetformExitCode'].
    The endpoint can be overridden with $env:FLEETFORM_IMDS_ENDPOINT.
    .PARAMETER Force
    Ignore the cached token and request a new one.
    .EXAMPLE
    $token = Get-FfImdsToken
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][switch]$Force
    )
    $now = [DateTime]::UtcNow
    if (-not $Force -and -not [string]::IsNullOrEmpty($script:FfImdsToken) -and $now.AddSeconds($script:FfImdsTokenRefreshSeconds) -lt $script:FfImdsTokenExpiresUtc) {
        return $script:FfImdsToken
    }
    $response = Invoke-FfImdsRequest -Method 'Put' -Path 'latest/api/token' -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = [string]$script:FfImdsTokenTtlSeconds }
    if ($response.StatusCode -ne 200 -or [string]::IsNullOrEmpty([string]$response.Content)) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ('instance metadata (IMDS) refused the IMDSv2 token request (HTTP {0}); is the metadata service enabled for this instance?' -f $response.StatusCode))
    }
    $script:FfImdsToken = ([string]$response.Content).Trim()
    $script:FfImdsTokenExpiresUtc = $now.AddSeconds($script:FfImdsTokenTtlSeconds)
    return $script:FfImdsToken
}

function Get-FfInstanceId {
    <#
    .SYNOPSIS
    Returns the EC2 instance id from instance metadata (IMDSv2), cached for the session.
    .DESCRIPTION
    Errors carry exit code 30 (instance metadata unreachable) in Exception.Data['FleetformExitCode'].
    .PARAMETER Force
    Ignore the cached value.
    .EXAMPLE
    $id = Get-FfInstanceId
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][switch]$Force
    )
    if (-not $Force -and -not [string]::IsNullOrEmpty($script:FfInstanceId)) {
        return $script:FfInstanceId
    }
    $response = Get-FfImdsMetadata -Path 'latest/meta-data/instance-id'
    $value = ''
    if ($null -ne $response.Content) {
        $value = ([string]$response.Content).Trim()
    }
    if ($response.StatusCode -ne 200 -or [string]::IsNullOrEmpty($value)) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ('instance metadata (IMDS) did not return the instance id (HTTP {0})' -f $response.StatusCode))
    }
    $script:FfInstanceId = $value
    return $value
}

function Get-FfInstanceTag {
    <#
    .SYNOPSIS
    Returns the value of an EC2 tag of this instance from instance metadata (latest/meta-data/tags/instance/<key>).
    .DESCRIPTION
    Needs "instance metadata tags" enabled on the instance. A missing tag (HTTP 404; also what
    IMDS answers when metadata tags are disabled) throws an error carrying exit code 31; an
    unreachable metadata service throws one carrying exit code 30. Tag keys that IMDS cannot
    serve (characters other than letters, digits and + - = . , _ : @) also give code 31.
    .PARAMETER Key
    The tag key, e.g. Name.
    .EXAMPLE
    $name = Get-FfInstanceTag -Key 'Name'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Key
    )
    if ($Key -notmatch '^[A-Za-z0-9+\-=.,_:@]+$' -or $Key -eq '.' -or $Key -eq '..' -or $Key -eq '_index') {
        throw (New-FfException -ExitCode $script:FfCode.TagMissing `
                -Message ("EC2 tag '{0}' cannot be read from instance metadata: tag keys there may only contain letters, digits and + - = . , _ : @" -f $Key))
    }
    $response = Get-FfImdsMetadata -Path ('latest/meta-data/tags/instance/' + $Key)
    if ($response.StatusCode -eq 404) {
        throw (New-FfException -ExitCode $script:FfCode.TagMissing `
                -Message ("required EC2 tag '{0}' is missing on this instance (or instance metadata tags are not enabled for it)" -f $Key))
    }
    if ($response.StatusCode -ne 200) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ("instance metadata (IMDS) answered HTTP {0} for EC2 tag '{1}'" -f $response.StatusCode, $Key))
    }
    if ($null -eq $response.Content) {
        return ''
    }
    return [string]$response.Content
}

function Get-FfSsmParameter {
    <#
    .SYNOPSIS
    Returns the value of an SSM Parameter Store parameter (Get-SSMParameter from AWS.Tools.SimpleSystemsManagement).
    .DESCRIPTION
    Imports AWS.Tools.SimpleSystemsManagement only when Get-SSMParameter is not already
    available. Any failure throws an error carrying exit code 32 in
    Exception.Data['FleetformExitCode']. The value is never logged; with -WithDecryption it is
    also registered as a secret, so Write-FfLog replaces it with '***' wherever a message quotes it.
    .PARAMETER Name
    Parameter name or ARN.
    .PARAMETER WithDecryption
    Decrypt a SecureString parameter.
    .EXAMPLE
    $password = Get-FfSsmParameter -Name '/fleet/emr/service-password' -WithDecryption
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Name,
        [Parameter()][switch]$WithDecryption
    )
    if ($null -eq (Get-Command -Name 'Get-SSMParameter' -ErrorAction SilentlyContinue)) {
        try {
            Import-Module -Name 'AWS.Tools.SimpleSystemsManagement' -ErrorAction Stop -Verbose:$false
        }
        catch {
            throw (New-FfException -ExitCode $script:FfCode.SsmParameter -InnerException $_.Exception `
                    -Message ("cannot read SSM parameter '{0}': the module AWS.Tools.SimpleSystemsManagement could not be imported: {1}" -f $Name, $_.Exception.Message))
        }
    }
    try {
        $parameter = Get-SSMParameter -Name $Name -WithDecryption ([bool]$WithDecryption) -ErrorAction Stop
    }
    catch {
        throw (New-FfException -ExitCode $script:FfCode.SsmParameter -InnerException $_.Exception `
                -Message ("cannot read SSM parameter '{0}': {1}" -f $Name, $_.Exception.Message))
    }
    $parameter = @($parameter)
    if ($parameter.Count -ne 1 -or $null -eq $parameter[0] -or $null -eq $parameter[0].PSObject.Properties['Value']) {
        throw (New-FfException -ExitCode $script:FfCode.SsmParameter `
                -Message ("cannot read SSM parameter '{0}': Get-SSMParameter returned no parameter value" -f $Name))
    }
    $value = [string]$parameter[0].Value
    if ($WithDecryption) {
        Register-FfSecretValue -Value $value
    }
    return $value
}

function Get-FfSecret {
    <#
    .SYNOPSIS
    Returns the SecretString of an AWS Secrets Manager secret (Get-SECSecretValue from AWS.Tools.SecretsManager).
    .DESCRIPTION
    Imports AWS.Tools.SecretsManager only when Get-SECSecretValue is not already available.
    The value is read on the instance at run time with the instance's credentials and is
    registered as a secret: Write-FfLog replaces it with '***' wherever a message quotes it.
    Any failure (module import, access denied, unknown secret, a binary secret without a
    SecretString) throws an error carrying exit code 33 in Exception.Data['FleetformExitCode'];
    the message names the secret id, never the value.
    .PARAMETER SecretId
    The secret's ARN or name.
    .EXAMPLE
    $apiKey = Get-FfSecret -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/api-key-AbCdEf'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$SecretId
    )
    if ($null -eq (Get-Command -Name 'Get-SECSecretValue' -ErrorAction SilentlyContinue)) {
        try {
            Import-Module -Name 'AWS.Tools.SecretsManager' -ErrorAction Stop -Verbose:$false
        }
        catch {
            throw (New-FfException -ExitCode $script:FfCode.SecretsManager -InnerException $_.Exception `
                    -Message ("cannot read Secrets Manager secret '{0}': the module AWS.Tools.SecretsManager could not be imported: {1}" -f $SecretId, $_.Exception.Message))
        }
    }
    try {
        $response = Get-SECSecretValue -SecretId $SecretId -ErrorAction Stop
    }
    catch {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager -InnerException $_.Exception `
                -Message ("cannot read Secrets Manager secret '{0}': {1}" -f $SecretId, $_.Exception.Message))
    }
    $response = @($response)
    if ($response.Count -ne 1 -or $null -eq $response[0]) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("cannot read Secrets Manager secret '{0}': Get-SECSecretValue returned no secret value" -f $SecretId))
    }
    $property = $response[0].PSObject.Properties['SecretString']
    if ($null -eq $property -or [string]::IsNullOrEmpty([string]$property.Value)) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("cannot read Secrets Manager secret '{0}': it has no SecretString (binary secrets are not supported)" -f $SecretId))
    }
    $value = [string]$property.Value
    Register-FfSecretValue -Value $value
    return $value
}

function Get-FfCredential {
    <#
    .SYNOPSIS
    Returns a PSCredential built from a Secrets Manager secret whose SecretString is JSON {"Username": "...", "Password": "..."}.
    .DESCRIPTION
    Reads the secret with Get-FfSecret (so the whole SecretString is registered as a secret) and
    registers the password as well: Write-FfLog replaces both with '***'. This is the secret
    format of the AWS-ApplyDSCMofs document. Key names are matched without regard to case; both
    values must be non-empty JSON strings. Any failure (the secret cannot be read, it is not a
    JSON object, a key is missing or empty) throws an error carrying exit code 33 in
    Exception.Data['FleetformExitCode']; the message names the secret id and the key, never
    the content.
    .PARAMETER SecretId
    The secret's ARN or name.
    .EXAMPLE
    $credential = Get-FfCredential -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/svc-emr-AbCdEf'
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCredential])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$SecretId
    )
    $secretString = Get-FfSecret -SecretId $SecretId
    $expected = 'expected a JSON object {"Username": "...", "Password": "..."}'
    # The parser's own error text quotes the content it choked on, so it is never passed on.
    $document = $null
    $parsed = $false
    if ($secretString.TrimStart().StartsWith('{', [System.StringComparison]::Ordinal)) {
        try {
            $document = ConvertFrom-Json -InputObject $secretString -ErrorAction Stop
            $parsed = $true
        }
        catch {
            $parsed = $false
        }
    }
    if (-not $parsed -or $null -eq $document -or $document -isnot [System.Management.Automation.PSCustomObject]) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("Secrets Manager secret '{0}' is not a credential: its SecretString is not a JSON object; {1}" -f $SecretId, $expected))
    }
    $values = @{}
    $problems = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($key in @('Username', 'Password')) {
        $field = $document.PSObject.Properties[$key]
        if ($null -eq $field -or $null -eq $field.Value) {
            $problems.Add(("'{0}' is missing" -f $key))
        }
        elseif ($field.Value -isnot [string]) {
            $problems.Add(("'{0}' is not a string" -f $key))
        }
        elseif ([string]::IsNullOrEmpty([string]$field.Value)) {
            $problems.Add(("'{0}' is empty" -f $key))
        }
        else {
            $values[$key] = [string]$field.Value
        }
    }
    if ($problems.Count -gt 0) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("Secrets Manager secret '{0}' is not a credential: {1}; {2}" -f $SecretId, ($problems -join ', '), $expected))
    }
    $password = [string]$values['Password']
    Register-FfSecretValue -Value $password
    $secure = New-Object -TypeName System.Security.SecureString
    foreach ($character in $password.ToCharArray()) {
        $secure.AppendChar($character)
    }
    $secure.MakeReadOnly()
    return (New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList ([string]$values['Username']), $secure)
}

function Get-FfEnvironmentValue {
    <#
    .SYNOPSIS
    Returns the value of an environment variable of the process ($null when it is not set).
    .PARAMETER Name
    The variable name.
    .EXAMPLE
    $proxy = Get-FfEnvironmentValue -Name 'HTTPS_PROXY'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Name
    )
    return [Environment]::GetEnvironmentVariable($Name)
}

function Invoke-FfScript {
    <#
    .SYNOPSIS
    Runs PowerShell code given as text: the get, test and set scripts of a DSC Script resource
    delivered through Run Command. Its output is the script's output.
    .PARAMETER Script
    The script text.
    .EXAMPLE
    Invoke-FfScript -Script 'Test-Path -LiteralPath C:\ProgramData\chocolatey\choco.exe'
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Script
    )
    & ([scriptblock]::Create($Script))
}

function Import-FfModule {
    <#
    .SYNOPSIS
    Imports a module that a generated function calls (an extern's module) where the function first
    needs it, so a resource earlier in the run can install it (e.g. WebAdministration with the
    Web-Server feature) and an instance needs only the modules of the resources it runs.
    .DESCRIPTION
    Does nothing when a version at least MinimumVersion is already loaded. Imports into the global
    scope, so every module's functions see its commands. A module that cannot be imported fails
    the resource with exit code 34; the message names the module.
    .PARAMETER Name
    The module name.
    .PARAMETER MinimumVersion
    The lowest version that will do (the extern's `version`, default 0.0).
    .EXAMPLE
    Import-FfModule -Name 'WebAdministration' -MinimumVersion '1.0'
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Name,
        [Parameter()][ValidateNotNullOrEmpty()][string]$MinimumVersion = '0.0'
    )
    $minimum = [version]$MinimumVersion
    if (@(Get-Module -Name $Name | Where-Object { $_.Version -ge $minimum }).Count -gt 0) { return }
    try {
        Import-Module -Name $Name -MinimumVersion $minimum -Global -ErrorAction Stop -Verbose:$false
    }
    catch {
        $message = "module '{0}' (version {1} or later) could not be imported: {2}" -f $Name, $MinimumVersion, $_.Exception.Message
        throw (New-FfException -Message $message -ExitCode $script:FfCode.ExternModule -InnerException $_.Exception)
    }
}

function Invoke-FfDscResource {
    <#
    .SYNOPSIS
    The body of a generated MOF-based DSC resource's Get-, Test- or Set-TargetResource: runs the
    author module's function for the method and holds the result to DSC's contract, so each
    generated wrapper keeps only its schema's parameter blocks and one call.
    .DESCRIPTION
    Get: runs Command with the bound parameters and returns a hashtable with exactly the schema's
    properties: a property's value comes from the current state Command returns (a dictionary),
    else from the bound parameters, else $null. Secret and credential properties (Secrets) always
    come back as $null: DSC passes them resolved, and Get-DscConfiguration shows what Get returns.
    Test: returns Command's result when it is exactly one [bool], and throws otherwise.
    Set: when Safe is given and does not return exactly one $true, warns and changes nothing;
    else runs Command (its output discarded) and, with Reboot, asks the LCM for a reboot
    ($global:DSCMachineStatus = 1, honoured when RebootNodeIfNeeded is set).
    Properties named in Maps arrive from DSC as MSFT_KeyValuePair instances and are passed to the
    author's functions as hashtables. Common parameters bound on the wrapper (-Verbose, ...) are
    passed on; -Verbose and -WarningAction also govern this function's own messages.
    .PARAMETER Method
    Get, Test or Set: which *-TargetResource this is.
    .PARAMETER Resource
    The resource's name, for messages.
    .PARAMETER Bound
    The wrapper's $PSBoundParameters.
    .PARAMETER Command
    The author module's function for the method, as a script block taking the parameters as a
    hashtable; it is written in the wrapper, so it resolves the command (and Pester's mocks) there.
    .PARAMETER Safe
    Set only: the resource's safe function, in the same form.
    .PARAMETER Properties
    The properties of the resource's schema, in order.
    .PARAMETER Secrets
    The secret and credential properties (Get never returns their values).
    .PARAMETER Maps
    The hashtable properties.
    .PARAMETER Reboot
    Set only: the change takes effect after a reboot.
    .EXAMPLE
    Invoke-FfDscResource -Method 'Test' -Resource 'EmrService' -Bound $PSBoundParameters -Command { param($p) Test-EmrServiceResource @p } -Properties @('Name', 'State')
    #>
    [CmdletBinding()]
    [OutputType([hashtable], [bool])]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('Get', 'Test', 'Set')][string]$Method,
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Resource,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound,
        [Parameter(Mandatory = $true)][scriptblock]$Command,
        [Parameter()][scriptblock]$Safe,
        [Parameter()][AllowEmptyCollection()][string[]]$Properties = @(),
        [Parameter()][AllowEmptyCollection()][string[]]$Secrets = @(),
        [Parameter()][AllowEmptyCollection()][string[]]$Maps = @(),
        [Parameter()][switch]$Reboot
    )
    # A copy: $PSBoundParameters has no Contains() PowerShell can call, and stays as DSC passed it.
    $given = @{}
    foreach ($key in @($Bound.Keys)) { $given[$key] = $Bound[$key] }
    if ($given.ContainsKey('Verbose')) {
        $VerbosePreference = if ([bool]$given['Verbose']) { 'Continue' } else { 'SilentlyContinue' }
    }
    if ($given.ContainsKey('WarningAction')) {
        $WarningPreference = $given['WarningAction']
    }
    $parameters = $given.Clone()
    foreach ($name in $Maps) {
        if ($parameters.ContainsKey($name)) {
            $table = @{}
            foreach ($pair in @($parameters[$name])) { $table[[string]$pair.Key] = $pair.Value }
            $parameters[$name] = $table
        }
    }
    switch ($Method) {
        'Get' {
            Write-Verbose -Message ('Getting the current state of resource {0}.' -f $Resource)
            $state = & $Command $parameters
            $result = @{}
            foreach ($name in $Properties) {
                if ($Secrets -contains $name) {
                    $result[$name] = $null
                }
                elseif ($state -is [System.Collections.IDictionary] -and $state.Contains($name)) {
                    $result[$name] = $state[$name]
                }
                elseif ($given.ContainsKey($name)) {
                    $result[$name] = $given[$name]
                }
                else {
                    $result[$name] = $null
                }
            }
            return $result
        }
        'Test' {
            Write-Verbose -Message ('Determining whether resource {0} is in the desired state.' -f $Resource)
            $result = @(& $Command $parameters)
            if ($result.Count -ne 1 -or $result[0] -isnot [bool]) {
                throw ('The test of resource {0} must return exactly one [bool]; it returned {1} values.' -f $Resource, $result.Count)
            }
            return $result[0]
        }
        'Set' {
            Write-Verbose -Message ('Setting resource {0} to the desired state.' -f $Resource)
            if ($null -ne $Safe) {
                $safeResult = @(& $Safe $parameters)
                if (-not ($safeResult.Count -eq 1 -and $safeResult[0] -is [bool] -and $safeResult[0])) {
                    Write-Warning -Message ('Not changing resource {0}: it is not safe to change now.' -f $Resource)
                    return
                }
            }
            $null = & $Command $parameters
            if ($Reboot) {
                $global:DSCMachineStatus = 1
            }
        }
    }
}

#endregion

Export-ModuleMember -Function @(
    'Complete-FfRun',
    'Get-FfCredential',
    'Get-FfEnvironmentValue',
    'Get-FfImdsToken',
    'Get-FfInstanceId',
    'Get-FfInstanceTag',
    'Get-FfSecret',
    'Get-FfSsmParameter',
    'Import-FfModule',
    'Initialize-FfRun',
    'Invoke-FfDscResource',
    'Invoke-FfResource',
    'Invoke-FfScript',
    'Protect-FfDirectory',
    'Write-FfLog'
)
