# Errors: the failure range of exit codes, exceptions that carry a Fleetform exit code, and the
# one-paragraph description of an error that goes into a log line.

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
