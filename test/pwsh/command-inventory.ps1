# For each file (a JSON list of paths in args[0]): PowerShell's parse errors, and every command the
# file would run (CommandAst names, in source order; '<dynamic>' for `& $x`), nested script blocks and
# subexpressions in strings included; and the comment-based help of each function as PowerShell's help
# parser reads it (FunctionDefinitionAst.GetHelpContent(), what Get-Help uses): null when its comment is
# not help. Output: JSON { "<path>": { "errors": [...], "commands": [...],
# "help": { "<function>": { "synopsis", "description", "parameters": [...] } | null } } }.
param([Parameter(Mandatory = $true)] [string]$ListFile)
$ErrorActionPreference = 'Stop'
$out = [ordered]@{}
foreach ($path in @(Get-Content -LiteralPath $ListFile -Raw | ConvertFrom-Json)) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
    $commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object {
            $name = $_.GetCommandName()
            if ([string]::IsNullOrEmpty($name)) { '<dynamic>' } else { $name }
        })
    $help = [ordered]@{}
    foreach ($f in @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))) {
        $h = $f.GetHelpContent()
        $help[$f.Name] = if ($null -eq $h) { $null } else { [ordered]@{ synopsis = "$($h.Synopsis)"; description = "$($h.Description)"; parameters = @($h.Parameters.Keys | Sort-Object) } }
    }
    $out[$path] = [ordered]@{ errors = @(@($errors) | ForEach-Object { "$($_.Extent.StartLineNumber):$($_.Extent.StartColumnNumber): $($_.Message)" }); commands = $commands; help = $help }
}
[Console]::Out.Write((ConvertTo-Json -InputObject $out -Depth 5 -Compress))
