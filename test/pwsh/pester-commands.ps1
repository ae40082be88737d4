# Prints Pester's exported commands with their parameters as JSON { "<name>": ["<param>", ...] },
# from the Pester module the tests run with (test/powershell/link-output.test.ts).
param([Parameter(Mandatory = $true)][string]$Version)
$ErrorActionPreference = 'Stop'
Import-Module -Name Pester -RequiredVersion $Version
$out = [ordered]@{}
foreach ($c in Get-Command -Module Pester | Sort-Object Name) { $out[$c.Name] = @($c.Parameters.Keys) }
[Console]::Out.Write((ConvertTo-Json -InputObject $out -Depth 3 -Compress))
