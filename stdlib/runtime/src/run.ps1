# The run: Initialize-FfRun, Invoke-FfResource (one resource: its steps, its result, its final
# log line and state), the run's exit code and Complete-FfRun's summary.

# The order in which results are counted in the run summary.
$script:FfResultOrder = @('in-desired-state', 'changed', 'drifted', 'blocked', 'skipped', 'reboot-pending', 'failed')

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
    drifted also counts as satisfied; a properties or test step that then fails is skipped, exit
    code 0: it may need what the drifted dependency makes), properties (& $Properties: one IDictionary), test (& $Test $p:
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
                -Message ('reported {0} resources to SSM Compliance as Custom:Fleetform_{1}' -f $Run.Resources.Count, $Run.Configuration)
        }
        catch {
            Write-FfLog -Run $Run -Level 'WARN' -Category 'run' -Item $Run.Configuration -Step 'compliance' `
                -Message ('could not report to SSM Compliance: {0}' -f $_.Exception.Message)
        }
    }
    Write-FfLog -Run $Run -Level $level -Category 'run' -Item $Run.Configuration -Step 'summary' -Message $message -Result $outcome
    return [int]$code
}
