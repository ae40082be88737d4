# The public functions: the same list, sorted, as FunctionsToExport in Fleetform.Runtime.psd1.
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
