# Pester 5 tests for Fleetform.Runtime. Run on PowerShell 7 (Linux build host); the module targets
# Windows PowerShell 5.1 as well. All test code lives in BeforeAll/BeforeEach/It/AfterAll.

BeforeAll {
    $script:ModuleName = 'Fleetform.Runtime'
    # The module as npm run build assembles it from stdlib/runtime/src (scripts/build-runtime.mjs).
    $script:ModuleFolder = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime'))
    $script:ManifestPath = Join-Path -Path $script:ModuleFolder -ChildPath 'Fleetform.Runtime.psd1'
    $script:ModuleFile = Join-Path -Path $script:ModuleFolder -ChildPath 'Fleetform.Runtime.psm1'
    $script:ExpectedFunctions = @(
        'Complete-FfRun',
        'Get-FfCredential',
        'Get-FfEnvironmentValue',
        'Get-FfImdsToken',
        'Get-FfInstanceId',
        'Get-FfInstanceTag',
        'Get-FfSecret',
        'Get-FfSsmParameter',
        'Import-FfModule',
        'Initialize-FfRun',
        'Invoke-FfDscResource',
        'Invoke-FfResource',
        'Invoke-FfScript',
        'Protect-FfDirectory',
        'Write-FfLog'
    )
    Import-Module -Name $script:ManifestPath -Force

    # Environment variables the runtime reads; saved here, restored in AfterAll.
    $script:SavedEnvironment = @{}
    foreach ($name in @('FLEETFORM_LOG_DIR', 'FLEETFORM_STATE_DIR', 'FLEETFORM_IMDS_ENDPOINT', 'ProgramData')) {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    function New-TestFolder {
        # A fresh folder under TestDrive (not created: the runtime creates what it needs).
        return (Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N')))
    }

    function New-TestRun {
        param(
            [string]$Mode = 'apply',
            [string]$Configuration = 'TestConfig',
            [string]$LogDir = (New-TestFolder),
            [string]$StateDir = (New-TestFolder)
        )
        return (Initialize-FfRun -Configuration $Configuration -Mode $Mode -LogDir $LogDir -StateDir $StateDir -NoConsole)
    }

    function Get-TestLogLine {
        # Every line of every monthly file in a log folder, as text.
        param([Parameter(Mandatory = $true)][string]$LogDir)
        $lines = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($file in @(Get-ChildItem -LiteralPath $LogDir -Filter '*.log' | Sort-Object -Property Name)) {
            foreach ($line in [System.IO.File]::ReadAllLines($file.FullName, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))) {
                if ($line.Length -gt 0) {
                    $lines.Add($line)
                }
            }
        }
        return $lines.ToArray()
    }

    function Get-TestLogEntry {
        # The log lines of a folder, parsed.
        param([Parameter(Mandatory = $true)][string]$LogDir)
        foreach ($line in @(Get-TestLogLine -LogDir $LogDir)) {
            ConvertFrom-Json -InputObject $line
        }
    }

    function New-HttpError {
        # An error like the one Invoke-RestMethod throws for an HTTP error status.
        param([Parameter(Mandatory = $true)][int]$Status)
        $type = 'Microsoft.PowerShell.Commands.HttpResponseException' -as [type]
        if ($null -ne $type) {
            $response = New-Object -TypeName System.Net.Http.HttpResponseMessage -ArgumentList ([System.Net.HttpStatusCode]$Status)
            return (New-Object -TypeName $type.FullName -ArgumentList ('Response status code does not indicate success: {0}.' -f $Status), $response)
        }
        $exception = New-Object -TypeName System.Net.WebException -ArgumentList ('The remote server returned an error: ({0}).' -f $Status)
        $exception | Add-Member -NotePropertyName 'Response' -NotePropertyValue ([pscustomobject]@{ StatusCode = $Status }) -Force
        return $exception
    }

    function Get-GuardPath {
        param([Parameter(Mandatory = $true)][string]$StateDir)
        return (Join-Path -Path $StateDir -ChildPath 'reboot-guard.json')
    }

    function Reset-ImdsCache {
        InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock {
            $script:FfImdsToken = $null
            $script:FfImdsTokenExpiresUtc = [DateTime]::MinValue
            $script:FfInstanceId = $null
        }
    }
}

AfterAll {
    foreach ($name in @($script:SavedEnvironment.Keys)) {
        [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
    }
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'Module and manifest' {
    It 'passes Test-ModuleManifest and exports exactly FunctionsToExport' {
        $manifest = Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop
        $manifest.Name | Should -Be 'Fleetform.Runtime'
        # The version of stdlib/runtime/version.ts (test/runtime/runtime.test.ts compares them).
        [string]$manifest.Version | Should -Match '^[0-9]+\.[0-9]+\.[0-9]+$'
        $manifest.Guid | Should -Be ([guid]'4f35ebf1-9635-5eae-96f3-9b02393dbd8d')
        $manifest.Author | Should -Be 'fleetform'
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        @($manifest.CompatiblePSEditions) | Should -Be @('Desktop', 'Core')
        @($manifest.ExportedFunctions.Keys | Sort-Object) | Should -Be $script:ExpectedFunctions
        @($manifest.ExportedCmdlets.Keys).Count | Should -Be 0
        @($manifest.ExportedAliases.Keys).Count | Should -Be 0
        @($manifest.ExportedVariables.Keys).Count | Should -Be 0
    }

    It 'lists FunctionsToExport sorted and equal to Export-ModuleMember in the psm1' {
        $data = Import-PowerShellDataFile -Path $script:ManifestPath
        $listed = [string[]]@($data.FunctionsToExport)
        $sorted = [string[]]@($listed)
        [Array]::Sort($sorted, [StringComparer]::Ordinal)
        $listed | Should -Be $sorted
        $listed | Should -Be $script:ExpectedFunctions
        foreach ($key in @('CmdletsToExport', 'VariablesToExport', 'AliasesToExport')) {
            $data.ContainsKey($key) | Should -BeTrue
            @($data[$key]).Count | Should -Be 0
        }
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:ModuleFile, [ref]$tokens, [ref]$errors)
        @($errors).Count | Should -Be 0
        $export = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Export-ModuleMember' }, $true))
        $export.Count | Should -Be 1
        $names = @($export[0].FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $node.StringConstantType -eq 'SingleQuoted' }, $true) | ForEach-Object { $_.Value })
        $names | Should -Be $script:ExpectedFunctions
    }

    It 'exports exactly the listed commands when imported' {
        $module = Get-Module -Name 'Fleetform.Runtime'
        @($module.ExportedCommands.Keys | Sort-Object) | Should -Be $script:ExpectedFunctions
    }

    It 'uses approved verbs (5.1 list: no Build or Deploy) for every function, public and private' {
        $approved = @(Get-Verb | ForEach-Object { $_.Verb } | Where-Object { $_ -ne 'Build' -and $_ -ne 'Deploy' })
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:ModuleFile, [ref]$tokens, [ref]$errors)
        $functions = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))
        $functions.Count | Should -BeGreaterThan 9
        foreach ($function in $functions) {
            $verb = $function.Name.Split('-')[0]
            $approved -contains $verb | Should -BeTrue -Because "$($function.Name) must use an approved verb"
        }
    }

    It 'gives every function CmdletBinding, OutputType, typed parameters and comment-based help' {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:ModuleFile, [ref]$tokens, [ref]$errors)
        foreach ($function in @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))) {
            $paramBlock = $function.Body.ParamBlock
            $paramBlock | Should -Not -BeNullOrEmpty -Because "$($function.Name) needs a param block"
            $attributeNames = @($paramBlock.Attributes | ForEach-Object { $_.TypeName.Name })
            $attributeNames | Should -Contain 'CmdletBinding' -Because "$($function.Name) needs [CmdletBinding()]"
            $attributeNames | Should -Contain 'OutputType' -Because "$($function.Name) needs [OutputType()]"
            foreach ($parameter in @($paramBlock.Parameters)) {
                $typed = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.Language.TypeConstraintAst] })
                $typed.Count | Should -BeGreaterThan 0 -Because "$($function.Name) -$($parameter.Name.VariablePath.UserPath) needs a type"
            }
            $help = $function.GetHelpContent()
            $help | Should -Not -BeNullOrEmpty -Because "$($function.Name) needs comment-based help"
            $help.Synopsis | Should -Not -BeNullOrEmpty
        }
    }

    It 'uses no syntax, escapes or parameters that Windows PowerShell 5.1 lacks' {
        $problems = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($file in @(Get-ChildItem -LiteralPath $script:ModuleFolder -File | Where-Object { $_.Extension -in @('.ps1', '.psm1', '.psd1') })) {
            $tokens = $null
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
            @($errors).Count | Should -Be 0
            $found = $ast.FindAll({
                    param($node)
                    $typeName = $node.GetType().Name
                    if ($typeName -in @('TernaryExpressionAst', 'PipelineChainAst')) { return $true }
                    if ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and [string]$node.Operator -eq 'QuestionQuestion') { return $true }
                    if ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and [string]$node.Operator -eq 'QuestionQuestionEquals') { return $true }
                    if ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { return $true }
                    if ($node -is [System.Management.Automation.Language.IndexExpressionAst] -and $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { return $true }
                    if ($node -is [System.Management.Automation.Language.ScriptBlockAst] -and $node.PSObject.Properties['CleanBlock'] -and $null -ne $node.CleanBlock) { return $true }
                    if ($node -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.VariablePath.UserPath -in @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR')) { return $true }
                    if ($node -is [System.Management.Automation.Language.CommandAst]) {
                        $name = $node.GetCommandName()
                        $parameters = @($node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })
                        if ($name -in @('ForEach-Object', '%', 'foreach') -and $parameters -contains 'Parallel') { return $true }
                        if ($name -eq 'ConvertFrom-Json' -and ($parameters -contains 'AsHashtable' -or $parameters -contains 'Depth' -or $parameters -contains 'NoEnumerate')) { return $true }
                        if ($name -eq 'ConvertTo-Json' -and -not ($parameters -contains 'Depth' -and $parameters -contains 'Compress')) { return $true }
                    }
                    return $false
                }, $true)
            foreach ($node in @($found)) {
                $problems.Add(('{0}:{1}: {2}' -f $file.Name, $node.Extent.StartLineNumber, $node.Extent.Text))
            }
            foreach ($token in @($tokens)) {
                if ($token.Kind -in @('StringExpandable', 'HereStringExpandable') -and $token.Text -match '`e|`u\{') {
                    $problems.Add(('{0}:{1}: escape not known to 5.1: {2}' -f $file.Name, $token.Extent.StartLineNumber, $token.Text))
                }
            }
        }
        @($problems) | Should -Be @()
    }

    It 'sets strict mode 3.0 at the top of the psm1' {
        $first = @(Get-Content -LiteralPath $script:ModuleFile | Where-Object { $_ -match '\S' -and $_ -notmatch '^\s*#' })[0]
        $first | Should -Be 'Set-StrictMode -Version 3.0'
    }

    It 'has no side effects on import (creates no folder)' {
        $folder = New-TestFolder
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', (Join-Path $folder 'logs'))
        [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', (Join-Path $folder 'state'))
        try {
            $info = @(Import-Module -Name $script:ManifestPath -Force -PassThru 6>&1 3>&1)
            Test-Path -LiteralPath $folder | Should -BeFalse
            @($info | Where-Object { $_ -isnot [System.Management.Automation.PSModuleInfo] }).Count | Should -Be 0
        }
        finally {
            [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', $script:SavedEnvironment['FLEETFORM_LOG_DIR'])
            [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', $script:SavedEnvironment['FLEETFORM_STATE_DIR'])
        }
    }
}

Describe 'Invoke-FfScript' {
    It 'runs the script text and returns its output' {
        Invoke-FfScript -Script '1 + 1' | Should -Be 2
        Invoke-FfScript -Script "`$x = 'a''b'; `$x" | Should -Be "a'b"
    }

    It 'lets errors of the script reach the caller' {
        { Invoke-FfScript -Script "throw 'boom'" } | Should -Throw -ExpectedMessage 'boom'
    }

    It 'accepts an empty script' {
        @(Invoke-FfScript -Script '').Count | Should -Be 0
    }
}

Describe 'Write-FfLog' {
    BeforeAll {
        $script:LogDir = New-TestFolder
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', $script:LogDir)
    }
    AfterAll {
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', $script:SavedEnvironment['FLEETFORM_LOG_DIR'])
    }

    It 'writes one JSON line with all keys in order and a UTC ISO 8601 timestamp, to the console and the file' {
        $before = [DateTime]::UtcNow
        $captured = @(Write-FfLog -Level 'INFO' -Category 'Windows' -Item 'hostname' -Step 'test' -Message 'hello' -Result 'changed' 6>&1)
        $after = [DateTime]::UtcNow
        $captured.Count | Should -Be 1
        $line = [string]$captured[0].MessageData
        $line | Should -Not -Match "[`r`n]"
        $entry = ConvertFrom-Json -InputObject $line
        @($entry.PSObject.Properties.Name) | Should -Be @('v', 'timestamp', 'computername', 'level', 'configuration', 'category', 'item', 'step', 'message', 'result', 'state')
        $line | Should -Match '"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z"'
        $timestampText = [regex]::Match($line, '"timestamp":"([^"]+)"').Groups[1].Value
        $timestamp = [DateTime]::Parse($timestampText, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
        $timestamp.Kind | Should -Be ([System.DateTimeKind]::Utc)
        $timestamp | Should -BeGreaterOrEqual $before.AddSeconds(-1)
        $timestamp | Should -BeLessOrEqual $after.AddSeconds(1)
        $expectedComputer = $env:COMPUTERNAME
        if ([string]::IsNullOrEmpty($expectedComputer)) {
            $expectedComputer = [Environment]::MachineName
        }
        $entry.computername | Should -Be $expectedComputer
        $entry.v | Should -Be 1
        $entry.v | Should -BeOfType [long]
        $entry.configuration | Should -BeNullOrEmpty
        $entry.level | Should -Be 'INFO'
        $entry.category | Should -Be 'Windows'
        $entry.item | Should -Be 'hostname'
        $entry.step | Should -Be 'test'
        $entry.message | Should -Be 'hello'
        $entry.result | Should -Be 'changed'
        @(Get-TestLogLine -LogDir $script:LogDir) | Should -Contain $line
    }

    It 'writes step and result as null when not given' {
        $captured = @(Write-FfLog -Level 'WARN' -Category 'run' -Item 'cfg' -Message 'm' 6>&1)
        $line = [string]$captured[0].MessageData
        $line | Should -Match '"step":null'
        $line | Should -Match '"result":null'
        $entry = ConvertFrom-Json -InputObject $line
        $entry.step | Should -BeNullOrEmpty
        $entry.result | Should -BeNullOrEmpty
    }

    It 'round-trips a message with quotes, backslashes, newlines, control characters and unicode' {
        $message = 'He said "hi" and it''s C:\temp\new\ file' + "`r`n" + "second line`tafter tab " + [char]0x00E9 + [char]0x00FC + ' ' + [char]0x4E2D + [char]0x6587 + ' ' + [char]::ConvertFromUtf32(0x1F600) + ' <tag> & {json}: [1,2] ' + [char]7
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'ERROR' -Category 'Windows' -Item 'x' -Step 'set' -Message $message
        $lines = @(Get-TestLogLine -LogDir $run.LogDir)
        $lines.Count | Should -Be 2
        $entry = ConvertFrom-Json -InputObject $lines[1]
        $entry.message | Should -BeExactly $message
        $entry.level | Should -Be 'ERROR'
    }

    It 'appends CRLF-terminated lines, UTF-8 without BOM, to <LogDir>/yyyyMM.log (UTC month)' {
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'DEBUG' -Category 'Windows' -Item 'a' -Message ('caf' + [char]0x00E9)
        Write-FfLog -Run $run -Level 'INFO' -Category 'Windows' -Item 'b' -Message 'two'
        $month = [DateTime]::UtcNow.ToString('yyyyMM', [System.Globalization.CultureInfo]::InvariantCulture)
        $files = @(Get-ChildItem -LiteralPath $run.LogDir -File)
        $files.Count | Should -Be 1
        $files[0].Name | Should -Be ($month + '.log')
        $bytes = [System.IO.File]::ReadAllBytes($files[0].FullName)
        ($bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse
        $text = [System.Text.Encoding]::UTF8.GetString($bytes)
        $text.EndsWith("`r`n") | Should -BeTrue
        $lines = @($text.Split(@("`r`n"), [StringSplitOptions]::RemoveEmptyEntries))
        $lines.Count | Should -Be 3
        (ConvertFrom-Json -InputObject $lines[1]).message | Should -BeExactly ('caf' + [char]0x00E9)
        (ConvertFrom-Json -InputObject $lines[2]).item | Should -Be 'b'
    }

    It 'writes nothing to the console for a run with -NoConsole' {
        $run = New-TestRun
        $captured = @(Write-FfLog -Run $run -Level 'INFO' -Category 'Windows' -Item 'a' -Message 'quiet' 6>&1)
        $captured.Count | Should -Be 0
        @(Get-TestLogLine -LogDir $run.LogDir).Count | Should -Be 2
    }

    It 'warns once and keeps going when the log file cannot be written' {
        $blocker = Join-Path -Path (New-TestFolder) -ChildPath 'blocker'
        New-Item -ItemType Directory -Path (Split-Path -Path $blocker -Parent) | Out-Null
        Set-Content -LiteralPath $blocker -Value 'a file, not a folder'
        $logDir = Join-Path -Path $blocker -ChildPath 'logs'
        $captured = @(& {
                $run = Initialize-FfRun -Configuration 'cfg' -Mode 'apply' -LogDir $logDir -StateDir (New-TestFolder)
                Write-FfLog -Run $run -Level 'INFO' -Category 'Windows' -Item 'a' -Message 'one'
                Write-FfLog -Run $run -Level 'INFO' -Category 'Windows' -Item 'b' -Message 'two'
                $null = Invoke-FfResource -Run $run -Id 'r' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
                Complete-FfRun -Run $run
            } 3>&1 6>&1)
        $warnings = @($captured | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'cannot write the log file'
        $lines = @($captured | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        $lines.Count | Should -Be 6
        $captured[-1] | Should -Be 0
    }

    It 'rejects an unknown level' {
        { Write-FfLog -Level 'TRACE' -Category 'c' -Item 'i' -Message 'm' } | Should -Throw
    }
}

Describe 'Initialize-FfRun' {
    AfterEach {
        foreach ($name in @('FLEETFORM_LOG_DIR', 'FLEETFORM_STATE_DIR', 'ProgramData')) {
            [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
        }
    }

    It 'returns a run object and writes a run start line' {
        $logDir = New-TestFolder
        $stateDir = New-TestFolder
        $run = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'Apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        $run.PSObject.TypeNames | Should -Contain 'Fleetform.Run'
        $run.Configuration | Should -Be 'EmrWorker'
        $run.Mode | Should -BeExactly 'apply'
        $run.LogDir | Should -Be $logDir
        $run.StateDir | Should -Be $stateDir
        $run.ExitCode | Should -Be 0
        $run.Results | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        $run.Results.Count | Should -Be 0
        Test-Path -LiteralPath $stateDir | Should -BeFalse
        $entries = @(Get-TestLogEntry -LogDir $logDir)
        $entries.Count | Should -Be 1
        $entries[0].category | Should -Be 'run'
        $entries[0].item | Should -Be 'EmrWorker'
        $entries[0].step | Should -Be 'start'
        $entries[0].level | Should -Be 'INFO'
        $entries[0].message | Should -Match 'mode apply'
        # The version is the manifest's, its only place.
        $version = [string](Import-PowerShellDataFile -Path $script:ManifestPath).ModuleVersion
        $version | Should -Match '^\d+\.\d+\.\d+$'
        $run.RuntimeVersion | Should -BeExactly $version
        $entries[0].message | Should -BeLike "*; Fleetform.Runtime $version; *"
    }

    It 'writes the start line to the console unless -NoConsole' {
        $captured = @(Initialize-FfRun -Configuration 'Cfg' -Mode 'monitor' -LogDir (New-TestFolder) -StateDir (New-TestFolder) 6>&1)
        @($captured | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).Count | Should -Be 1
        @($captured | Where-Object { $_.PSObject.TypeNames -contains 'Fleetform.Run' }).Count | Should -Be 1
    }

    It 'lets FLEETFORM_LOG_DIR / FLEETFORM_STATE_DIR override the defaults' {
        $logDir = New-TestFolder
        $stateDir = New-TestFolder
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', $logDir)
        [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', $stateDir)
        $run = Initialize-FfRun -Configuration 'Cfg' -Mode 'apply' -NoConsole
        $run.LogDir | Should -Be $logDir
        $run.StateDir | Should -Be $stateDir
        @(Get-TestLogLine -LogDir $logDir).Count | Should -Be 1
    }

    It 'prefers explicit parameters over the environment variables' {
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', (New-TestFolder))
        [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', (New-TestFolder))
        $logDir = New-TestFolder
        $stateDir = New-TestFolder
        $run = Initialize-FfRun -Configuration 'Cfg' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        $run.LogDir | Should -Be $logDir
        $run.StateDir | Should -Be $stateDir
    }

    It 'defaults to ProgramData\Fleetform\Logs and \State' {
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', $null)
        [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', $null)
        $programData = New-TestFolder
        [Environment]::SetEnvironmentVariable('ProgramData', $programData)
        $run = Initialize-FfRun -Configuration 'Cfg' -Mode 'apply' -NoConsole
        $run.LogDir | Should -Be ([System.IO.Path]::Combine($programData, 'Fleetform', 'Logs'))
        $run.StateDir | Should -Be ([System.IO.Path]::Combine($programData, 'Fleetform', 'State'))
    }

    It 'falls back to a temp folder where ProgramData does not exist' {
        [Environment]::SetEnvironmentVariable('FLEETFORM_STATE_DIR', $null)
        [Environment]::SetEnvironmentVariable('FLEETFORM_LOG_DIR', (New-TestFolder))
        [Environment]::SetEnvironmentVariable('ProgramData', $null)
        $run = Initialize-FfRun -Configuration 'Cfg' -Mode 'apply' -NoConsole
        $run.StateDir | Should -Be ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'Fleetform', 'State'))
    }

    It 'resolves a relative log folder to a full path' {
        $base = New-TestFolder
        New-Item -ItemType Directory -Path $base | Out-Null
        Push-Location -LiteralPath $base
        try {
            $run = Initialize-FfRun -Configuration 'Cfg' -Mode 'apply' -LogDir 'rel-logs' -StateDir 'rel-state' -NoConsole
        }
        finally {
            Pop-Location
        }
        $run.LogDir | Should -Be (Join-Path -Path $base -ChildPath 'rel-logs')
        [System.IO.Path]::IsPathRooted($run.StateDir) | Should -BeTrue
        @(Get-TestLogLine -LogDir (Join-Path -Path $base -ChildPath 'rel-logs')).Count | Should -Be 1
    }

    It 'rejects an unknown mode' {
        { Initialize-FfRun -Configuration 'Cfg' -Mode 'dryrun' -NoConsole } | Should -Throw
    }
}

Describe 'Invoke-FfResource results' {
    BeforeEach {
        $script:calls = @{ test = 0; safe = 0; set = 0; properties = 0 }
    }

    It 'in-desired-state: Set is not called, exit code 0' {
        $run = New-TestRun
        $result = @(Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' `
                -Properties { $script:calls.properties++; @{ Name = 'x' } } `
                -Test { param($p) $script:calls.test++; $p.Name -eq 'x' } `
                -Safe { param($p) $script:calls.safe++; $true } `
                -Set { param($p) $script:calls.set++ })
        $result | Should -Be @('in-desired-state')
        $result[0] | Should -BeOfType [string]
        $script:calls.properties | Should -Be 1
        $script:calls.test | Should -Be 1
        $script:calls.safe | Should -Be 0
        $script:calls.set | Should -Be 0
        $run.Results['a'] | Should -Be 'in-desired-state'
        $code = @(Complete-FfRun -Run $run)
        $code.Count | Should -Be 1
        $code[0] | Should -BeOfType [int]
        $code[0] | Should -Be 0
    }

    It 'changed: test false, safe true, set, verify true; one log line per step' {
        $run = New-TestRun
        $state = @{ value = 'old' }
        $result = Invoke-FfResource -Run $run -Id 'hostname' -Category 'Windows' -Type 'ComputerName' -DependsOn @() `
            -Properties { @{ Name = 'new' } } `
            -Test { param($p) $script:calls.test++; $state.value -eq $p.Name } `
            -Safe { param($p) $script:calls.safe++; $true } `
            -Set { param($p) $script:calls.set++; $state.value = $p.Name; 'set output that must be discarded' }
        $result | Should -Be 'changed'
        $script:calls.test | Should -Be 2
        $script:calls.safe | Should -Be 1
        $script:calls.set | Should -Be 1
        Complete-FfRun -Run $run | Should -Be 0
        $entries = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'hostname' })
        @($entries | ForEach-Object { $_.step }) | Should -Be @('properties', 'test', 'safe', 'set', 'set', 'verify')
        @($entries | Where-Object { $_.category -ne 'Windows' }).Count | Should -Be 0
        @($entries | Where-Object { $null -ne $_.result }).Count | Should -Be 1
        $entries[-1].result | Should -Be 'changed'
        $entries[-1].level | Should -Be 'INFO'
        $debug = @($entries | Where-Object { $_.level -eq 'DEBUG' -and $_.step -eq 'set' })
        $debug.Count | Should -Be 1
        $debug[0].message | Should -Match 'set output that must be discarded'
    }

    It 'runs without -Safe' {
        $run = New-TestRun
        $state = @{ done = $false }
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $state.done } -Set { param($p) $state.done = $true } | Should -Be 'changed'
    }

    It 'never logs property values (they may be secrets)' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{ Password = 'S3cr3t-value' } } `
            -Test { param($p) $true } -Set { param($p) }
        $text = (Get-TestLogLine -LogDir $run.LogDir) -join "`n"
        $text | Should -Not -Match 'S3cr3t-value'
        $text | Should -Match 'Password'
    }

    It 'blocked: safe false, Set not called, exit code 0' {
        $run = New-TestRun
        $result = Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $false } `
            -Safe { param($p) $script:calls.safe++; $false } `
            -Set { param($p) $script:calls.set++ }
        $result | Should -Be 'blocked'
        $script:calls.set | Should -Be 0
        $script:calls.test | Should -Be 1
        Complete-FfRun -Run $run | Should -Be 0
        $last = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' })[-1]
        $last.level | Should -Be 'WARN'
        $last.step | Should -Be 'safe'
        $last.result | Should -Be 'blocked'
    }

    It 'verify failing: failed, exit code 20' {
        $run = New-TestRun
        $result = Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) $script:calls.set++ }
        $result | Should -Be 'failed'
        $script:calls.set | Should -Be 1
        $run.Resources['a'].ExitCode | Should -Be 20
        $run.Resources['a'].Step | Should -Be 'verify'
        $run.Resources['a'].Message | Should -Match 'verify failed: still not in desired state after set'
        Complete-FfRun -Run $run | Should -Be 20
        $last = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' })[-1]
        $last.level | Should -Be 'ERROR'
        $last.result | Should -Be 'failed'
    }

    It 'set throwing: failed, exit code 20, message logged' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) throw 'access denied to the thing' } | Should -Be 'failed'
        $run.Resources['a'].ExitCode | Should -Be 20
        $last = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' })[-1]
        $last.step | Should -Be 'set'
        $last.message | Should -Match 'access denied to the thing'
    }

    It 'set writing a non-terminating error: failed, exit code 20' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) Write-Error -Message 'could not set it' } | Should -Be 'failed'
        $run.Resources['a'].ExitCode | Should -Be 20
        $run.Resources['a'].Message | Should -Match 'could not set it'
    }

    It 'test throwing: failed, exit code 22, the error message in the log line' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) throw 'registry key is unreadable' } -Set { param($p) $script:calls.set++ } | Should -Be 'failed'
        $script:calls.set | Should -Be 0
        $run.Resources['a'].ExitCode | Should -Be 22
        Complete-FfRun -Run $run | Should -Be 22
        $last = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' })[-1]
        $last.step | Should -Be 'test'
        $last.message | Should -Match 'test threw: registry key is unreadable'
    }

    It 'test returning <Description>: failed, exit code 22' -ForEach @(
        @{ Description = 'a string'; Block = { param($p) 'True' }; Pattern = 'System.String' }
        @{ Description = 'nothing'; Block = { param($p) }; Pattern = 'returned nothing' }
        @{ Description = 'null'; Block = { param($p) $null }; Pattern = 'null' }
        @{ Description = 'two bools'; Block = { param($p) $true; $true }; Pattern = '2 values' }
        @{ Description = 'an int'; Block = { param($p) 1 }; Pattern = 'System.Int32' }
    ) {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } -Test $Block -Set { param($p) $script:calls.set++ } | Should -Be 'failed'
        $script:calls.set | Should -Be 0
        $run.Resources['a'].ExitCode | Should -Be 22
        $run.Resources['a'].Message | Should -Match 'expected exactly one \[bool\]'
        $run.Resources['a'].Message | Should -Match $Pattern
        Complete-FfRun -Run $run | Should -Be 22
    }

    It 'test writing a non-terminating error: failed, exit code 22' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) Write-Error -Message 'half broken'; $true } -Set { param($p) } | Should -Be 'failed'
        $run.Resources['a'].ExitCode | Should -Be 22
        $run.Resources['a'].Message | Should -Match 'half broken'
    }

    It 'properties throwing or not returning one dictionary: failed, exit code 22' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { throw 'no value' } `
            -Test { param($p) $script:calls.test++; $true } -Set { param($p) } | Should -Be 'failed'
        Invoke-FfResource -Run $run -Id 'b' -Category 'Windows' -Type 'T' -Properties { 'not a hashtable' } `
            -Test { param($p) $script:calls.test++; $true } -Set { param($p) } | Should -Be 'failed'
        Invoke-FfResource -Run $run -Id 'c' -Category 'Windows' -Type 'T' -Properties { [ordered]@{ A = 1 } } `
            -Test { param($p) $script:calls.test++; $p.A -eq 1 } -Set { param($p) } | Should -Be 'in-desired-state'
        $script:calls.test | Should -Be 1
        $run.Resources['a'].ExitCode | Should -Be 22
        $run.Resources['a'].Step | Should -Be 'properties'
        $run.Resources['b'].ExitCode | Should -Be 22
        $run.Resources['b'].Message | Should -Match 'hashtable'
    }

    It 'safe throwing or returning a non-bool: failed, exit code 22, Set not called' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Safe { param($p) throw 'cannot tell' } -Set { param($p) $script:calls.set++ } | Should -Be 'failed'
        Invoke-FfResource -Run $run -Id 'b' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Safe { param($p) 'yes' } -Set { param($p) $script:calls.set++ } | Should -Be 'failed'
        $script:calls.set | Should -Be 0
        $run.Resources['a'].ExitCode | Should -Be 22
        $run.Resources['a'].Step | Should -Be 'safe'
        $run.Resources['b'].ExitCode | Should -Be 22
    }

    It 'keeps running after a failure; dependants of failed and blocked resources are skipped' {
        $run = New-TestRun
        $log = New-Object -TypeName System.Collections.Generic.List[string]
        $results = [ordered]@{}
        $results['broken'] = Invoke-FfResource -Run $run -Id 'broken' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) throw 'boom' } -Set { param($p) $log.Add('broken.set') }
        $results['blocker'] = Invoke-FfResource -Run $run -Id 'blocker' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Safe { param($p) $false } -Set { param($p) $log.Add('blocker.set') }
        $results['needs-broken'] = Invoke-FfResource -Run $run -Id 'needs-broken' -Category 'Apps' -Type 'T' -DependsOn @('broken') `
            -Properties { $log.Add('needs-broken.properties'); @{} } -Test { param($p) $log.Add('needs-broken.test'); $false } -Set { param($p) $log.Add('needs-broken.set') }
        $results['needs-blocker'] = Invoke-FfResource -Run $run -Id 'needs-blocker' -Category 'Apps' -Type 'T' -DependsOn @('blocker') `
            -Properties { @{} } -Test { param($p) $log.Add('needs-blocker.test'); $false } -Set { param($p) $log.Add('needs-blocker.set') }
        $results['transitive'] = Invoke-FfResource -Run $run -Id 'transitive' -Category 'Apps' -Type 'T' -DependsOn @('needs-broken') `
            -Properties { @{} } -Test { param($p) $log.Add('transitive.test'); $false } -Set { param($p) $log.Add('transitive.set') }
        $state = @{ done = $false }
        $results['independent'] = Invoke-FfResource -Run $run -Id 'independent' -Category 'Apps' -Type 'T' `
            -Properties { @{} } -Test { param($p) $state.done } -Set { param($p) $log.Add('independent.set'); $state.done = $true }
        $results['independent-dependant'] = Invoke-FfResource -Run $run -Id 'independent-dependant' -Category 'Apps' -Type 'T' -DependsOn @('independent') `
            -Properties { @{} } -Test { param($p) $true } -Set { param($p) }

        @($results.Values) | Should -Be @('failed', 'blocked', 'skipped', 'skipped', 'skipped', 'changed', 'in-desired-state')
        @($run.Results.Keys) | Should -Be @('broken', 'blocker', 'needs-broken', 'needs-blocker', 'transitive', 'independent', 'independent-dependant')
        @($log) | Should -Be @('independent.set')
        $run.Resources['needs-broken'].ExitCode | Should -Be 11
        $run.Resources['transitive'].ExitCode | Should -Be 11
        $run.Resources['needs-blocker'].ExitCode | Should -Be 0
        $run.Resources['needs-broken'].Message | Should -Match "dependency 'broken' is failed"
        $run.Resources['needs-blocker'].Message | Should -Match "dependency 'blocker' is blocked"
        $skipLine = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'needs-broken' })
        $skipLine.Count | Should -Be 1
        $skipLine[0].level | Should -Be 'WARN'
        $skipLine[0].step | Should -Be 'dependencies'
        $skipLine[0].result | Should -Be 'skipped'
        $skipLine[0].category | Should -Be 'Apps'
        # The root cause's code (22 for 'broken') wins over 11 (skipped because a dependency failed).
        Complete-FfRun -Run $run | Should -Be 22
    }

    It 'skipped only because of a blocked dependency: exit code 0' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'blocker' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $false } -Safe { param($p) $false } -Set { param($p) }
        Invoke-FfResource -Run $run -Id 'dependant' -Category 'Windows' -Type 'T' -DependsOn @('blocker') -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) $script:calls.set++ } | Should -Be 'skipped'
        $script:calls.set | Should -Be 0
        Complete-FfRun -Run $run | Should -Be 0
    }

    It 'monitor mode: drifted, Safe and Set never called, exit code 0; drifted dependencies do not skip' {
        $run = New-TestRun -Mode 'monitor'
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $false } -Safe { param($p) $script:calls.safe++; $true } -Set { param($p) $script:calls.set++ } | Should -Be 'drifted'
        Invoke-FfResource -Run $run -Id 'b' -Category 'Windows' -Type 'T' -DependsOn @('a') -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $true } -Set { param($p) $script:calls.set++ } | Should -Be 'in-desired-state'
        Invoke-FfResource -Run $run -Id 'c' -Category 'Windows' -Type 'T' -DependsOn @('a') -Reboot 'after-set' -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $false } -Set { param($p) $script:calls.set++ } | Should -Be 'drifted'
        $script:calls.test | Should -Be 3
        $script:calls.safe | Should -Be 0
        $script:calls.set | Should -Be 0
        Test-Path -LiteralPath (Get-GuardPath -StateDir $run.StateDir) | Should -BeFalse
        Complete-FfRun -Run $run | Should -Be 0
        $last = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' })[-1]
        $last.result | Should -Be 'drifted'
        $last.level | Should -Be 'WARN'
        $summary = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $summary.result | Should -Be 'drifted'
    }

    It 'monitor mode: a dependant whose test fails past a drifted dependency is skipped (exit code 0), one without such a dependency fails' {
        $run = New-TestRun -Mode 'monitor'
        Invoke-FfResource -Run $run -Id 'feature' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) } | Should -Be 'drifted'
        Invoke-FfResource -Run $run -Id 'pool' -Category 'Windows' -Type 'T' -DependsOn @('feature') -Properties { @{} } `
            -Test { param($p) throw 'the module WebAdministration is not installed' } -Set { param($p) $script:calls.set++ } | Should -Be 'skipped'
        $run.Resources['pool'].ExitCode | Should -Be 0
        $run.Resources['pool'].Message | Should -BeLike "skipped: dependency 'feature' is drifted, and without it the test step failed: test threw: the module WebAdministration is not installed*"
        Complete-FfRun -Run $run | Should -Be 0
        $script:calls.set | Should -Be 0
        $other = New-TestRun -Mode 'monitor'
        Invoke-FfResource -Run $other -Id 'pool' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) throw 'x' } -Set { param($p) } | Should -Be 'failed'
        Complete-FfRun -Run $other | Should -Be 22
    }

    It 'monitor mode: a failed dependency still skips its dependants' {
        $run = New-TestRun -Mode 'monitor'
        $null = Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) throw 'x' } -Set { param($p) }
        Invoke-FfResource -Run $run -Id 'b' -Category 'Windows' -Type 'T' -DependsOn @('a') -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $true } -Set { param($p) } | Should -Be 'skipped'
        $script:calls.test | Should -Be 0
        Complete-FfRun -Run $run | Should -Be 22
    }

    It 'a duplicate id or an unknown dependency is an internal error (50)' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) } | Should -Be 'failed'
        $run.Resources['a'].ExitCode | Should -Be 50
        Invoke-FfResource -Run $run -Id 'b' -Category 'Windows' -Type 'T' -DependsOn @('nope') -Properties { @{} } `
            -Test { param($p) $script:calls.test++; $true } -Set { param($p) } | Should -Be 'failed'
        $script:calls.test | Should -Be 0
        $run.Resources['b'].ExitCode | Should -Be 50
        $run.Resources['b'].Message | Should -Match "'nope'"
        Complete-FfRun -Run $run | Should -Be 50
    }

    It 'treats native-program stderr in Set as output, not as an error' {
        $shell = @(Get-Command -Name 'sh' -CommandType Application -ErrorAction SilentlyContinue)[0]
        if ($null -eq $shell) {
            Set-ItResult -Skipped -Because 'no sh on this host'
            return
        }
        $run = New-TestRun
        $state = @{ done = $false }
        Invoke-FfResource -Run $run -Id 'a' -Category 'Windows' -Type 'T' -Properties { @{} } `
            -Test { param($p) $state.done } -Set { param($p) & $shell.Source -c 'echo progress-on-stderr 1>&2'; $state.done = $true } | Should -Be 'changed'
        $debug = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'a' -and $_.level -eq 'DEBUG' -and $_.step -eq 'set' })
        $debug.Count | Should -Be 1
        $debug[0].message | Should -Match 'progress-on-stderr'
    }
}

Describe 'Reboot guard' {
    BeforeEach {
        $script:calls = @{ set = 0 }
    }

    It 'requests a reboot once (3010), refuses a second one (21), and clears the record once in desired state' {
        $stateDir = New-TestFolder
        $logDir = New-TestFolder
        $resource = @{
            Id         = 'hostname'
            Category   = 'Windows'
            Type       = 'ComputerName'
            Reboot     = 'after-set'
            Properties = { @{ Name = 'web01' } }
            Set        = { param($p) $script:calls.set++ }
        }

        # First run: not in desired state -> set -> reboot-pending, guard written, no verify.
        $run1 = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        $script:testCalls = 0
        Invoke-FfResource -Run $run1 @resource -Test { param($p) $script:testCalls++; $false } | Should -Be 'reboot-pending'
        $script:testCalls | Should -Be 1
        $script:calls.set | Should -Be 1
        Complete-FfRun -Run $run1 | Should -Be 3010
        $guardPath = Get-GuardPath -StateDir $stateDir
        Test-Path -LiteralPath $guardPath | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($guardPath)
        ($bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse
        $guardText = [System.IO.File]::ReadAllText($guardPath)
        $guardText | Should -Match '"configuration":"EmrWorker"'
        $guardText | Should -Match '"id":"hostname"'
        $guardText | Should -Match '"requestedUtc":"\d{4}-\d\d-\d\dT[^"]+Z"'
        $guard = ConvertFrom-Json -InputObject $guardText
        @($guard.entries).Count | Should -Be 1
        $last = @(Get-TestLogEntry -LogDir $logDir | Where-Object { $_.item -eq 'hostname' })[-1]
        $last.result | Should -Be 'reboot-pending'
        $last.step | Should -Be 'set'

        # Second run after the reboot: still not in desired state -> failed 21, no second set, no reboot.
        $run2 = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        Invoke-FfResource -Run $run2 @resource -Test { param($p) $false } | Should -Be 'failed'
        $script:calls.set | Should -Be 1
        $run2.Resources['hostname'].ExitCode | Should -Be 21
        $run2.Resources['hostname'].Message | Should -Match 'still not in desired state after the reboot requested for it at \d{4}-\d\d-\d\dT.+Z; not rebooting again'
        Complete-FfRun -Run $run2 | Should -Be 21
        Test-Path -LiteralPath $guardPath | Should -BeTrue

        # A third run, same situation: still refused (the record stays until the test passes).
        $run3 = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        Invoke-FfResource -Run $run3 @resource -Test { param($p) $false } | Should -Be 'failed'
        $script:calls.set | Should -Be 1
        Complete-FfRun -Run $run3 | Should -Be 21

        # Fixed by hand: the test passes -> in-desired-state and the record is cleared.
        $run4 = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        Invoke-FfResource -Run $run4 @resource -Test { param($p) $true } | Should -Be 'in-desired-state'
        Complete-FfRun -Run $run4 | Should -Be 0
        Test-Path -LiteralPath $guardPath | Should -BeFalse
        $run4.Resources['hostname'].Message | Should -Match 'cleared'

        # Later drift: a reboot may be requested again.
        $run5 = Initialize-FfRun -Configuration 'EmrWorker' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole
        Invoke-FfResource -Run $run5 @resource -Test { param($p) $false } | Should -Be 'reboot-pending'
        $script:calls.set | Should -Be 2
        Complete-FfRun -Run $run5 | Should -Be 3010
    }

    It 'keys the record by configuration and id' {
        $stateDir = New-TestFolder
        $common = @{ Category = 'Windows'; Type = 'T'; Reboot = 'after-set'; Properties = { @{} }; Test = { param($p) $false }; Set = { param($p) $script:calls.set++ } }
        $runA = New-TestRun -Configuration 'A' -StateDir $stateDir
        Invoke-FfResource -Run $runA -Id 'x' @common | Should -Be 'reboot-pending'
        $runB = New-TestRun -Configuration 'B' -StateDir $stateDir
        Invoke-FfResource -Run $runB -Id 'x' @common | Should -Be 'reboot-pending'
        Invoke-FfResource -Run $runB -Id 'y' @common | Should -Be 'reboot-pending'
        $script:calls.set | Should -Be 3
        $guard = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText((Get-GuardPath -StateDir $stateDir)))
        @($guard.entries).Count | Should -Be 3
        $runA2 = New-TestRun -Configuration 'A' -StateDir $stateDir
        Invoke-FfResource -Run $runA2 -Id 'x' @common | Should -Be 'failed'
        Invoke-FfResource -Run $runA2 -Id 'y' @common | Should -Be 'reboot-pending'
    }

    It 'does not reboot when the resource is blocked, and dependants of a reboot-pending resource wait (3010)' {
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'r' -Category 'Windows' -Type 'T' -Reboot 'after-set' -Properties { @{} } `
            -Test { param($p) $false } -Safe { param($p) $false } -Set { param($p) $script:calls.set++ } | Should -Be 'blocked'
        Test-Path -LiteralPath (Get-GuardPath -StateDir $run.StateDir) | Should -BeFalse
        Invoke-FfResource -Run $run -Id 'rename' -Category 'Windows' -Type 'T' -Reboot 'after-set' -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) $script:calls.set++ } | Should -Be 'reboot-pending'
        Invoke-FfResource -Run $run -Id 'after-rename' -Category 'Apps' -Type 'T' -DependsOn @('rename') -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) $script:calls.set++ } | Should -Be 'skipped'
        $run.Resources['after-rename'].ExitCode | Should -Be 0
        $script:calls.set | Should -Be 1
        Complete-FfRun -Run $run | Should -Be 3010
    }

    It 'fails (50) without setting when the guard file is corrupt' {
        $run = New-TestRun
        New-Item -ItemType Directory -Path $run.StateDir | Out-Null
        [System.IO.File]::WriteAllText((Get-GuardPath -StateDir $run.StateDir), '{ not json')
        Invoke-FfResource -Run $run -Id 'r' -Category 'Windows' -Type 'T' -Reboot 'after-set' -Properties { @{} } `
            -Test { param($p) $false } -Set { param($p) $script:calls.set++ } | Should -Be 'failed'
        $script:calls.set | Should -Be 0
        $run.Resources['r'].ExitCode | Should -Be 50
        $run.Resources['r'].Step | Should -Be 'reboot-guard'
    }
}

Describe 'Exit code' {
    It 'is the highest failure code recorded' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'verify' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
        $run.ExitCode | Should -Be 20
        $null = Invoke-FfResource -Run $run -Id 'throws' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) throw 'x' } -Set { param($p) }
        $run.ExitCode | Should -Be 22
        $null = Invoke-FfResource -Run $run -Id 'verify2' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
        $run.ExitCode | Should -Be 22
        Complete-FfRun -Run $run | Should -Be 22
    }

    It 'a failure beats a pending reboot' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'reboot' -Category 'W' -Type 'T' -Reboot 'after-set' -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
        $run.ExitCode | Should -Be 3010
        $null = Invoke-FfResource -Run $run -Id 'broken' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) throw 'nope' }
        Complete-FfRun -Run $run | Should -Be 20
        $summary = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $summary.category | Should -Be 'run'
        $summary.step | Should -Be 'summary'
        $summary.level | Should -Be 'ERROR'
        $summary.result | Should -Be 'failed'
        $summary.message | Should -Match 'exit code 20'
        $summary.message | Should -Match 'reboot-pending=1'
        $summary.message | Should -Match 'failed=1'
        $summary.message | Should -Match "'broken' failed \(20\)"
    }

    It 'counts every result in the summary line' {
        $run = New-TestRun
        $state = @{ done = $false }
        $null = Invoke-FfResource -Run $run -Id 'ok' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        $null = Invoke-FfResource -Run $run -Id 'chg' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $state.done } -Set { param($p) $state.done = $true }
        $null = Invoke-FfResource -Run $run -Id 'blk' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Safe { param($p) $false } -Set { param($p) }
        $null = Invoke-FfResource -Run $run -Id 'skp' -Category 'W' -Type 'T' -DependsOn @('blk') -Properties { @{} } -Test { param($p) $false } -Set { param($p) }
        Complete-FfRun -Run $run | Should -Be 0
        $summary = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $summary.level | Should -Be 'INFO'
        $summary.result | Should -Be 'ok'
        $summary.message | Should -Match 'exit code 0; 4 resources: in-desired-state=1, changed=1, drifted=0, blocked=1, skipped=1, reboot-pending=0, failed=0'
        $run.Completed | Should -BeTrue
    }

    It 'uses the code carried by a helper error (<Name>) instead of 22' -ForEach @(
        @{ Name = 'tag missing'; Status = 404; Expected = 31 }
        @{ Name = 'IMDS unreachable'; Status = 0; Expected = 30 }
    ) {
        Reset-ImdsCache
        Mock -ModuleName 'Fleetform.Runtime' Start-Sleep { }
        if ($Status -eq 0) {
            Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod { throw (New-Object -TypeName System.Net.WebException -ArgumentList 'Unable to connect to the remote server') }
        }
        else {
            Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod { throw (New-HttpError -Status 404) }
            Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Method -eq 'Put' } { 'TOKEN' }
        }
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'needs-tag' -Category 'W' -Type 'T' -Properties { @{ Name = (Get-FfInstanceTag -Key 'Name') } } `
            -Test { param($p) $true } -Set { param($p) }
        $null = Invoke-FfResource -Run $run -Id 'throws' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) throw 'x' } -Set { param($p) }
        $run.Resources['needs-tag'].Result | Should -Be 'failed'
        $run.Resources['needs-tag'].Step | Should -Be 'properties'
        $run.Resources['needs-tag'].ExitCode | Should -Be $Expected
        Complete-FfRun -Run $run | Should -Be $Expected
    }

    It 'never stops the run on an exception inside a resource' {
        $run = New-TestRun
        $results = @(
            Invoke-FfResource -Run $run -Id 'a' -Category 'W' -Type 'T' -Properties { throw 'p' } -Test { param($p) $true } -Set { param($p) }
            Invoke-FfResource -Run $run -Id 'b' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) [int]::Parse('x') } -Set { param($p) }
            Invoke-FfResource -Run $run -Id 'c' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) $null.Method() }
            Invoke-FfResource -Run $run -Id 'd' -Category 'W' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) }
        )
        $results | Should -Be @('failed', 'failed', 'failed', 'in-desired-state')
    }
}

Describe 'IMDSv2 helpers' {
    BeforeEach {
        Reset-ImdsCache
        [Environment]::SetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT', $null)
        Mock -ModuleName 'Fleetform.Runtime' Start-Sleep { }
        # Default: any request the filters below do not describe is a test failure.
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod { throw ('unexpected request: {0} {1}' -f $Method, $Uri) }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter {
            $Method -eq 'Put' -and [string]$Uri -eq 'http://169.254.169.254/latest/api/token' -and
            $Headers['X-aws-ec2-metadata-token-ttl-seconds'] -eq '21600' -and $UseBasicParsing
        } { 'TOKEN-1' }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter {
            $Method -eq 'Get' -and [string]$Uri -eq 'http://169.254.169.254/latest/meta-data/instance-id' -and
            $Headers['X-aws-ec2-metadata-token'] -eq 'TOKEN-1' -and $UseBasicParsing
        } { 'i-0123456789abcdef0' }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter {
            $Method -eq 'Get' -and [string]$Uri -eq 'http://169.254.169.254/latest/meta-data/tags/instance/Name' -and
            $Headers['X-aws-ec2-metadata-token'] -eq 'TOKEN-1'
        } { 'web01' }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter {
            $Method -eq 'Get' -and [string]$Uri -eq 'http://169.254.169.254/latest/meta-data/tags/instance/Missing'
        } { throw (New-HttpError -Status 404) }
    }
    AfterAll {
        [Environment]::SetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT', $script:SavedEnvironment['FLEETFORM_IMDS_ENDPOINT'])
    }

    It 'gets a token with PUT and the TTL header, with a 5 second timeout' {
        Get-FfImdsToken | Should -Be 'TOKEN-1'
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter {
            $Method -eq 'Put' -and $Headers['X-aws-ec2-metadata-token-ttl-seconds'] -eq '21600' -and
            ($PesterBoundParameters['TimeoutSec'] -eq 5 -or $PesterBoundParameters['ConnectionTimeoutSeconds'] -eq 5)
        }
    }

    It 'caches the token and the instance id' {
        Get-FfInstanceId | Should -Be 'i-0123456789abcdef0'
        Get-FfInstanceId | Should -Be 'i-0123456789abcdef0'
        Get-FfImdsToken | Should -Be 'TOKEN-1'
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Method -eq 'Put' }
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter {
            $Method -eq 'Get' -and [string]$Uri -like '*/instance-id' -and $Headers['X-aws-ec2-metadata-token'] -eq 'TOKEN-1'
        }
    }

    It 'requests a new token shortly before the cached one expires' {
        Get-FfImdsToken | Should -Be 'TOKEN-1'
        InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock { $script:FfImdsTokenExpiresUtc = [DateTime]::UtcNow.AddSeconds(60) }
        Get-FfImdsToken | Should -Be 'TOKEN-1'
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 2 -ParameterFilter { $Method -eq 'Put' }
    }

    It 'reads a tag with the token header' {
        Get-FfInstanceTag -Key 'Name' | Should -Be 'web01'
        Get-FfInstanceTag -Key 'Name' | Should -Be 'web01'
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 2 -ParameterFilter {
            $Method -eq 'Get' -and [string]$Uri -like '*/tags/instance/Name' -and $Headers['X-aws-ec2-metadata-token'] -eq 'TOKEN-1'
        }
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Method -eq 'Put' }
    }

    It 'throws with exit code 31 when the tag is missing (404)' {
        $caught = $null
        try {
            Get-FfInstanceTag -Key 'Missing'
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 31
        $caught.Exception.Message | Should -Match "EC2 tag 'Missing' is missing"
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { [string]$Uri -like '*/Missing' }
    }

    It 'throws with exit code 31 for a tag key that instance metadata cannot serve, without a request' {
        $caught = $null
        try {
            Get-FfInstanceTag -Key 'has space/slash'
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 31
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 0
    }

    It 'throws with exit code 30 when IMDS is unreachable, after retrying' {
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Method -eq 'Put' } {
            throw (New-Object -TypeName System.Net.WebException -ArgumentList 'The operation has timed out')
        }
        foreach ($call in @({ Get-FfInstanceTag -Key 'Name' }, { Get-FfInstanceId }, { Get-FfImdsToken })) {
            $caught = $null
            try {
                & $call
            }
            catch {
                $caught = $_
            }
            $caught | Should -Not -BeNullOrEmpty
            $caught.Exception.Data['FleetformExitCode'] | Should -Be 30
            $caught.Exception.Message | Should -Match 'instance metadata \(IMDS\) unreachable'
        }
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 9 -ParameterFilter { $Method -eq 'Put' }
        Should -Invoke Start-Sleep -ModuleName 'Fleetform.Runtime' -Exactly -Times 6
    }

    It 'throws with exit code 30 when IMDS refuses the token request' {
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Method -eq 'Put' } { throw (New-HttpError -Status 403) }
        $caught = $null
        try {
            Get-FfImdsToken
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 30
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Method -eq 'Put' }
    }

    It 'gets a new token once when a request is refused with 401' {
        Get-FfImdsToken | Should -Be 'TOKEN-1'
        InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock { $script:FfImdsToken = 'STALE' }
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { $Headers['X-aws-ec2-metadata-token'] -eq 'STALE' } { throw (New-HttpError -Status 401) }
        Get-FfInstanceId | Should -Be 'i-0123456789abcdef0'
        Should -Invoke Invoke-RestMethod -ModuleName 'Fleetform.Runtime' -Exactly -Times 2 -ParameterFilter { $Method -eq 'Put' }
    }

    It 'uses FLEETFORM_IMDS_ENDPOINT when set' {
        [Environment]::SetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT', 'http://127.0.0.1:1338/')
        Mock -ModuleName 'Fleetform.Runtime' Invoke-RestMethod -ParameterFilter { [string]$Uri -eq 'http://127.0.0.1:1338/latest/api/token' } { 'LOCAL' }
        Get-FfImdsToken | Should -Be 'LOCAL'
    }
}

Describe 'Get-FfSsmParameter and Get-FfEnvironmentValue' {
    BeforeAll {
        # AWS.Tools is not installed on the build host: a stub with the real parameter names and types.
        $script:StubbedSsm = $false
        if ($null -eq (Get-Command -Name 'Get-SSMParameter' -ErrorAction SilentlyContinue)) {
            function global:Get-SSMParameter {
                [CmdletBinding()]
                param([string]$Name, [bool]$WithDecryption, [string]$Select)
                throw 'stub: Get-SSMParameter is not installed'
            }
            $script:StubbedSsm = $true
        }
    }
    AfterAll {
        if ($script:StubbedSsm) {
            Remove-Item -LiteralPath 'Function:\Get-SSMParameter' -ErrorAction SilentlyContinue
        }
    }

    It 'returns the parameter value' {
        Mock -ModuleName 'Fleetform.Runtime' Import-Module { }
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter { [pscustomobject]@{ Name = $Name; Type = 'String'; Value = 'value-of-' + $Name } }
        Get-FfSsmParameter -Name '/fleet/app/url' | Should -Be 'value-of-/fleet/app/url'
        Should -Invoke Get-SSMParameter -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Name -eq '/fleet/app/url' -and $WithDecryption -eq $false }
        Should -Invoke Import-Module -ModuleName 'Fleetform.Runtime' -Exactly -Times 0
    }

    It 'passes -WithDecryption through' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter { [pscustomobject]@{ Name = $Name; Type = 'SecureString'; Value = 'secret' } }
        Get-FfSsmParameter -Name '/fleet/app/password' -WithDecryption | Should -Be 'secret'
        Should -Invoke Get-SSMParameter -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $WithDecryption -eq $true }
    }

    It 'throws with exit code 32 when the parameter cannot be read' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter { throw 'ParameterNotFound' }
        $caught = $null
        try {
            Get-FfSsmParameter -Name '/fleet/missing'
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 32
        $caught.Exception.Message | Should -Match "/fleet/missing"
        $caught.Exception.Message | Should -Match 'ParameterNotFound'
    }

    It 'makes the engine record 32 for a properties block that reads a missing parameter' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter { throw 'AccessDenied' }
        $run = New-TestRun
        Invoke-FfResource -Run $run -Id 'svc' -Category 'Apps' -Type 'T' -Properties { @{ Password = (Get-FfSsmParameter -Name '/x' -WithDecryption) } } `
            -Test { param($p) $true } -Set { param($p) } | Should -Be 'failed'
        Complete-FfRun -Run $run | Should -Be 32
    }

    It 'imports AWS.Tools.SimpleSystemsManagement only when Get-SSMParameter is missing (code 32 when that fails)' {
        Mock -ModuleName 'Fleetform.Runtime' Get-Command -ParameterFilter { $Name -eq 'Get-SSMParameter' } { $null }
        Mock -ModuleName 'Fleetform.Runtime' Import-Module -ParameterFilter { $Name -eq 'AWS.Tools.SimpleSystemsManagement' } { throw 'module not found' }
        $caught = $null
        try {
            Get-FfSsmParameter -Name '/x'
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 32
        $caught.Exception.Message | Should -Match 'AWS.Tools.SimpleSystemsManagement could not be imported'
        Should -Invoke Import-Module -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Name -eq 'AWS.Tools.SimpleSystemsManagement' }
    }

    It 'reads environment variables' {
        [Environment]::SetEnvironmentVariable('FLEETFORM_TEST_VALUE', 'abc')
        try {
            Get-FfEnvironmentValue -Name 'FLEETFORM_TEST_VALUE' | Should -Be 'abc'
        }
        finally {
            [Environment]::SetEnvironmentVariable('FLEETFORM_TEST_VALUE', $null)
        }
        Get-FfEnvironmentValue -Name 'FLEETFORM_TEST_VALUE' | Should -BeNullOrEmpty
    }
}
