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
# Speed (thousands of fragments per build): the fragments are parsed as one script, each the body of
# a function of its own, and that script is walked once for commands; a fragment the one script
# cannot hold exactly (see below) is parsed alone. JSON is read and written with System.Text.Json.
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

$escapeHint = [regex]::new('`e|`u\{', 'IgnoreCase')
# Text that can hold 7-only syntax (?:, ??, ??=, ?., ?[], &&, ||, a trailing &, clean {}): only such
# fragments are walked by the Seven collector.
$sevenHint = [regex]::new('\?|&|\|\||clean', 'IgnoreCase')
$extension = [regex]::new('\.[A-Za-z0-9_]+$')
$program = [regex]::new('[\\/][^\\/$]+\.(exe|com|cmd|bat)$', 'IgnoreCase')
$json = [System.Text.Json.JsonSerializerOptions]::new()

# Commands and function definitions only (the visitor calls back into PowerShell for these nodes
# only), each with the fragment it is in: in the one script of all fragments, the fragment whose
# function (a statement of the script's own) was entered last, while the node is inside its body.
class CommandCollector : AstVisitor2 {
    [List[CommandAst]] $Commands = [List[CommandAst]]::new()
    [List[int]] $CommandOwners = [List[int]]::new()
    [List[FunctionDefinitionAst]] $Functions = [List[FunctionDefinitionAst]]::new()
    [List[int]] $FunctionOwners = [List[int]]::new()
    [NamedBlockAst] $Top
    [Dictionary[int, int]] $ByStart
    [int] $Current = -1
    [int] $End = -1
    [AstVisitAction] VisitCommand([CommandAst]$node) {
        $this.Commands.Add($node)
        $this.CommandOwners.Add($(if ($node.Extent.StartOffset -lt $this.End) { $this.Current } else { -1 }))
        return [AstVisitAction]::Continue
    }
    [AstVisitAction] VisitFunctionDefinition([FunctionDefinitionAst]$node) {
        $i = -1
        if ($null -ne $this.Top -and $node.Parent -eq $this.Top -and $this.ByStart.TryGetValue($node.Body.Extent.StartOffset, [ref]$i)) {
            $this.Current = $i
            $this.End = $node.Body.Extent.EndOffset
            return [AstVisitAction]::Continue
        }
        $this.Functions.Add($node)
        $this.FunctionOwners.Add($(if ($node.Extent.StartOffset -lt $this.End) { $this.Current } else { -1 }))
        return [AstVisitAction]::Continue
    }
}

# One line of fragments: JSON [{ id, text, file? }] (a second line may follow with whole generated files).
$line = [Console]::In.ReadLine()
$ids = [List[string]]::new(); $texts = [List[string]]::new(); $isFile = [List[bool]]::new()
if (-not [string]::IsNullOrWhiteSpace($line)) {
    $document = [System.Text.Json.JsonDocument]::Parse($line)
    $root = $document.RootElement
    $elements = if ($root.ValueKind -eq 'Array') { $root.EnumerateArray() } else { @($root) }
    $flag = [System.Text.Json.JsonElement]::new()
    foreach ($element in $elements) {
        $ids.Add($element.GetProperty('id').GetString())
        $texts.Add($element.GetProperty('text').GetString())
        $isFile.Add($element.TryGetProperty('file', [ref]$flag) -and $flag.ValueKind -eq 'True')
    }
    $document.Dispose()
}
$count = $texts.Count

# One parse for all fragments: each becomes the body of a function `__ff_<i>` in one script, on lines
# of its own. A fragment counts as parsed there only when its function's body is exactly its text
# (so the text did not close or open anything beyond itself) and no parse error falls in it; every
# other fragment (a syntax error, `using`, a text ending in a line continuation, a whole file) is
# parsed alone, as before. Positions in the one script are moved back to the fragment's own lines.
$script = [System.Text.StringBuilder]::new()
$bodyStart = [int[]]::new($count); $bodyEnd = [int[]]::new($count)
$inScript = [bool[]]::new($count)
$continued = [regex]::new('`\s*$')
for ($i = 0; $i -lt $count; $i++) {
    $text = $texts[$i]
    # (a text that may hold a DSC Configuration statement is parsed alone: see there)
    if ($isFile[$i] -or $continued.IsMatch($text) -or $text.IndexOf('configuration', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { continue }
    $inScript[$i] = $true
    $header = "function __ff_$i {"
    [void]$script.Append($header)
    $bodyStart[$i] = $script.Length - 1
    [void]$script.Append("`n").Append($text).Append("`n}")
    $bodyEnd[$i] = $script.Length
    [void]$script.Append("`n")
}
$shift = [int[]]::new($count) # subtracted from a line number of the one script
$byStart = [Dictionary[int, int]]::new()
$collector = [CommandCollector]::new()
if ($script.Length -gt 0) {
    $tokens = $null; $errors = $null
    $whole = [Parser]::ParseInput($script.ToString(), [ref]$tokens, [ref]$errors)
    for ($i = 0; $i -lt $count; $i++) { if ($inScript[$i]) { $inScript[$i] = $false; $byStart[$bodyStart[$i]] = $i } }
    foreach ($statement in $whole.EndBlock.Statements) {
        if ($statement -isnot [FunctionDefinitionAst]) { continue }
        $i = 0
        if (-not $byStart.TryGetValue($statement.Body.Extent.StartOffset, [ref]$i)) { continue }
        if ($statement.Name -ne "__ff_$i" -or $statement.Body.Extent.EndOffset -ne $bodyEnd[$i]) { continue }
        $inScript[$i] = $true
        # The text starts on the line after its function's `{`.
        $shift[$i] = $statement.Body.Extent.StartLineNumber
    }
    if (@($errors).Count -gt 0) {
        # An error inside a fragment's function: that fragment is parsed alone (for its own error).
        $confirmed = [List[int]]::new()
        for ($i = 0; $i -lt $count; $i++) { if ($inScript[$i]) { $confirmed.Add($i) } }
        $confirmedStarts = [int[]]@(foreach ($i in $confirmed) { $bodyStart[$i] })
        foreach ($e in $errors) {
            $at = $e.Extent.StartOffset
            $k = [Array]::BinarySearch($confirmedStarts, $at)
            if ($k -lt 0) { $k = (-bnot $k) - 1 }
            if ($k -ge 0 -and $at -le $bodyEnd[$confirmed[$k]]) { $inScript[$confirmed[$k]] = $false; $shift[$confirmed[$k]] = 0 }
        }
    }
    $collector.Top = $whole.EndBlock
    $collector.ByStart = $byStart
    $whole.Visit($collector)
}

# Per fragment: what it says (only fragments with something to say are returned).
$compat = [List[object][]]::new($count)
$calls = [List[object][]]::new($count)
$dynamic = [List[object][]]::new($count)
$failed = [object[]]::new($count)
$configurations = [object[]]::new($count)
$defined = [HashSet[string][]]::new($count)
$asts = [Ast[]]::new($count)
for ($i = 0; $i -lt $count; $i++) { $compat[$i] = [List[object]]::new(); $calls[$i] = [List[object]]::new(); $dynamic[$i] = [List[object]]::new(); $defined[$i] = [HashSet[string]]::new($ignoreCase) }

$workFragment = [List[int]]::new(); $workNode = [List[CommandAst]]::new()
for ($w = 0; $w -lt $collector.Commands.Count; $w++) {
    $i = $collector.CommandOwners[$w]
    if ($i -ge 0 -and $inScript[$i]) { $workFragment.Add($i); $workNode.Add($collector.Commands[$w]) }
}
for ($w = 0; $w -lt $collector.Functions.Count; $w++) {
    $i = $collector.FunctionOwners[$w]
    if ($i -ge 0 -and $inScript[$i]) { [void]$defined[$i].Add($collector.Functions[$w].Name) }
}
$functionsOf = [List[FunctionDefinitionAst][]]::new($count)

# The rest, alone: whole files, and fragments the one script could not take.
for ($i = 0; $i -lt $count; $i++) {
    if ($inScript[$i]) { continue }
    $tokens = $null; $errors = $null
    $ast = [Parser]::ParseInput($texts[$i], [ref]$tokens, [ref]$errors)
    # A DSC Configuration statement is refused, found by its keyword (before the errors: on Linux
    # PowerShell cannot load DSC's schema store to parse one, and reports that, with a .NET stack
    # trace, as a parse error; on Windows it parses): fleetform writes the DSC documents itself.
    if ($texts[$i].IndexOf('configuration', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
        $keyword = $null
        foreach ($token in $tokens) { if ($token.Kind -eq [TokenKind]::Configuration) { $keyword = $token; break } }
        if ($keyword) { $configurations[$i] = $keyword; continue }
    }
    if (@($errors).Count -gt 0) {
        # The first error only: the parser's later errors are mostly consequences of it.
        $first = @($errors | Sort-Object { $_.Extent.StartOffset })[0]
        $failed[$i] = $first
        continue
    }
    $asts[$i] = $ast
    $alone = [CommandCollector]::new()
    $ast.Visit($alone)
    foreach ($node in $alone.Commands) { $workFragment.Add($i); $workNode.Add($node) }
    foreach ($f in $alone.Functions) { [void]$defined[$i].Add($f.Name) }
    $functionsOf[$i] = $alone.Functions
}

function New-Finding([IScriptExtent]$extent, [string]$message, [int]$shift) {
    return [ordered]@{ line = $extent.StartLineNumber - $shift; column = $extent.StartColumnNumber; endLine = $extent.EndLineNumber - $shift; endColumn = $extent.EndColumnNumber; text = $extent.Text; message = $message }
}

# 7-only syntax, in the fragments whose text can hold it (a full walk of their own tree).
for ($i = 0; $i -lt $count; $i++) {
    if ($null -ne $failed[$i] -or $null -ne $configurations[$i] -or -not $sevenHint.IsMatch($texts[$i])) { continue }
    $seven = [Collector]::new()
    if ($inScript[$i]) {
        $tokens = $null; $errors = $null
        $asts[$i] = [Parser]::ParseInput($texts[$i], [ref]$tokens, [ref]$errors)
    }
    $asts[$i].Visit($seven)
    foreach ($node in $seven.Seven) { $compat[$i].Add((New-Finding $node.Extent (Get-SevenOnlySyntax $node) 0)) }
}

# Every call, in order: in-box commands are checked against 5.1, others are returned for linking.
for ($w = 0; $w -lt $workNode.Count; $w++) {
    $node = $workNode[$w]; $i = $workFragment[$w]
    $first = $node.CommandElements[0]
    $name = if ($first -is [StringConstantExpressionAst]) { $first.Value } else { $null }
    if ([string]::IsNullOrEmpty($name)) {
        # & $cmd, . $path, & (Get-Command x), & { ... } (a script block literal is checked where it stands).
        # A quoted path to a program ("$env:windir\system32\x.exe") runs that program: not reported.
        if ($first -isnot [ScriptBlockExpressionAst] -and -not ($first -is [ExpandableStringExpressionAst] -and $program.IsMatch($first.Value))) { $dynamic[$i].Add((New-Finding $first.Extent "$($node.InvocationOperator)" $shift[$i])) }
        continue
    }
    if ($defined[$i].Contains($name)) { continue }
    $target = $null
    if ($aliases.TryGetValue($name, [ref]$target)) { $name = $target }
    if ($inbox.ContainsKey($name)) {
        # An in-box command: unknown or ambiguous parameters, literal values its enum refuses.
        $elements = $node.CommandElements
        $n = $elements.Count
        for ($e = 1; $e -lt $n; $e++) {
            $element = $elements[$e]
            if ($element -isnot [CommandParameterAst] -or -not $element.ParameterName) { continue }
            $key = "$name -$($element.ParameterName)"
            $binding = $null
            if (-not $bindings.TryGetValue($key, [ref]$binding)) { $binding = Get-Binding $name $element.ParameterName; $bindings[$key] = $binding }
            if ($binding.message) {
                $compat[$i].Add((New-Finding $element.Extent $binding.message $shift[$i]))
            } elseif ($null -ne $binding.allowed) {
                $argument = $element.Argument
                if ($null -eq $argument -and $e + 1 -lt $n -and $elements[$e + 1] -isnot [CommandParameterAst]) { $argument = $elements[$e + 1]; $e++ }
                if ($argument -is [ConstantExpressionAst] -and -not (Test-Value ([string]$argument.Value) $binding.allowed $binding.enum)) {
                    $value = [string]$argument.Value
                    $closest = Get-Closest $value @($binding.allowed)
                    $hint = if ($closest) { "; did you mean $closest?" } else { '' }
                    $compat[$i].Add((New-Finding $argument.Extent "Windows PowerShell 5.1's $name does not take '$value' for -$($binding.parameter) (it takes $($binding.allowed -join ', '))$hint" $shift[$i]))
                }
            }
        }
        continue
    }
    if ($builtins.Contains($name)) { continue }
    # A program: a path, a name with an extension, or a program 5.1's Windows has (netsh, icacls).
    if ($name.Contains('\') -or $name.Contains('/') -or $extension.IsMatch($name)) { continue }
    if ($native.Contains("$name.exe") -or $native.Contains("$name.com") -or $native.Contains("$name.cmd") -or $native.Contains("$name.bat")) { continue }
    $parameters = [List[object]]::new()
    $splatted = $false
    $down = $shift[$i]
    foreach ($element in $node.CommandElements) {
        if ($element -is [CommandParameterAst]) { $parameters.Add([ordered]@{ name = $element.ParameterName; line = $element.Extent.StartLineNumber - $down; column = $element.Extent.StartColumnNumber; endColumn = $element.Extent.EndColumnNumber; text = $element.Extent.Text }) }
        elseif ($element -is [VariableExpressionAst] -and $element.Splatted) { $splatted = $true }
    }
    $calls[$i].Add([ordered]@{ name = $first.Value; line = $first.Extent.StartLineNumber - $down; column = $first.Extent.StartColumnNumber; endColumn = $first.Extent.EndColumnNumber; text = $first.Extent.Text; parameters = $parameters; splatted = $splatted })
}

$results = [List[object]]::new()
for ($i = 0; $i -lt $count; $i++) {
    $text = $texts[$i]
    if ($null -ne $configurations[$i]) {
        $results.Add([ordered]@{ id = $ids[$i]; errors = @(); compat = @(New-Finding $configurations[$i].Extent 'a DSC Configuration statement' 0); calls = @(); dynamic = @() })
        continue
    }
    if ($null -ne $failed[$i]) {
        $results.Add([ordered]@{ id = $ids[$i]; errors = @(New-Finding $failed[$i].Extent $failed[$i].Message 0); compat = @(); calls = @(); dynamic = @() })
        continue
    }
    if ($escapeHint.IsMatch($text)) {
        $tokens = $null; $errors = $null
        $null = [Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
        foreach ($token in @($tokens)) {
            if ($token.Kind -in @('StringExpandable', 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
                $compat[$i].Add((New-Finding $token.Extent 'the `e or `u{} escape (PowerShell 6; Windows PowerShell 5.1 reads it as a plain letter)' 0))
            }
        }
    }
    $result = [ordered]@{ id = $ids[$i]; errors = @(); compat = $compat[$i]; calls = $calls[$i]; dynamic = $dynamic[$i] }
    if ($isFile[$i]) {
        # A whole file: the functions it defines, with their parameters, for linking other files' calls.
        $definitions = [List[object]]::new()
        foreach ($f in $functionsOf[$i]) {
            $parameters = if ($f.Body.ParamBlock) { $f.Body.ParamBlock.Parameters } else { $f.Parameters }
            $names = [List[string]]::new()
            foreach ($p in @($parameters)) { if ($p) { $names.Add($p.Name.VariablePath.UserPath) } }
            $definitions.Add([ordered]@{ name = $f.Name; parameters = $names })
        }
        $result.definitions = $definitions
        $results.Add($result)
    } elseif ($compat[$i].Count -gt 0 -or $calls[$i].Count -gt 0 -or $dynamic[$i].Count -gt 0) {
        $results.Add($result)
    }
}
[Console]::Out.Write([System.Text.Json.JsonSerializer]::Serialize($results, [object], $json))
[Console]::Out.Write("`n")
[Console]::Out.Flush()

# Whole generated files, when the build sends them (a separate script: see its header).
. (Join-Path -Path $PSScriptRoot -ChildPath 'parse-files.ps1')
