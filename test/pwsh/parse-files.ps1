# Parses every file named in the JSON list with PowerShell's own parser and prints
# { "<path>": { "errors": [ { line, column, message } ], "compat": [ { line, text, message } ] } }
# as JSON. "compat" lists syntax that parses on PowerShell 7 but not on Windows PowerShell 5.1.
# Used by test/helpers/pwsh.ts.
param([Parameter(Mandatory = $true)][string]$ListPath)
$ErrorActionPreference = 'Stop'
$files = Get-Content -LiteralPath $ListPath -Raw -Encoding UTF8 | ConvertFrom-Json

function Find-Compat51Problem {
    param($Ast, $Tokens)
    $found = $Ast.FindAll({
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
        }, $true)
    foreach ($node in @($found)) {
        [ordered]@{ line = $node.Extent.StartLineNumber; text = $node.Extent.Text; message = "$($node.GetType().Name) is not Windows PowerShell 5.1 syntax" }
    }
    foreach ($token in @($Tokens)) {
        if ($token.Kind -in @('StringExpandable', 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
            [ordered]@{ line = $token.Extent.StartLineNumber; text = $token.Text; message = 'escape not known to 5.1' }
        }
    }
}

$result = [ordered]@{}
foreach ($file in @($files)) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    $result[$file] = [ordered]@{
        errors = @(@($errors) | ForEach-Object {
                [ordered]@{ line = $_.Extent.StartLineNumber; column = $_.Extent.StartColumnNumber; message = $_.Message }
            })
        compat = @(Find-Compat51Problem -Ast $ast -Tokens $tokens)
    }
}
ConvertTo-Json -InputObject $result -Depth 6 -Compress
