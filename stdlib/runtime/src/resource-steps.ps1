# Resource steps: one function per step of a resource (dependencies, properties, test, safe,
# reboot guard, set, verify). Each writes the log lines of its step and returns the resource's
# outcome when it decides the result, nothing when the next step is to run. Invoke-FfResourceStep
# runs them in order.

function Invoke-FfResourceStep {
    <#
    .SYNOPSIS
    Runs the steps of one resource in order (dependencies, properties, test, safe, reboot guard,
    set, verify) and returns its outcome: that of the first step that decides the result. The
    steps write the log lines that do not decide it; the caller writes the final line.
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
    $resource = New-FfResourceContext -Run $Run -Id $Id -Category $Category -Type $Type -Reboot $Reboot
    # Each step returns the outcome when it decides the result, nothing when the next one is to run.
    $outcome = Invoke-FfDependenciesStep -Resource $resource -DependsOn $DependsOn
    if ($null -eq $outcome) { $outcome = Invoke-FfPropertiesStep -Resource $resource -Properties $Properties }
    if ($null -eq $outcome) { $outcome = Invoke-FfTestStep -Resource $resource -Test $Test }
    # Monitor mode goes on past a drifted dependency, and a test may need what that dependency
    # makes (a feature that brings the module its code imports): a test that cannot run without it
    # says so (skipped, exit code 0), instead of failing the run (the first deployment's monitor
    # run of a new instance, before anything was applied).
    if ($null -ne $outcome -and $outcome.Result -eq 'failed' -and @('properties', 'test') -contains $outcome.Step -and $resource.DriftedDependencies.Count -gt 0) {
        $outcome = New-FfOutcome -Result 'skipped' -ExitCode $script:FfCode.Ok -Step $outcome.Step -Level 'WARN' `
            -Message ('skipped: dependency {0} is drifted, and without it the {1} step failed: {2}' -f (($resource.DriftedDependencies | ForEach-Object { "'$_'" }) -join ', '), $outcome.Step, $outcome.Message)
    }
    if ($null -eq $outcome -and $null -ne $Safe) { $outcome = Invoke-FfSafeStep -Resource $resource -Safe $Safe }
    if ($null -eq $outcome -and $Reboot -eq 'after-set') { $outcome = Invoke-FfRebootGuardStep -Resource $resource }
    if ($null -eq $outcome) { $outcome = Invoke-FfSetStep -Resource $resource -Set $Set }
    if ($null -eq $outcome) { $outcome = Invoke-FfVerifyStep -Resource $resource -Test $Test }
    return $outcome
}

function New-FfResourceContext {
    <#
    .SYNOPSIS
    Creates what the steps of one resource share: the run, the resource's id, category and type,
    its reboot setting, and its properties once the properties step has read them.
    .PARAMETER Run
    The run object.
    .PARAMETER Id
    Resource id.
    .PARAMETER Category
    Module name (log category).
    .PARAMETER Type
    Resource type.
    .PARAMETER Reboot
    never or after-set.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.Run')][psobject]$Run,
        [Parameter(Mandatory = $true)][string]$Id,
        [Parameter(Mandatory = $true)][string]$Category,
        [Parameter(Mandatory = $true)][string]$Type,
        [Parameter(Mandatory = $true)][string]$Reboot
    )
    return [pscustomobject]@{
        PSTypeName = 'Fleetform.ResourceContext'
        Run        = $Run
        Id         = $Id
        Category   = $Category
        Type       = $Type
        Reboot     = $Reboot
        Properties = $null
        # (monitor mode: the dependencies that are drifted, which the resource ran past)
        DriftedDependencies = New-Object -TypeName System.Collections.Generic.List[string]
    }
}

function Write-FfStepLog {
    <#
    .SYNOPSIS
    Writes the log line of a step that does not decide the resource's result (the caller of the
    steps writes the final line).
    .PARAMETER Resource
    The resource context (New-FfResourceContext).
    .PARAMETER Level
    DEBUG, INFO or WARN.
    .PARAMETER Step
    The step.
    .PARAMETER Message
    The message.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][ValidateSet('DEBUG', 'INFO', 'WARN')][string]$Level,
        [Parameter(Mandatory = $true)][string]$Step,
        [Parameter(Mandatory = $true)][string]$Message
    )
    Write-FfLog -Run $Resource.Run -Level $Level -Category $Resource.Category -Item $Resource.Id -Step $Step -Message $Message
}

function Invoke-FfDependenciesStep {
    <#
    .SYNOPSIS
    The dependencies step: the resource runs once per run, and only when every dependency ran
    before it and is in desired state or changed (in monitor mode also drifted: those are kept in
    the context's DriftedDependencies).
    .DESCRIPTION
    Returns a failed outcome (exit code 50) for an id that already ran or a dependency without a
    result, a skipped outcome for a dependency that is not satisfied (exit code 11 when that
    dependency failed, else 0), and nothing when the resource may go on (with a DEBUG line when
    it has dependencies).
    .PARAMETER Resource
    The resource context (New-FfResourceContext).
    .PARAMETER DependsOn
    Ids of resources that must be in desired state (or changed) first.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$DependsOn
    )
    $run = $Resource.Run
    $id = $Resource.Id
    # An id can run once per run (the compiler guarantees it; a duplicate is a runtime error).
    if ($run.Results.Contains($id)) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'dependencies' -Level 'ERROR' `
                -Message ("resource id '{0}' ran twice in this run (first result: {1}); internal error in the generated configuration" -f $id, $run.Results[$id]))
    }
    # (an empty id cannot get here: a mandatory [string[]] refuses an empty string when binding)
    $dependencies = @($DependsOn)
    if ($dependencies.Count -eq 0) {
        return
    }
    $acceptable = @('in-desired-state', 'changed')
    if ($run.Mode -eq 'monitor') {
        $acceptable += 'drifted'
    }
    $missing = New-Object -TypeName System.Collections.Generic.List[string]
    $blocking = New-Object -TypeName System.Collections.Generic.List[string]
    $satisfied = New-Object -TypeName System.Collections.Generic.List[string]
    $skipCode = $script:FfCode.Ok
    foreach ($dependency in $dependencies) {
        if (-not $run.Results.Contains($dependency)) {
            $missing.Add(("'{0}'" -f $dependency))
            continue
        }
        $dependencyResult = [string]$run.Results[$dependency]
        if ($acceptable -contains $dependencyResult) {
            $satisfied.Add(("'{0}' is {1}" -f $dependency, $dependencyResult))
            if ($dependencyResult -eq 'drifted') { $Resource.DriftedDependencies.Add($dependency) }
            continue
        }
        $blocking.Add(("'{0}' is {1}" -f $dependency, $dependencyResult))
        if (Test-FfFailureCode -Code ([int]$run.Resources[$dependency].ExitCode)) {
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
    Write-FfStepLog -Resource $Resource -Level 'DEBUG' -Step 'dependencies' -Message ('dependencies ok: {0}' -f ($satisfied -join ', '))
}

function Invoke-FfPropertiesStep {
    <#
    .SYNOPSIS
    The properties step: runs the properties block, which must return exactly one hashtable
    (IDictionary), and keeps it in the resource context for the later steps.
    .DESCRIPTION
    Returns a failed outcome when the block throws, writes an error (its exit code or 22) or
    returns anything else (22); otherwise writes a DEBUG line naming the properties (only the
    names: values may be secrets) and returns nothing.
    .PARAMETER Resource
    The resource context (New-FfResourceContext); its Properties are set here.
    .PARAMETER Properties
    Block returning the properties dictionary.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][scriptblock]$Properties
    )
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
    $Resource.Properties = $propertyOutput[0]
    # Only the names: values may be secrets (SSM SecureString parameters).
    $names = @($Resource.Properties.Keys | ForEach-Object { "'" + [string]$_ + "'" } | Sort-Object)
    $nameText = '(none)'
    if ($names.Count -gt 0) {
        $nameText = $names -join ', '
    }
    Write-FfStepLog -Resource $Resource -Level 'DEBUG' -Step 'properties' -Message ('{0}: properties {1}' -f $Resource.Type, $nameText)
}

function Invoke-FfTestStep {
    <#
    .SYNOPSIS
    The test step: runs the test block with the properties.
    .DESCRIPTION
    Returns in-desired-state when it returns $true (clearing the resource's reboot-guard record
    when it reboots), drifted in monitor mode when it returns $false, failed when it does not
    return exactly one [bool] (its exit code or 22); otherwise (apply mode, not in desired state)
    writes an INFO line and returns nothing.
    .PARAMETER Resource
    The resource context, with its Properties.
    .PARAMETER Test
    Block returning one [bool]: in desired state.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][scriptblock]$Test
    )
    $tested = Invoke-FfPredicate -ScriptBlock $Test -Properties $Resource.Properties -Name 'test' -DefaultExitCode $script:FfCode.ResourceError
    if (-not $tested.Succeeded) {
        return (New-FfOutcome -Result 'failed' -ExitCode $tested.ExitCode -Step 'test' -Level 'ERROR' -Message $tested.Message)
    }
    if ($tested.Value) {
        $message = 'in desired state'
        if ($Resource.Reboot -eq 'after-set' -and (Clear-FfResourceRebootGuard -Resource $Resource)) {
            $message = 'in desired state; reboot-guard record cleared'
        }
        return (New-FfOutcome -Result 'in-desired-state' -ExitCode $script:FfCode.Ok -Step 'test' -Level 'INFO' -Message $message -Properties $Resource.Properties)
    }
    if ($Resource.Run.Mode -eq 'monitor') {
        return (New-FfOutcome -Result 'drifted' -ExitCode $script:FfCode.Ok -Step 'test' -Level 'WARN' -Message 'not in desired state (monitor mode: nothing changed)' -Properties $Resource.Properties)
    }
    Write-FfStepLog -Resource $Resource -Level 'INFO' -Step 'test' -Message 'not in desired state'
}

function Clear-FfResourceRebootGuard {
    <#
    .SYNOPSIS
    Removes the reboot-guard record of a resource that is in desired state; returns $true when
    there was one. A guard that cannot be cleared is a WARN line (step reboot-guard), never a failure.
    .PARAMETER Resource
    The resource context.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource
    )
    try {
        return [bool](Remove-FfRebootGuardEntry -Run $Resource.Run -Id $Resource.Id)
    }
    catch {
        Write-FfStepLog -Resource $Resource -Level 'WARN' -Step 'reboot-guard' `
            -Message ('could not clear the reboot-guard record in {0}: {1}' -f (Get-FfRebootGuardPath -Run $Resource.Run), (Get-FfErrorMessage -ErrorObject $_))
        return $false
    }
}

function Invoke-FfSafeStep {
    <#
    .SYNOPSIS
    The safe step (apply mode, a resource with a safe block): runs the safe block with the properties.
    .DESCRIPTION
    Returns blocked when it returns $false (nothing changes; exit code 0), failed when it does not
    return exactly one [bool] (its exit code or 22); otherwise writes an INFO line and returns nothing.
    .PARAMETER Resource
    The resource context, with its Properties.
    .PARAMETER Safe
    Block returning one [bool]: safe to change now.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][scriptblock]$Safe
    )
    $safeNow = Invoke-FfPredicate -ScriptBlock $Safe -Properties $Resource.Properties -Name 'safe' -DefaultExitCode $script:FfCode.ResourceError
    if (-not $safeNow.Succeeded) {
        return (New-FfOutcome -Result 'failed' -ExitCode $safeNow.ExitCode -Step 'safe' -Level 'ERROR' -Message $safeNow.Message)
    }
    if (-not $safeNow.Value) {
        return (New-FfOutcome -Result 'blocked' -ExitCode $script:FfCode.Ok -Step 'safe' -Level 'WARN' -Message 'blocked: not safe to change now; nothing changed')
    }
    Write-FfStepLog -Resource $Resource -Level 'INFO' -Step 'safe' -Message 'safe to change'
}

function Invoke-FfRebootGuardStep {
    <#
    .SYNOPSIS
    The reboot-guard step (a resource that reboots after set): refuses to change it again when a
    reboot was already requested for it and it is still not in desired state.
    .DESCRIPTION
    Returns failed with exit code 21 when the guard holds a record for the resource, failed with
    exit code 50 when the guard cannot be read; otherwise writes a DEBUG line and returns nothing.
    .PARAMETER Resource
    The resource context.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource
    )
    try {
        $guard = Get-FfRebootGuardEntry -Run $Resource.Run -Id $Resource.Id
    }
    catch {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'reboot-guard' -Level 'ERROR' `
                -Message ('cannot read the reboot guard {0}: {1}; not changing a resource that reboots (repair or delete the file)' -f (Get-FfRebootGuardPath -Run $Resource.Run), (Get-FfErrorMessage -ErrorObject $_)))
    }
    if ($null -ne $guard) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.RebootLoop -Step 'reboot-guard' -Level 'ERROR' `
                -Message ('still not in desired state after the reboot requested for it at {0}; not rebooting again (the record in {1} is cleared once the resource is in desired state)' -f $guard.requestedUtc, (Get-FfRebootGuardPath -Run $Resource.Run)))
    }
    Write-FfStepLog -Resource $Resource -Level 'DEBUG' -Step 'reboot-guard' -Message 'no reboot recorded for this resource'
}

function Invoke-FfSetStep {
    <#
    .SYNOPSIS
    The set step: runs the set block with the properties; its output is discarded (logged, redacted).
    .DESCRIPTION
    Returns failed when the block throws or writes an error (its exit code or 20). A resource that
    reboots after set then asks for the reboot (Request-FfResourceReboot, which decides the
    result); otherwise writes an INFO line and returns nothing (verify runs next).
    .PARAMETER Resource
    The resource context, with its Properties.
    .PARAMETER Set
    Block that changes the resource.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][scriptblock]$Set
    )
    try {
        $setBlock = Invoke-FfBlock -ScriptBlock $Set -Argument $Resource.Properties -WithArgument
    }
    catch {
        # (what it printed before it threw: the installer's output is what a failed set needs most)
        $data = $_.Exception.Data
        Write-FfSetOutput -Resource $Resource -Output @($data['Fleetform.Output']) -NativeText @($data['Fleetform.NativeText'])
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $_ -Default $script:FfCode.SetFailed) `
                -Step 'set' -Level 'ERROR' -Message ('set threw: {0}' -f (Get-FfErrorMessage -ErrorObject $_)))
    }
    Write-FfSetOutput -Resource $Resource -Output @($setBlock.Output) -NativeText @($setBlock.NativeText)
    $setErrors = @($setBlock.Errors)
    if ($setErrors.Count -gt 0) {
        return (New-FfOutcome -Result 'failed' -ExitCode (Get-FfErrorExitCode -ErrorObject $setErrors[0] -Default $script:FfCode.SetFailed) `
                -Step 'set' -Level 'ERROR' -Message ('set wrote an error: {0}' -f (Get-FfErrorMessage -ErrorObject $setErrors[0])))
    }
    if ($Resource.Reboot -eq 'after-set') {
        return (Request-FfResourceReboot -Resource $Resource)
    }
    Write-FfStepLog -Resource $Resource -Level 'INFO' -Step 'set' -Message 'set completed'
}

function Write-FfSetOutput {
    <#
    .SYNOPSIS
    Logs what a set block printed (its output, then native stderr text) at DEBUG, redacted and cut
    at 2000 characters; nothing when it printed nothing. Before the set's outcome, failed or not.
    .PARAMETER Resource
    The resource context.
    .PARAMETER Output
    The block's output objects.
    .PARAMETER NativeText
    The stderr lines of native programs it ran.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter()][AllowEmptyCollection()][AllowNull()][object[]]$Output = @(),
        [Parameter()][AllowEmptyCollection()][AllowNull()][object[]]$NativeText = @()
    )
    $lines = @(@($Output) + @($NativeText) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
    if ($lines.Count -eq 0) {
        return
    }
    # Redact before cutting: a cut secret would no longer match in Write-FfLog.
    $text = Protect-FfText -Text ($lines -join "`n")
    if ($text.Length -gt 2000) {
        $text = $text.Substring(0, 2000) + '...'
    }
    Write-FfStepLog -Resource $Resource -Level 'DEBUG' -Step 'set' -Message ('set output (discarded): {0}' -f $text)
}

function Request-FfResourceReboot {
    <#
    .SYNOPSIS
    After a successful set of a resource that reboots: records the reboot in the guard and
    returns reboot-pending (exit code 3010: SSM Agent reboots the instance; verify runs after the
    reboot, as the next run's test).
    .DESCRIPTION
    Returns failed (exit code 50, no reboot requested) when the guard cannot be written.
    .PARAMETER Resource
    The resource context.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource
    )
    try {
        Add-FfRebootGuardEntry -Run $Resource.Run -Id $Resource.Id
    }
    catch {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.Internal -Step 'set' -Level 'ERROR' `
                -Message ('set completed but the reboot guard {0} could not be written: {1}; not requesting a reboot' -f (Get-FfRebootGuardPath -Run $Resource.Run), (Get-FfErrorMessage -ErrorObject $_)))
    }
    return (New-FfOutcome -Result 'reboot-pending' -ExitCode $script:FfCode.RebootRequired -Step 'set' -Level 'INFO' `
            -Message ('set completed; reboot requested (recorded in {0}); verify runs after the reboot' -f (Get-FfRebootGuardPath -Run $Resource.Run)))
}

function Invoke-FfVerifyStep {
    <#
    .SYNOPSIS
    The verify step: runs the test block again after set; always decides the result.
    .DESCRIPTION
    Returns changed when it returns $true, failed with exit code 20 when it returns $false, failed
    when it does not return exactly one [bool] (its exit code or 20).
    .PARAMETER Resource
    The resource context, with its Properties.
    .PARAMETER Test
    Block returning one [bool]: in desired state.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][PSTypeName('Fleetform.ResourceContext')][psobject]$Resource,
        [Parameter(Mandatory = $true)][scriptblock]$Test
    )
    $verified = Invoke-FfPredicate -ScriptBlock $Test -Properties $Resource.Properties -Name 'verify' -DefaultExitCode $script:FfCode.SetFailed
    if (-not $verified.Succeeded) {
        return (New-FfOutcome -Result 'failed' -ExitCode $verified.ExitCode -Step 'verify' -Level 'ERROR' -Message $verified.Message)
    }
    if (-not $verified.Value) {
        return (New-FfOutcome -Result 'failed' -ExitCode $script:FfCode.SetFailed -Step 'verify' -Level 'ERROR' -Message 'verify failed: still not in desired state after set')
    }
    return (New-FfOutcome -Result 'changed' -ExitCode $script:FfCode.Ok -Step 'verify' -Level 'INFO' -Message 'changed: in desired state after set' -Properties $Resource.Properties)
}
