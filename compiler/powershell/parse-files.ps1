# Parses whole generated PowerShell files with PowerShell's own parser, for fleetform's build: a
# file fleetform wrote that PowerShell cannot parse (or a .psd1 that is not a data file) must never
# ship. Dot-sourced by check-fragments.ps1 after the fragments, in the same pwsh process.
# Input: one line of JSON [{ "path": "...", "text": "..." }] on stdin (no line: nothing to do).
# Output: one line of JSON [{ "path", "line", "column", "message", "kind": "syntax" | "data" }],
# findings only.

function Test-FfGeneratedFile {
    param([Parameter(Mandatory = $true)] [AllowEmptyCollection()] [object[]]$Files)
    $found = [System.Collections.Generic.List[object]]::new()
    foreach ($file in $Files) {
        $path = [string]$file.path
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$file.text, $path, [ref]$tokens, [ref]$errors)
        foreach ($e in @($errors)) {
            $found.Add([ordered]@{ path = $path; line = $e.Extent.StartLineNumber; column = $e.Extent.StartColumnNumber; message = $e.Message; kind = 'syntax' })
        }
        if (@($errors).Count -gt 0 -or -not $path.EndsWith('.psd1', [System.StringComparison]::OrdinalIgnoreCase)) { continue }
        # What Import-PowerShellDataFile and Import-Module accept: one hashtable of constant values.
        $statements = @($ast.EndBlock.Statements)
        $table = $null
        if ($null -eq $ast.BeginBlock -and $null -eq $ast.ProcessBlock -and $statements.Count -eq 1 -and $statements[0] -is [System.Management.Automation.Language.PipelineAst]) {
            $elements = @($statements[0].PipelineElements)
            if ($elements.Count -eq 1 -and $elements[0] -is [System.Management.Automation.Language.CommandExpressionAst] -and $elements[0].Expression -is [System.Management.Automation.Language.HashtableAst]) {
                $table = $elements[0].Expression
            }
        }
        if ($null -eq $table) {
            $found.Add([ordered]@{ path = $path; line = 1; column = 1; message = 'it is not a single hashtable'; kind = 'data' })
            continue
        }
        try {
            $null = $table.SafeGetValue()
        }
        catch {
            $found.Add([ordered]@{ path = $path; line = $table.Extent.StartLineNumber; column = $table.Extent.StartColumnNumber; message = $_.Exception.Message; kind = 'data' })
        }
    }
    return , $found.ToArray()
}

$fileLine = [Console]::In.ReadLine()
if (-not [string]::IsNullOrWhiteSpace($fileLine)) {
    # System.Text.Json, not ConvertFrom-Json/ConvertTo-Json: the files are megabytes of text.
    $document = [System.Text.Json.JsonDocument]::Parse($fileLine)
    $root = $document.RootElement
    $files = [System.Collections.Generic.List[object]]::new()
    foreach ($element in $(if ($root.ValueKind -eq 'Array') { $root.EnumerateArray() } else { @($root) })) {
        $files.Add(@{ path = $element.GetProperty('path').GetString(); text = $element.GetProperty('text').GetString() })
    }
    $document.Dispose()
    $findings = Test-FfGeneratedFile -Files $files.ToArray()
    [Console]::Out.Write([System.Text.Json.JsonSerializer]::Serialize([object[]]$findings, [object], [System.Text.Json.JsonSerializerOptions]::new()))
    [Console]::Out.Write("`n")
    [Console]::Out.Flush()
}
