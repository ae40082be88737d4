# Modules: the modules of externs, imported where a generated function first needs them.

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
