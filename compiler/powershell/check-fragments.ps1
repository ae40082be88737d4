using namespace System.Management.Automation.Language
using namespace System.Collections.Generic
# Parses PowerShell fragments with PowerShell's own parser and links them against Windows
# PowerShell 5.1, for fleetform's build.
# Input (stdin, one line): JSON [{ "id": "...", "text": "..." }]. Output (stdout, one line): JSON
# [{ "id", "errors", "compat", "calls", "dynamic" }] for the fragments with something to say only:
# - errors: PowerShell's first syntax error ({ line, column, endLine, endColumn, text, message });
#   the errors after it are dropped (mostly consequences of the first), and so is everything else.
# - compat: what 5.1 cannot run ({ line, column, endLine, endColumn, text, message }): syntax that
#   only PowerShell 7 parses, a parameter an in-box command does not have in 5.1 (by name, alias or
#   unique prefix, as PowerShell binds it), a literal value 5.1's enum or ValidateSet refuses.
# - calls: command names that are neither 5.1 in-box commands, aliases or built-in functions, nor
#   defined in the text, nor native programs; with their named parameters ({ name, line, column,
#   endColumn, parameters: [{ name, line, column, endColumn }], splatted }). The build resolves
#   them against the module's functions, its imports and the externs.
# - dynamic: calls whose command is computed (& $cmd, . $x): not linked, reported as such.
# - definitions (only for an input marked "file": true, always returned): the functions the text
#   defines, { name, parameters }.
# - A text with a DSC Configuration statement gets one compat finding, 'a DSC Configuration statement',
#   at its keyword, and nothing else (fleetform refuses it: see the loop).
# The inventory is ps51-inventory.json next to this file (scripts/gen-ps51-inventory.mjs).
# The process starts early in the build (hiding PowerShell's start-up) and waits here for its input.
$ErrorActionPreference = 'Stop'
[Console]::InputEncoding = [System.Text.UTF8Encoding]::new($false)
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)

# System.Text.Json, not ConvertFrom-Json: the inventory is read in milliseconds, and a command's
# parameter table is built only when a fragment calls it.
$ignoreCase = [System.StringComparer]::OrdinalIgnoreCase
$json = [System.IO.File]::ReadAllText((Join-Path $PSScriptRoot 'ps51-inventory.json'))
$inventory = [System.Text.Json.JsonDocument]::Parse($json).RootElement
function Read-Json([System.Text.Json.JsonElement]$element, [type]$type) { return [System.Text.Json.JsonSerializer]::Deserialize($element.GetRawText(), $type) }
$inbox = [Dictionary[string, System.Text.Json.JsonElement]]::new((Read-Json $inventory.GetProperty('commands') ([Dictionary[string, System.Text.Json.JsonElement]])), $ignoreCase)
$aliases = [Dictionary[string, string]]::new((Read-Json $inventory.GetProperty('aliases') ([Dictionary[string, string]])), $ignoreCase)
$builtins = [HashSet[string]]::new([string[]](Read-Json $inventory.GetProperty('builtinFunctions') ([string[]])), $ignoreCase)
$native = [HashSet[string]]::new([string[]](Read-Json $inventory.GetProperty('native') ([string[]])), $ignoreCase)
$enums = [Dictionary[string, string[]]]::new((Read-Json $inventory.GetProperty('enums') ([Dictionary[string, string[]]])), $ignoreCase)
$valueSets = [Dictionary[string, string[]]]::new((Read-Json $inventory.GetProperty('valueSets') ([Dictionary[string, string[]]])), $ignoreCase)
$common = [Dictionary[string, string]]::new($ignoreCase)
foreach ($p in (Read-Json $inventory.GetProperty('commonParameters') ([Dictionary[string, string]])).GetEnumerator()) { $common[$p.Key] = $p.Key; $common[$p.Value] = $p.Key }
# Parameter tables are built on a command's first use: name or alias -> parameter.
$tables = [Dictionary[string, object]]::new($ignoreCase)

# An AST visitor in .NET calls back into PowerShell only for the nodes below (not per node).
class Collector : AstVisitor2 {
    [List[CommandAst]] $Commands = [List[CommandAst]]::new()
    [HashSet[string]] $Defined = [HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    [List[Ast]] $Seven = [List[Ast]]::new()
    [AstVisitAction] VisitCommand([CommandAst]$node) { $this.Commands.Add($node); return [AstVisitAction]::Continue }
    [List[FunctionDefinitionAst]] $Functions = [List[FunctionDefinitionAst]]::new()
    [AstVisitAction] VisitFunctionDefinition([FunctionDefinitionAst]$node) { [void]$this.Defined.Add($node.Name); $this.Functions.Add($node); return [AstVisitAction]::Continue }
    [AstVisitAction] VisitTernaryExpression([TernaryExpressionAst]$node) { $this.Seven.Add($node); return [AstVisitAction]::Continue }
    [AstVisitAction] VisitPipelineChain([PipelineChainAst]$node) { $this.Seven.Add($node); return [AstVisitAction]::Continue }
    [AstVisitAction] VisitBinaryExpression([BinaryExpressionAst]$node) { if ([string]$node.Operator -eq 'QuestionQuestion') { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitAssignmentStatement([AssignmentStatementAst]$node) { if ([string]$node.Operator -eq 'QuestionQuestionEquals') { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitMemberExpression([MemberExpressionAst]$node) { if ($node.NullConditional) { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitInvokeMemberExpression([InvokeMemberExpressionAst]$node) { if ($node.NullConditional) { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitIndexExpression([IndexExpressionAst]$node) { if ($node.NullConditional) { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitScriptBlock([ScriptBlockAst]$node) { if ($null -ne $node.CleanBlock) { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
    [AstVisitAction] VisitPipeline([PipelineAst]$node) { if ($node.Background) { $this.Seven.Add($node) }; return [AstVisitAction]::Continue }
}

function Get-SevenOnlySyntax([Ast]$node) {
    switch ($node.GetType().Name) {
        'TernaryExpressionAst' { return 'the ternary operator ?: (PowerShell 7)' }
        'PipelineChainAst' { return '&& / || between pipelines (PowerShell 7)' }
        'ScriptBlockAst' { return 'a clean {} block (PowerShell 7.3)' }
        'PipelineAst' { return 'a trailing & background operator (PowerShell 6)' }
        default { return '?? / ??= / ?. (PowerShell 7)' }
    }
}

# name or alias (lower-case key) -> the parameter it binds, for an in-box command; also the
# parameters' value kinds ('' any, 'switch', an enum or a ValidateSet name).
function Get-ParameterTable([string]$name) {
    $table = $null
    if ($tables.TryGetValue($name, [ref]$table)) { return $table }
    $command = $inbox[$name]
    $names = [Dictionary[string, string]]::new($ignoreCase)
    $kinds = [Dictionary[string, string]]::new((Read-Json $command.GetProperty('parameters') ([Dictionary[string, string]])), $ignoreCase)
    foreach ($key in $kinds.Keys) { $names[$key] = $key }
    $element = [System.Text.Json.JsonElement]::new()
    if ($command.TryGetProperty('aliases', [ref]$element)) {
        foreach ($p in (Read-Json $element ([Dictionary[string, string]])).GetEnumerator()) { if (-not $names.ContainsKey($p.Key)) { $names[$p.Key] = $p.Value } }
    }
    if ($command.TryGetProperty('common', [ref]$element)) {
        foreach ($key in $common.Keys) { if (-not $names.ContainsKey($key)) { $names[$key] = $common[$key] } }
        foreach ($key in 'ErrorAction', 'WarningAction', 'InformationAction') { $kinds[$key] = 'System.Management.Automation.ActionPreference' }
    }
    # The provider's dynamic parameters (and their aliases) bind only when the cmdlet's own do not.
    $dynamic = [HashSet[string]]::new($ignoreCase)
    if ($command.TryGetProperty('dynamic', [ref]$element)) { foreach ($p in (Read-Json $element ([string[]]))) { [void]$dynamic.Add($p) } }
    $own = [Dictionary[string, string]]::new($ignoreCase)
    foreach ($key in $names.Keys) { if (-not $dynamic.Contains($names[$key])) { $own[$key] = $names[$key] } }
    $table = @{ names = $names; own = $own; kinds = $kinds; command = [string]$name }
    $tables[$name] = $table
    return $table
}

# The parameter a written name binds to, as PowerShell binds it: exact (name or alias), else the
# one parameter whose names start with it; first among the cmdlet's own parameters, then (nothing
# matched) among all, the provider's dynamic ones too (gci -r is -Recurse, not ambiguous with the
# FileSystem provider's -ReadOnly). Returns @{ parameter } or @{ ambiguous = @(...) } or $null.
function Resolve-Parameter($table, [string]$written) {
    foreach ($names in $table.own, $table.names) {
        $exact = $null
        if ($names.TryGetValue($written, [ref]$exact)) { return @{ parameter = $exact } }
        $found = [HashSet[string]]::new($ignoreCase)
        foreach ($key in $names.Keys) {
            if ($key.StartsWith($written, [System.StringComparison]::OrdinalIgnoreCase)) { [void]$found.Add($names[$key]) }
        }
        if ($found.Count -eq 1) { return @{ parameter = @($found)[0] } }
        if ($found.Count -gt 1) { return @{ ambiguous = @($found | Sort-Object) } }
    }
    return $null
}

# Levenshtein distance, for "did you mean" (error path only).
function Get-Distance([string]$a, [string]$b) {
    $a = $a.ToLowerInvariant(); $b = $b.ToLowerInvariant()
    $previous = [int[]](0..$b.Length)
    for ($i = 1; $i -le $a.Length; $i++) {
        $current = [int[]]::new($b.Length + 1)
        $current[0] = $i
        for ($j = 1; $j -le $b.Length; $j++) {
            $cost = if ($a[$i - 1] -eq $b[$j - 1]) { 0 } else { 1 }
            $current[$j] = [Math]::Min([Math]::Min($current[$j - 1] + 1, $previous[$j] + 1), $previous[$j - 1] + $cost)
        }
        $previous = $current
    }
    return $previous[$b.Length]
}
function Get-Closest([string]$written, [string[]]$choices) {
    $best = $null; $bestDistance = [Math]::Max(2, [int]($written.Length / 3)) + 1
    foreach ($c in $choices) {
        $d = Get-Distance $written $c
        if ($d -lt $bestDistance) { $best = $c; $bestDistance = $d }
    }
    return $best
}

function New-Finding([IScriptExtent]$extent, [string]$message) {
    return [ordered]@{ line = $extent.StartLineNumber; column = $extent.StartColumnNumber; endLine = $extent.EndLineNumber; endColumn = $extent.EndColumnNumber; text = $extent.Text; message = $message }
}

# The values a literal argument may take, or $null when any: an enum's members or a ValidateSet.
function Get-AllowedValues([string]$kind) {
    if ([string]::IsNullOrEmpty($kind) -or $kind -eq 'switch') { return $null }
    $values = $null
    if ($enums.TryGetValue($kind, [ref]$values) -or $valueSets.TryGetValue($kind, [ref]$values)) { return $values }
    return $null
}
function Test-Value([string]$value, $allowed, [bool]$isEnum) {
    # An enum also takes its numeric value, and a flags enum a comma-separated list.
    $parts = if ($isEnum) { $value -split ',' } else { @($value) }
    foreach ($part in $parts) {
        $part = $part.Trim()
        if ($isEnum -and $part -match '^-?\d+$') { continue }
        if (-not ($allowed -contains $part)) { return $false }
    }
    return $true
}

# What a written parameter of an in-box command means, by "command -written" (most calls repeat):
# @{ parameter; kind } when it binds, else @{ message }.
$bindings = [Dictionary[string, object]]::new($ignoreCase)
function Get-Binding([string]$command, [string]$written) {
    $table = Get-ParameterTable $command
    $bound = Resolve-Parameter $table $written
    if ($null -eq $bound) {
        $closest = Get-Closest $written @($table.names.Keys)
        $hint = if ($closest) { "; did you mean -$($table.names[$closest])?" } else { '' }
        return @{ message = "Windows PowerShell 5.1's $command has no parameter -$written$hint" }
    }
    if ($bound.ambiguous) { return @{ message = "-$written is ambiguous for Windows PowerShell 5.1's ${command}: it could be -$($bound.ambiguous -join ', -')" } }
    return @{ parameter = $bound.parameter; allowed = (Get-AllowedValues $table.kinds[$bound.parameter]); enum = $enums.ContainsKey([string]$table.kinds[$bound.parameter]) }
}

# Findings for a call of an in-box command: unknown or ambiguous parameters, literal values its enum refuses.
function Test-InboxCall([CommandAst]$node, [string]$command, $findings) {
    $elements = $node.CommandElements
    $count = $elements.Count
    for ($i = 1; $i -lt $count; $i++) {
        $element = $elements[$i]
        if ($element -is [CommandParameterAst] -and $element.ParameterName) {
            $key = "$command -$($element.ParameterName)"
            $binding = $null
            if (-not $bindings.TryGetValue($key, [ref]$binding)) { $binding = Get-Binding $command $element.ParameterName; $bindings[$key] = $binding }
            if ($binding.message) {
                $findings.Add((New-Finding $element.Extent $binding.message))
            } elseif ($null -ne $binding.allowed) {
                $argument = $element.Argument
                if ($null -eq $argument -and $i + 1 -lt $count -and $elements[$i + 1] -isnot [CommandParameterAst]) { $argument = $elements[$i + 1]; $i++ }
                if ($argument -is [ConstantExpressionAst] -and -not (Test-Value ([string]$argument.Value) $binding.allowed $binding.enum)) {
                    $value = [string]$argument.Value
                    $closest = Get-Closest $value @($binding.allowed)
                    $hint = if ($closest) { "; did you mean $closest?" } else { '' }
                    $findings.Add((New-Finding $argument.Extent "Windows PowerShell 5.1's $command does not take '$value' for -$($binding.parameter) (it takes $($binding.allowed -join ', '))$hint"))
                }
            }
        }
    }
}

$escapeHint = [regex]::new('`e|`u\{', 'IgnoreCase')
$extension = [regex]::new('\.[A-Za-z0-9_]+$')
$program = [regex]::new('[\\/][^\\/$]+\.(exe|com|cmd|bat)$', 'IgnoreCase')
$results = [List[object]]::new()
# One line of fragments; a second line may follow with whole generated files (parse-files.ps1).
$fragments = @([Console]::In.ReadLine() | Where-Object { $_ } | ConvertFrom-Json)
foreach ($fragment in $fragments) {
    $text = [string]$fragment.text
    $tokens = $null
    $errors = $null
    $ast = [Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
    # A DSC Configuration statement is refused, found by its keyword (before the errors: on Linux
    # PowerShell cannot load DSC's schema store to parse one, and reports that, with a .NET stack
    # trace, as a parse error; on Windows it parses): fleetform writes the DSC documents itself.
    if ($text.IndexOf('configuration', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
        $keyword = $null
        foreach ($token in $tokens) { if ($token.Kind -eq [TokenKind]::Configuration) { $keyword = $token; break } }
        if ($keyword) {
            $results.Add([ordered]@{ id = [string]$fragment.id; errors = @(); compat = @(New-Finding $keyword.Extent 'a DSC Configuration statement'); calls = @(); dynamic = @() })
            continue
        }
    }
    if (@($errors).Count -gt 0) {
        # The first error only: the parser's later errors are mostly consequences of it.
        $first = @($errors | Sort-Object { $_.Extent.StartOffset })[0]
        $results.Add([ordered]@{ id = [string]$fragment.id; errors = @(New-Finding $first.Extent $first.Message); compat = @(); calls = @(); dynamic = @() })
        continue
    }
    $collector = [Collector]::new()
    $ast.Visit($collector)
    $compat = [List[object]]::new()
    $calls = [List[object]]::new()
    $dynamic = [List[object]]::new()
    foreach ($node in $collector.Seven) { $compat.Add((New-Finding $node.Extent (Get-SevenOnlySyntax $node))) }
    foreach ($node in $collector.Commands) {
        $first = $node.CommandElements[0]
        $name = if ($first -is [StringConstantExpressionAst]) { $first.Value } else { $null }
        if ([string]::IsNullOrEmpty($name)) {
            # & $cmd, . $path, & (Get-Command x), & { ... } (a script block literal is checked where it stands).
            # A quoted path to a program ("$env:windir\system32\x.exe") runs that program: not reported.
            if ($first -isnot [ScriptBlockExpressionAst] -and -not ($first -is [ExpandableStringExpressionAst] -and $program.IsMatch($first.Value))) { $dynamic.Add((New-Finding $first.Extent "$($node.InvocationOperator)")) }
            continue
        }
        if ($collector.Defined.Contains($name)) { continue }
        $target = $null
        if ($aliases.TryGetValue($name, [ref]$target)) { $name = $target }
        if ($inbox.ContainsKey($name)) { Test-InboxCall $node $name $compat; continue }
        if ($builtins.Contains($name)) { continue }
        # A program: a path, a name with an extension, or a program 5.1's Windows has (netsh, icacls).
        if ($name.Contains('\') -or $name.Contains('/') -or $extension.IsMatch($name)) { continue }
        if ($native.Contains("$name.exe") -or $native.Contains("$name.com") -or $native.Contains("$name.cmd") -or $native.Contains("$name.bat")) { continue }
        $parameters = [List[object]]::new()
        $splatted = $false
        foreach ($element in $node.CommandElements) {
            if ($element -is [CommandParameterAst]) { $parameters.Add([ordered]@{ name = $element.ParameterName; line = $element.Extent.StartLineNumber; column = $element.Extent.StartColumnNumber; endColumn = $element.Extent.EndColumnNumber; text = $element.Extent.Text }) }
            elseif ($element -is [VariableExpressionAst] -and $element.Splatted) { $splatted = $true }
        }
        $calls.Add([ordered]@{ name = $first.Value; line = $first.Extent.StartLineNumber; column = $first.Extent.StartColumnNumber; endColumn = $first.Extent.EndColumnNumber; text = $first.Extent.Text; parameters = $parameters; splatted = $splatted })
    }
    if ($escapeHint.IsMatch($text)) {
        foreach ($token in @($tokens)) {
            if ($token.Kind -in @('StringExpandable', 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
                $compat.Add((New-Finding $token.Extent 'the `e or `u{} escape (PowerShell 6; Windows PowerShell 5.1 reads it as a plain letter)'))
            }
        }
    }
    $result = [ordered]@{ id = [string]$fragment.id; errors = @(); compat = $compat; calls = $calls; dynamic = $dynamic }
    if ($fragment.file) {
        # A whole file: the functions it defines, with their parameters, for linking other files' calls.
        $result.definitions = @(foreach ($f in $collector.Functions) {
                $parameters = if ($f.Body.ParamBlock) { $f.Body.ParamBlock.Parameters } else { $f.Parameters }
                [ordered]@{ name = $f.Name; parameters = @(foreach ($p in @($parameters)) { if ($p) { $p.Name.VariablePath.UserPath } }) }
            })
        $results.Add($result)
    } elseif ($compat.Count -gt 0 -or $calls.Count -gt 0 -or $dynamic.Count -gt 0) {
        $results.Add($result)
    }
}
[Console]::Out.Write((ConvertTo-Json -InputObject @($results) -Depth 6 -Compress))
[Console]::Out.Write("`n")
[Console]::Out.Flush()

# Whole generated files, when the build sends them (a separate script: see its header).
. (Join-Path -Path $PSScriptRoot -ChildPath 'parse-files.ps1')
