# Parses every file named in the JSON list with PowerShell's own parser and prints
# { "<path>": [ { line, column, message } ] } as JSON. Used by test/helpers/pwsh.ts.
param([Parameter(Mandatory = $true)][string]$ListPath)
$ErrorActionPreference = 'Stop'
$files = Get-Content -LiteralPath $ListPath -Raw -Encoding UTF8 | ConvertFrom-Json
$result = [ordered]@{}
foreach ($file in @($files)) {
    $tokens = $null
    $errors = $null
    [void][System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    $result[$file] = @(@($errors) | ForEach-Object {
            [ordered]@{
                line    = $_.Extent.StartLineNumber
                column  = $_.Extent.StartColumnNumber
                message = $_.Message
            }
        })
}
ConvertTo-Json -InputObject $result -Depth 5 -Compress
