# Parses PowerShell fragments with PowerShell's own parser, for fleetform's build.
# Input (stdin, one line): JSON [{ "id": "...", "text": "..." }]. Output (stdout, one line): JSON
# [{ "id", "errors": [{ "line", "column", "message" }], "compat": [{ "line", "column", "text", "message" }] }]
# for the fragments with findings only. "compat" lists what parses on PowerShell 7 but is not
# Windows PowerShell 5.1 syntax.
# The process starts early in the build (hiding PowerShell's start-up) and waits here for its input.
$ErrorActionPreference = 'Stop'
[Console]::InputEncoding = [System.Text.UTF8Encoding]::new($false)
[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
# One line of fragments; a second line may follow with whole generated files (parse-files.ps1).
$fragments = @([Console]::In.ReadLine() | Where-Object { $_ } | ConvertFrom-Json)
# The AST walk calls a script block per node, which is slow over thousands of fragments: it runs
# only on fragments holding a character or word every 7-only construct below needs.
$compatHint = [regex]::new('[?&]|\|\||Parallel|AsHashtable|Depth|NoEnumerate|clean', 'IgnoreCase')

# Commands that Windows PowerShell 5.1 does not have, and parameters it does not have, with the
# version that added them. A parameter is matched as PowerShell matches one: its name or any
# prefix of it that no 5.1 parameter of the command (or common parameter) also starts with.
$sevenOnlyCommands = @{
    'Get-Error' = '7.0'; 'Test-Json' = '6.1'; 'Join-String' = '6.2'; 'Get-Uptime' = '6.0'; 'Remove-Alias' = '6.0'
    'Remove-Service' = '6.0'; 'ConvertFrom-Markdown' = '6.1'; 'Show-Markdown' = '6.1'; 'Get-MarkdownOption' = '6.1'; 'Set-MarkdownOption' = '6.1'
}
$common = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm', 'vb', 'db', 'ea', 'wa', 'infa', 'ev', 'wv', 'iv', 'ov', 'ob', 'pv', 'wi', 'cf')
$web51 = @('UseBasicParsing', 'Uri', 'WebSession', 'SessionVariable', 'Credential', 'UseDefaultCredentials', 'CertificateThumbprint', 'Certificate', 'UserAgent', 'DisableKeepAlive', 'TimeoutSec', 'Headers', 'MaximumRedirection', 'Method', 'Proxy', 'ProxyCredential', 'ProxyUseDefaultCredentials', 'Body', 'ContentType', 'TransferEncoding', 'InFile', 'OutFile', 'PassThru')
$web7 = @('SkipCertificateCheck', 'SkipHttpErrorCheck', 'StatusCodeVariable', 'ResponseHeadersVariable', 'Authentication', 'Token', 'SslProtocol', 'NoProxy', 'Resume', 'SkipHeaderValidation', 'Form', 'MaximumRetryCount', 'RetryIntervalSec', 'FollowRelLink', 'MaximumFollowRelLink', 'CustomMethod', 'AllowUnencryptedAuthentication', 'PreserveAuthorizationOnRedirect', 'AllowInsecureRedirect', 'HttpVersion', 'ConnectionTimeoutSeconds', 'OperationTimeoutSeconds', 'PreserveHttpMethodOnRedirect', 'UnixSocket')
$content51 = @('Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Force', 'Credential', 'UseTransaction', 'Encoding', 'Stream')
$sevenOnlyParameters = @{
    'ForEach-Object'   = @{ new = @('Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace'); old = @('Begin', 'Process', 'End', 'RemainingScripts', 'InputObject', 'MemberName', 'ArgumentList') }
    'ConvertFrom-Json' = @{ new = @('AsHashtable', 'Depth', 'NoEnumerate', 'DateKind'); old = @('InputObject') }
    'ConvertTo-Json'   = @{ new = @('AsArray', 'EscapeHandling'); old = @('InputObject', 'Depth', 'Compress') }
    'Get-Content'      = @{ new = @('AsByteStream'); old = $content51 + @('ReadCount', 'TotalCount', 'Tail', 'Delimiter', 'Wait', 'Raw', 'First', 'Head', 'Last') }
    'Set-Content'      = @{ new = @('AsByteStream'); old = $content51 + @('Value', 'PassThru', 'NoNewline') }
    'Add-Content'      = @{ new = @('AsByteStream'); old = $content51 + @('Value', 'PassThru', 'NoNewline') }
    'Invoke-WebRequest' = @{ new = $web7; old = $web51 }
    'Invoke-RestMethod' = @{ new = $web7; old = $web51 }
    'Split-Path'       = @{ new = @('LeafBase', 'Extension'); old = @('Path', 'LiteralPath', 'Parent', 'Leaf', 'Qualifier', 'NoQualifier', 'Resolve', 'Credential', 'UseTransaction', 'IsAbsolute') }
    'Select-String'    = @{ new = @('Raw', 'NoEmphasis'); old = @('InputObject', 'Pattern', 'Path', 'LiteralPath', 'SimpleMatch', 'CaseSensitive', 'Quiet', 'List', 'Include', 'Exclude', 'NotMatch', 'AllMatches', 'Encoding', 'Context') }
    'Sort-Object'      = @{ new = @('Top', 'Bottom', 'Stable'); old = @('Descending', 'Unique', 'InputObject', 'Property', 'Culture', 'CaseSensitive') }
    'Select-Object'    = @{ new = @('SkipIndex'); old = @('InputObject', 'Property', 'ExcludeProperty', 'ExpandProperty', 'Unique', 'Last', 'First', 'Skip', 'SkipLast', 'Wait', 'Index') }
    'Get-Random'       = @{ new = @('Shuffle'); old = @('SetSeed', 'Maximum', 'Minimum', 'InputObject', 'Count') }
    'Get-Date'         = @{ new = @('AsUTC', 'UnixTimeSeconds'); old = @('Date', 'Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'Millisecond', 'DisplayHint', 'UFormat', 'Format') }
    'Get-ChildItem'    = @{ new = @('FollowSymlink'); old = @('Path', 'LiteralPath', 'Filter', 'Include', 'Exclude', 'Recurse', 'Depth', 'Force', 'Name', 'UseTransaction', 'Attributes', 'Directory', 'File', 'Hidden', 'ReadOnly', 'System') }
}
$commandAliases = @{ '%' = 'ForEach-Object'; 'foreach' = 'ForEach-Object'; 'gc' = 'Get-Content'; 'type' = 'Get-Content'; 'cat' = 'Get-Content'; 'sc' = 'Set-Content'; 'ac' = 'Add-Content'; 'iwr' = 'Invoke-WebRequest'; 'curl' = 'Invoke-WebRequest'; 'wget' = 'Invoke-WebRequest'; 'irm' = 'Invoke-RestMethod'; 'sls' = 'Select-String'; 'sort' = 'Sort-Object'; 'select' = 'Select-Object'; 'gci' = 'Get-ChildItem'; 'ls' = 'Get-ChildItem'; 'dir' = 'Get-ChildItem' }
# The walk runs on fragments naming a 7-only command (or Select-String, whose 7-only -Raw is also a
# common parameter of Get-Content), or holding a parameter that starts like one of the 7-only ones.
# (Not on every fragment naming Get-Content or ForEach-Object: most do.)
$commandHint = [regex]::new('\b(' + ((@($sevenOnlyCommands.Keys) + @('Select-String', 'sls')) -join '|') + ')\b|-(pa(?!th|ss)|th|ti|as|usen|es|sk|sta|resp|au|to|ss|nop|resu|form\b|ret|fol|max|cu|allow|pre|http|conn|op|un|leafb|ext|noe|bo|sh|dep|datek)', 'IgnoreCase')

# The 7-only parameter a parameter name stands for (exact, or a prefix no 5.1 parameter shares), or $null.
function Get-SevenOnlyParameter([string]$command, [string]$parameter) {
    $table = $sevenOnlyParameters[$command]
    if ($null -eq $table -or [string]::IsNullOrEmpty($parameter)) { return $null }
    foreach ($old in @($table.old) + $common) {
        if ($old.StartsWith($parameter, [System.StringComparison]::OrdinalIgnoreCase)) { return $null }
    }
    foreach ($new in $table.new) {
        if ($new.StartsWith($parameter, [System.StringComparison]::OrdinalIgnoreCase)) { return $new }
    }
    return $null
}
$escapeHint = [regex]::new('`e|`u\{', 'IgnoreCase')
# What a command uses that 5.1 lacks, as a message, or $null.
function Get-SevenOnlyUse([System.Management.Automation.Language.CommandAst]$node) {
    $name = $node.GetCommandName()
    if ([string]::IsNullOrEmpty($name)) { return $null }
    foreach ($known in $sevenOnlyCommands.Keys) {
        if ($known -eq $name) { return "the command $known (PowerShell $($sevenOnlyCommands[$known]); Windows PowerShell 5.1 does not have it)" }
    }
    $command = $name
    if ($commandAliases.ContainsKey($name)) { $command = $commandAliases[$name] }
    foreach ($known in $sevenOnlyParameters.Keys) { if ($known -eq $command) { $command = $known } }
    foreach ($element in $node.CommandElements) {
        if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
        $parameter = Get-SevenOnlyParameter $command $element.ParameterName
        if ($null -ne $parameter) {
            $spelled = if ($parameter -eq $element.ParameterName) { '' } else { " (written -$($element.ParameterName))" }
            return "the parameter -$parameter of $command$spelled (PowerShell 6 or later; Windows PowerShell 5.1 does not have it)"
        }
    }
    return $null
}

$results = [System.Collections.Generic.List[object]]::new()
foreach ($fragment in $fragments) {
    $text = [string]$fragment.text
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
    $compat = @()
    if ($compatHint.IsMatch($text) -or $commandHint.IsMatch($text)) {
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
                        return $null -ne (Get-SevenOnlyUse $node)
                    }
                    return $false
                }, $true) | ForEach-Object {
                $found = $_
                $what = switch ($found.GetType().Name) {
                    'TernaryExpressionAst' { 'the ternary operator ?: (PowerShell 7)' }
                    'PipelineChainAst' { '&& / || between pipelines (PowerShell 7)' }
                    'CommandAst' { Get-SevenOnlyUse $found }
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
[Console]::Out.Write("`n")
[Console]::Out.Flush()

# Whole generated files, when the build sends them (a separate script: see its header).
. (Join-Path -Path $PSScriptRoot -ChildPath 'parse-files.ps1')
