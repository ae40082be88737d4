# Blocks: running a configuration's script blocks (properties, test, safe, set, get), separating
# what they produce, checking that a predicate returns one [bool], and the outcome of a resource.

function Invoke-FfBlock {
    <#
    .SYNOPSIS
    Runs a script block from a configuration and separates what it produced: output, errors
    written to the error stream, and stderr text of native programs.
    .DESCRIPTION
    Terminating errors are not caught here; the caller catches them (what the block produced
    before it threw is in the exception's Data, as Fleetform.Output and Fleetform.NativeText). Error records written
    without terminating (Write-Error, a failing cmdlet) are returned in Errors. Native-program
    stderr lines (NativeCommandError records) are returned as text in NativeText, because many
    tools write progress to stderr and Windows PowerShell 5.1 wraps each such line in an error record.
    What the block writes to the host and to the warning, verbose, debug and information streams
    (Write-Host, Write-Warning, ...) is taken from it too and written again as it comes, with every
    registered secret value replaced by '***' (Write-FfBlockMessage): nothing a block prints
    reaches SSM's output or a transcript unredacted, and what it printed before it threw is shown.
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
    $output = New-Object -TypeName System.Collections.Generic.List[object]
    $errors = New-Object -TypeName System.Collections.Generic.List[object]
    $native = New-Object -TypeName System.Collections.Generic.List[string]
    # Each item as the block makes it: a message is written again at once (so it is not lost when
    # the block throws later, and shows while a long set runs), the rest is kept.
    $take = {
        $item = $_
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            if ([string]$item.FullyQualifiedErrorId -like 'NativeCommandError*') {
                $native.Add([string]$item.ToString())
            }
            else {
                $errors.Add($item)
            }
        }
        elseif ($item -is [System.Management.Automation.InformationRecord] -or $item -is [System.Management.Automation.InformationalRecord]) {
            Write-FfBlockMessage -Record $item
        }
        else {
            $output.Add($item)
        }
    }
    # (*>&1: streams 2 to 6, which Windows PowerShell 5.0 and later can redirect)
    try {
        if ($WithArgument) {
            & $ScriptBlock $Argument *>&1 | ForEach-Object -Process $take
        }
        else {
            & $ScriptBlock *>&1 | ForEach-Object -Process $take
        }
    }
    catch {
        # What the block produced before it threw goes with the error (the set step logs it).
        $data = $_.Exception.Data
        if ($null -ne $data -and -not $data.IsReadOnly) {
            $data['Fleetform.Output'] = $output.ToArray()
            $data['Fleetform.NativeText'] = $native.ToArray()
        }
        throw
    }
    return [pscustomobject]@{
        Output     = $output.ToArray()
        Errors     = $errors.ToArray()
        NativeText = $native.ToArray()
    }
}

function Write-FfBlockMessage {
    <#
    .SYNOPSIS
    Writes again a message a block wrote to the host or to the warning, verbose, debug or
    information stream (Invoke-FfBlock took it from the block), its text redacted (Protect-FfText).
    .DESCRIPTION
    Write-Host's message is written with Write-Host, with its colours and -NoNewline; a warning,
    verbose or debug message with Write-Warning, Write-Verbose or Write-Debug, shown (PowerShell
    makes such a record only when its preference, or -Verbose, lets it be shown); any other
    information message with Write-Information and its tags, shown as $InformationPreference says
    (a record does not say whether -InformationAction Continue showed it), except the runtime's own
    log lines (tag Fleetform, which Write-FfLog shows), which stay shown. A message that is not text
    is written as its text.
    .PARAMETER Record
    The InformationRecord, WarningRecord, VerboseRecord or DebugRecord.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][object]$Record
    )
    if ($Record -is [System.Management.Automation.InformationRecord]) {
        $data = $Record.MessageData
        if ($data -is [System.Management.Automation.HostInformationMessage]) {
            $shown = @{ Object = (Protect-FfText -Text ([string]$data.Message)); NoNewline = [bool]$data.NoNewLine }
            # (a colour not given is $null on 5.1 and -1 on PowerShell 7)
            if ($null -ne $data.ForegroundColor -and [int]$data.ForegroundColor -ge 0) {
                $shown.ForegroundColor = $data.ForegroundColor
            }
            if ($null -ne $data.BackgroundColor -and [int]$data.BackgroundColor -ge 0) {
                $shown.BackgroundColor = $data.BackgroundColor
            }
            Write-Host @shown
        }
        elseif (@($Record.Tags) -contains 'Fleetform') {
            Write-Information -MessageData (Protect-FfText -Text ([string]$data)) -Tags @($Record.Tags) -InformationAction Continue
        }
        else {
            Write-Information -MessageData (Protect-FfText -Text ([string]$data)) -Tags @($Record.Tags)
        }
    }
    elseif ($Record -is [System.Management.Automation.WarningRecord]) {
        $WarningPreference = 'Continue'
        Write-Warning -Message (Protect-FfText -Text $Record.Message)
    }
    elseif ($Record -is [System.Management.Automation.VerboseRecord]) {
        $VerbosePreference = 'Continue'
        Write-Verbose -Message (Protect-FfText -Text $Record.Message)
    }
    elseif ($Record -is [System.Management.Automation.DebugRecord]) {
        # (Continue, not the Inquire that -Debug means in 5.1: nobody answers a prompt under SSM)
        $DebugPreference = 'Continue'
        Write-Debug -Message (Protect-FfText -Text $Record.Message)
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
