# Resource steps: Invoke-FfResourceStep runs the steps of one resource (dependencies, properties,
# test, safe, reboot guard, set, verify) and returns its outcome.

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
