# Runs Pester 5 on the paths in a JSON list and writes a JSON summary. Used by test/helpers/pwsh.ts.
param(
    [Parameter(Mandatory = $true)][string]$ListPath,
    [Parameter(Mandatory = $true)][string]$SummaryPath,
    [Parameter(Mandatory = $true)][string]$PesterVersion
)
$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion $PesterVersion
$paths = @(Get-Content -LiteralPath $ListPath -Raw -Encoding UTF8 | ConvertFrom-Json)
$configuration = New-PesterConfiguration
$configuration.Run.Path = [string[]]$paths
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.CIFormat = 'None'
$result = Invoke-Pester -Configuration $configuration
$failures = @(@($result.Failed) | ForEach-Object {
        [ordered]@{ name = $_.ExpandedPath; message = (@($_.ErrorRecord) | ForEach-Object { $_.ToString() }) -join "`n" }
    })
$failures += @(@($result.FailedContainers) | ForEach-Object {
        [ordered]@{ name = [string]$_.Item; message = (@($_.ErrorRecord) | ForEach-Object { $_.ToString() }) -join "`n" }
    })
$failures += @(@($result.FailedBlocks) | ForEach-Object {
        [ordered]@{ name = $_.ExpandedPath; message = (@($_.ErrorRecord) | ForEach-Object { $_.ToString() }) -join "`n" }
    })
$summary = [ordered]@{
    result   = [string]$result.Result
    total    = $result.TotalCount
    passed   = $result.PassedCount
    failed   = $result.FailedCount + @($result.FailedContainers).Count + @($result.FailedBlocks).Count
    skipped  = $result.SkippedCount
    failures = $failures
}
[IO.File]::WriteAllText($SummaryPath, (ConvertTo-Json -InputObject $summary -Depth 6), [Text.UTF8Encoding]::new($false))
