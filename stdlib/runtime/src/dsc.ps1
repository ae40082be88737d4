# DSC glue: the body of every generated DSC resource's Get-, Test- and Set-TargetResource, and
# the scripts of DSC Script resources delivered through Run Command.

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
