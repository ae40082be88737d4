# Logging: one JSON line per step, to the console and to the monthly log file (docs/runtime.md,
# "Log lines").

# The version of the JSON log line format (the "v" key of every line).
$script:FfLogFormatVersion = 1
# Shown once per session when a log line is written without a run and the file cannot be written.
$script:FfLogWarningShown = $false

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
