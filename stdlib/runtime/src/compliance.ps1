# SSM Compliance: Complete-FfRun reports every resource of a run when the run has a compliance
# severity (docs/runtime.md, "SSM Compliance").

function Send-FfComplianceReport {
    <#
    .SYNOPSIS
    Reports each resource of a run to SSM Compliance (PutComplianceItems via Write-SSMComplianceItem).
    .DESCRIPTION
    Compliance type Custom:Fleetform_<Configuration>, one item per resource id: COMPLIANT when the
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
        -ComplianceType ('Custom:Fleetform_' + $Run.Configuration) `
        -ExecutionSummary_ExecutionTime ([DateTime]::UtcNow) -ExecutionSummary_ExecutionType 'Command' `
        -Item $items.ToArray() -UploadType 'COMPLETE' -ErrorAction Stop
}
