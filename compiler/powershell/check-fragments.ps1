# Parses PowerShell fragments with PowerShell's own parser, for fleetform's build.
# Input (stdin, read to the end): JSON [{ "id": "...", "text": "..." }]. Output (stdout): JSON
# [{ "id", "errors": [{ "line", "column", "message" }], "compat": [{ "line", "column", "text", "message" }] }]
# for the fragments with findings only. "compat" lists what parses on PowerShell 7 but is not
# Windows PowerShell 5.1 syntax.
# The process starts early in the build (hiding PowerShell's start-up) and waits here for its input.
$ErrorActionPreference = 'Stop'
[Console]::InputEncoding = [System.Text.UTF8Encoding]::new($false)
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
$fragments = @([Console]::In.ReadToEnd() | ConvertFrom-Json)
# The AST walk calls a script block per node, which is slow over thousands of fragments: it runs
# only on fragments holding a character or word every 7-only construct below needs.
$compatHint = [regex]::new('[?&]|\|\||Parallel|AsHashtable|Depth|NoEnumerate|clean', 'IgnoreCase')
$escapeHint = [regex]::new('`e|`u\{', 'IgnoreCase')
$results = [System.Collections.Generic.List[object]]::new()
foreach ($fragment in $fragments) {
    $text = [string]$fragment.text
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
    $compat = @()
    if ($compatHint.IsMatch($text)) {
        $compat = @($ast.FindAll({
                    param($node)
                    $typeName = $node.GetType().Name
                    if ($typeName -in @('TernaryExpressionAst', 'PipelineChainAst')) { return $true }
                    if ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and [string]$node.Operator -eq 'QuestionQuestion') { return $true }
                    if ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and [string]$node.Operator -eq 'QuestionQuestionEquals') { return $true }
                    if ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { return $true }
                    if ($node -is [System.Management.Automation.Language.IndexExpressionAst] -and $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { return $true }
                    if ($node -is [System.Management.Automation.Language.ScriptBlockAst] -and $node.PSObject.Properties['CleanBlock'] -and $null -ne $node.CleanBlock) { return $true }
                    if ($node -is [System.Management.Automation.Language.PipelineAst] -and $node.PSObject.Properties['Background'] -and $node.Background) { return $true }
                    if ($node -is [System.Management.Automation.Language.CommandAst]) {
                        $name = $node.GetCommandName()
                        $parameters = @($node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })
                        if ($name -in @('ForEach-Object', '%', 'foreach') -and $parameters -contains 'Parallel') { return $true }
                        if ($name -eq 'ConvertFrom-Json' -and ($parameters -contains 'AsHashtable' -or $parameters -contains 'Depth' -or $parameters -contains 'NoEnumerate')) { return $true }
                    }
                    return $false
                }, $true) | ForEach-Object {
                $what = switch ($_.GetType().Name) {
                    'TernaryExpressionAst' { 'the ternary operator ?: (PowerShell 7)' }
                    'PipelineChainAst' { '&& / || between pipelines (PowerShell 7)' }
                    'CommandAst' { 'a PowerShell 7 parameter (ForEach-Object -Parallel, ConvertFrom-Json -AsHashtable/-Depth/-NoEnumerate)' }
                    'ScriptBlockAst' { 'a clean {} block (PowerShell 7.3)' }
                    'PipelineAst' { 'a trailing & background operator (PowerShell 6)' }
                    default { '?? / ??= / ?. (PowerShell 7)' }
                }
                [ordered]@{ line = $_.Extent.StartLineNumber; column = $_.Extent.StartColumnNumber; text = $_.Extent.Text; message = $what }
            })
    }
    if ($escapeHint.IsMatch($text)) {
        foreach ($token in @($tokens)) {
            if ($token.Kind -in @('StringExpandable', 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
                $compat += [ordered]@{ line = $token.Extent.StartLineNumber; column = $token.Extent.StartColumnNumber; text = $token.Text; message = 'the `e or `u{} escape (PowerShell 6; Windows PowerShell 5.1 reads it as a plain letter)' }
            }
        }
    }
    if (@($errors).Count -gt 0 -or $compat.Count -gt 0) {
        $results.Add([ordered]@{
                id     = [string]$fragment.id
                errors = @(@($errors) | ForEach-Object { [ordered]@{ line = $_.Extent.StartLineNumber; column = $_.Extent.StartColumnNumber; message = $_.Message } })
                compat = $compat
            })
    }
}
[Console]::Out.Write((ConvertTo-Json -InputObject @($results) -Depth 6 -Compress))
