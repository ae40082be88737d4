# Pester 5 tests for the secret helpers of Fleetform.Runtime (Get-FfSecret, Get-FfCredential,
# Get-FfSsmParameter -WithDecryption) and for the redaction of their values in log lines.
# AWS.Tools is not installed on the build host: Get-SECSecretValue and Get-SSMParameter are stubs
# with the real parameter names, mocked per test.

BeforeAll {
    $script:ManifestPath = [System.IO.Path]::GetFullPath((Join-Path -Path $PSScriptRoot -ChildPath '../../../lib/stdlib/runtime/Fleetform.Runtime/Fleetform.Runtime.psd1'))
    $script:SupportScript = Join-Path -Path $PSScriptRoot -ChildPath 'support/Invoke-FfTestRun.ps1'
    Import-Module -Name $script:ManifestPath -Force

    $script:Planted = 'PLANTED-s3cr3t-9f2c'
    $script:SecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/db-AbCdEf'

    $script:StubbedCommands = New-Object -TypeName System.Collections.Generic.List[string]
    if ($null -eq (Get-Command -Name 'Get-SECSecretValue' -ErrorAction SilentlyContinue)) {
        function global:Get-SECSecretValue {
            [CmdletBinding()]
            param([string]$SecretId, [string]$VersionId, [string]$VersionStage)
            throw 'stub: Get-SECSecretValue is not installed'
        }
        $script:StubbedCommands.Add('Get-SECSecretValue')
    }
    if ($null -eq (Get-Command -Name 'Get-SSMParameter' -ErrorAction SilentlyContinue)) {
        function global:Get-SSMParameter {
            [CmdletBinding()]
            param([string]$Name, [bool]$WithDecryption, [string]$Select)
            throw 'stub: Get-SSMParameter is not installed'
        }
        $script:StubbedCommands.Add('Get-SSMParameter')
    }

    function New-TestFolder {
        return (Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N')))
    }

    function New-TestRun {
        param([switch]$Console)
        $root = New-TestFolder
        $logDir = Join-Path -Path $root -ChildPath 'logs'
        $stateDir = Join-Path -Path $root -ChildPath 'state'
        if ($Console) {
            return (Initialize-FfRun -Configuration 'SecretConfig' -Mode 'apply' -LogDir $logDir -StateDir $stateDir)
        }
        return (Initialize-FfRun -Configuration 'SecretConfig' -Mode 'apply' -LogDir $logDir -StateDir $stateDir -NoConsole)
    }

    function Get-TestLogEntry {
        param([Parameter(Mandatory = $true)][string]$LogDir)
        foreach ($file in @(Get-ChildItem -LiteralPath $LogDir -Filter '*.log' | Sort-Object -Property Name)) {
            foreach ($line in [System.IO.File]::ReadAllLines($file.FullName)) {
                if ($line.Length -gt 0) {
                    ConvertFrom-Json -InputObject $line
                }
            }
        }
    }

    function Get-AllFileText {
        # The text of every file under a folder (logs, state, anything the run wrote).
        param([Parameter(Mandatory = $true)][string]$Path)
        $texts = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($file in @(Get-ChildItem -LiteralPath $Path -Recurse -File)) {
            $texts.Add([System.IO.File]::ReadAllText($file.FullName))
        }
        return $texts.ToArray()
    }

    function ConvertTo-CapturedText {
        # Everything a block wrote to any stream, as text (information records: their message).
        param([Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Captured)
        $lines = foreach ($item in $Captured) {
            if ($item -is [System.Management.Automation.InformationRecord]) {
                [string]$item.MessageData
            }
            elseif ($item -is [System.Management.Automation.ErrorRecord]) {
                $item.ToString()
                [string]$item.Exception
            }
            else {
                [string]$item
            }
        }
        return (@($lines) -join "`n")
    }

    function Get-ExceptionChainText {
        param([Parameter(Mandatory = $true)][System.Exception]$Exception)
        $parts = New-Object -TypeName System.Collections.Generic.List[string]
        $current = $Exception
        while ($null -ne $current) {
            $parts.Add($current.Message)
            $current = $current.InnerException
        }
        return ($parts -join "`n")
    }

    function Invoke-TestRunProcess {
        # Runs support/Invoke-FfTestRun.ps1 in a new process of the PowerShell running the tests.
        param([Parameter(Mandatory = $true)][hashtable]$Arguments)
        $exe = (Get-Process -Id $PID).Path
        $prefix = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
            $prefix = @([Environment]::GetCommandLineArgs()[0])
        }
        $argumentList = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($key in @($Arguments.Keys | Sort-Object)) {
            $argumentList.Add('-' + $key)
            $argumentList.Add([string]$Arguments[$key])
        }
        $stderrPath = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.stderr')
        $stdout = @(& $exe @prefix -NoLogo -NoProfile -NonInteractive -File $script:SupportScript @argumentList 2> $stderrPath)
        $code = $LASTEXITCODE
        $stderr = ''
        if (Test-Path -LiteralPath $stderrPath) {
            $stderr = [System.IO.File]::ReadAllText($stderrPath)
            Remove-Item -LiteralPath $stderrPath
        }
        return [pscustomobject]@{
            ExitCode = $code
            Stdout   = (@($stdout | ForEach-Object { [string]$_ }) -join "`n")
            Stderr   = $stderr
        }
    }

    function Reset-SecretRegistry {
        InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock {
            $script:FfSecretValues.Clear()
            $script:FfSecretValuesByLength = [string[]]@()
        }
    }
}

AfterAll {
    foreach ($name in $script:StubbedCommands) {
        Remove-Item -LiteralPath ('Function:\' + $name) -ErrorAction SilentlyContinue
    }
    Remove-Module -Name 'Fleetform.Runtime' -Force -ErrorAction SilentlyContinue
}

Describe 'Get-FfSecret' {
    BeforeEach {
        Reset-SecretRegistry
    }

    It 'returns the SecretString of Get-SECSecretValue -SecretId, without importing the module when the command exists' {
        Mock -ModuleName 'Fleetform.Runtime' Import-Module { }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ ARN = $SecretId; Name = 'fleet/db'; SecretString = 'value-of-' + $SecretId } }
        Get-FfSecret -SecretId $script:SecretArn | Should -BeExactly ('value-of-' + $script:SecretArn)
        Should -Invoke Get-SECSecretValue -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $SecretId -eq $script:SecretArn }
        Should -Invoke Import-Module -ModuleName 'Fleetform.Runtime' -Exactly -Times 0
    }

    It 'imports AWS.Tools.SecretsManager only when Get-SECSecretValue is missing (code 33 when that fails)' {
        Mock -ModuleName 'Fleetform.Runtime' Get-Command -ParameterFilter { $Name -eq 'Get-SECSecretValue' } { $null }
        Mock -ModuleName 'Fleetform.Runtime' Import-Module -ParameterFilter { $Name -eq 'AWS.Tools.SecretsManager' } { throw 'module not found' }
        $caught = $null
        try {
            Get-FfSecret -SecretId $script:SecretArn
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 33
        $caught.Exception.Message | Should -Match 'AWS.Tools.SecretsManager could not be imported'
        $caught.Exception.Message | Should -Match ([regex]::Escape($script:SecretArn))
        Should -Invoke Import-Module -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $Name -eq 'AWS.Tools.SecretsManager' }
    }

    It 'imports AWS.Tools.SecretsManager when Get-SECSecretValue is missing and then reads the secret' {
        Mock -ModuleName 'Fleetform.Runtime' Get-Command -ParameterFilter { $Name -eq 'Get-SECSecretValue' } { $null }
        Mock -ModuleName 'Fleetform.Runtime' Import-Module -ParameterFilter { $Name -eq 'AWS.Tools.SecretsManager' } { }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = 'imported-value' } }
        Get-FfSecret -SecretId 'fleet/db' | Should -BeExactly 'imported-value'
        Should -Invoke Import-Module -ModuleName 'Fleetform.Runtime' -Exactly -Times 1
    }

    It 'throws with exit code 33, naming the secret id, when the secret cannot be read' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { throw 'User is not authorized to perform: secretsmanager:GetSecretValue' }
        $caught = $null
        try {
            Get-FfSecret -SecretId $script:SecretArn
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 33
        $caught.Exception.Message | Should -Match ("cannot read Secrets Manager secret '" + [regex]::Escape($script:SecretArn) + "'")
        $caught.Exception.Message | Should -Match 'not authorized'
    }

    It 'throws with exit code 33 for <Name>' -ForEach @(
        @{ Name = 'a binary secret (no SecretString)'; Response = { [pscustomobject]@{ SecretString = $null; SecretBinary = 'AAEC' } }; Pattern = 'no SecretString' }
        @{ Name = 'an empty SecretString'; Response = { [pscustomobject]@{ SecretString = '' } }; Pattern = 'no SecretString' }
        @{ Name = 'no response'; Response = { }; Pattern = 'returned no secret value' }
    ) {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue $Response
        $caught = $null
        try {
            Get-FfSecret -SecretId 'fleet/db'
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 33
        $caught.Exception.Message | Should -Match $Pattern
        $caught.Exception.Message | Should -Match "'fleet/db'"
    }

    It 'registers the value: Write-FfLog replaces it with ***' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $script:Planted } }
        $run = New-TestRun
        $null = Get-FfSecret -SecretId 'fleet/db'
        Write-FfLog -Run $run -Level 'ERROR' -Category 'Apps' -Item 'db' -Message ('connect failed: password=' + $script:Planted + ';')
        $entry = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $entry.message | Should -BeExactly 'connect failed: password=***;'
    }
}

Describe 'Get-FfCredential' {
    BeforeEach {
        Reset-SecretRegistry
    }

    It 'returns a PSCredential with the UserName and password of the JSON secret' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = '{"Username": "CORP\\svc-emr", "Password": "p\"w\\d-PLANTED-s3cr3t-9f2c"}' } }
        $credential = Get-FfCredential -SecretId $script:SecretArn
        $credential | Should -BeOfType [System.Management.Automation.PSCredential]
        $credential.UserName | Should -BeExactly 'CORP\svc-emr'
        $credential.GetNetworkCredential().Password | Should -BeExactly ('p"w\d-' + $script:Planted)
        $credential.Password | Should -BeOfType [System.Security.SecureString]
        $credential.Password.IsReadOnly() | Should -BeTrue
        Should -Invoke Get-SECSecretValue -ModuleName 'Fleetform.Runtime' -Exactly -Times 1 -ParameterFilter { $SecretId -eq $script:SecretArn }
    }

    It 'matches the keys without regard to case and ignores other keys' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = '{"username":"admin","PASSWORD":"Adm1n-pass","engine":"sqlserver"}' } }
        $credential = Get-FfCredential -SecretId 'fleet/admin'
        $credential.UserName | Should -BeExactly 'admin'
        $credential.GetNetworkCredential().Password | Should -BeExactly 'Adm1n-pass'
    }

    It 'registers the password and the whole SecretString for redaction (the user name is not)' {
        $secretString = '{"Username":"svc-emr","Password":"' + $script:Planted + '"}'
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $secretString } }
        $null = Get-FfCredential -SecretId 'fleet/emr'
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'ERROR' -Category 'Apps' -Item 'a' -Message ('password ' + $script:Planted + ' rejected')
        Write-FfLog -Run $run -Level 'ERROR' -Category 'Apps' -Item 'b' -Message ('document ' + $secretString + ' end')
        $entries = @(Get-TestLogEntry -LogDir $run.LogDir)
        $entries[-2].message | Should -BeExactly 'password *** rejected'
        # Longest first: the whole SecretString becomes one ***, not a JSON fragment around ***.
        $entries[-1].message | Should -BeExactly 'document *** end'
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'c' -Message 'user svc-emr'
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly 'user svc-emr'
    }

    It 'throws with exit code 33, naming the secret id but not the content, for <Name>' -ForEach @(
        @{ Name = 'text that is not JSON'; Text = 'PLANTED-s3cr3t-9f2c'; Pattern = 'not a JSON object' }
        @{ Name = 'broken JSON'; Text = '{"Username": "svc", "Password": PLANTED-s3cr3t-9f2c}'; Pattern = 'not a JSON object' }
        @{ Name = 'a JSON array'; Text = '[{"Username": "svc", "Password": "PLANTED-s3cr3t-9f2c"}]'; Pattern = 'not a JSON object' }
        @{ Name = 'a JSON string'; Text = '"PLANTED-s3cr3t-9f2c"'; Pattern = 'not a JSON object' }
        @{ Name = 'a missing Password'; Text = '{"Username": "svc", "Pass": "PLANTED-s3cr3t-9f2c"}'; Pattern = "'Password' is missing" }
        @{ Name = 'a missing Username'; Text = '{"User": "PLANTED-s3cr3t-9f2c", "Password": "PLANTED-s3cr3t-9f2c"}'; Pattern = "'Username' is missing" }
        @{ Name = 'an empty Password'; Text = '{"Username": "PLANTED-s3cr3t-9f2c", "Password": ""}'; Pattern = "'Password' is empty" }
        @{ Name = 'a null Password'; Text = '{"Username": "PLANTED-s3cr3t-9f2c", "Password": null}'; Pattern = "'Password' is missing" }
        @{ Name = 'a numeric Password'; Text = '{"Username": "PLANTED-s3cr3t-9f2c", "Password": 31415926}'; Pattern = "'Password' is not a string" }
        @{ Name = 'a nested Password'; Text = '{"Username": "svc", "Password": {"value": "PLANTED-s3cr3t-9f2c"}}'; Pattern = "'Password' is not a string" }
    ) {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $Text } }
        $caught = $null
        try {
            Get-FfCredential -SecretId $script:SecretArn
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 33
        $caught.Exception.Message | Should -Match ([regex]::Escape($script:SecretArn))
        $caught.Exception.Message | Should -Match $Pattern
        $chain = Get-ExceptionChainText -Exception $caught.Exception
        $chain | Should -Not -Match 'PLANTED'
        $chain | Should -Not -Match 's3cr3t'
        $chain | Should -Not -Match '31415926'
    }

    It 'throws with exit code 33 when the secret cannot be read' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { throw 'ResourceNotFoundException: Secrets Manager cannot find the specified secret.' }
        $caught = $null
        try {
            Get-FfCredential -SecretId 'fleet/missing'
        }
        catch {
            $caught = $_
        }
        $caught.Exception.Data['FleetformExitCode'] | Should -Be 33
        $caught.Exception.Message | Should -Match "'fleet/missing'"
    }
}

Describe 'Redaction in Write-FfLog' {
    BeforeEach {
        Reset-SecretRegistry
    }

    It 'replaces every occurrence, longest value first, in the console line and the file line' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'short' } { [pscustomobject]@{ SecretString = 'abcd1234' } }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'long' } { [pscustomobject]@{ SecretString = 'abcd1234-and-more' } }
        $null = Get-FfSecret -SecretId 'short'
        $null = Get-FfSecret -SecretId 'long'
        $run = New-TestRun -Console 6>$null
        $captured = @(Write-FfLog -Run $run -Level 'WARN' -Category 'Apps' -Item 'x' -Step 'set' -Message 'a abcd1234-and-more b abcd1234 c abcd1234abcd1234' 6>&1)
        $captured.Count | Should -Be 1
        (ConvertFrom-Json -InputObject ([string]$captured[0].MessageData)).message | Should -BeExactly 'a *** b *** c ******'
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly 'a *** b *** c ******'
    }

    It 'redacts a secret in the state a get returns (Invoke-FfResource -Get), values as text, keys sorted' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $script:Planted } }
        $null = Get-FfSecret -SecretId 'x'
        $run = New-TestRun
        $result = Invoke-FfResource -Run $run -Id 'app' -Category 'Apps' -Type 'T' -Properties { @{ Name = 'app' } } -Test { param($p) $true } -Set { param($p) } `
            -Get { param($p) @{ Version = '2.1.0'; Token = "tok-$script:Planted"; Count = 3; Name = $p.Name; Gone = $null } }
        $result | Should -Be 'in-desired-state'
        $get = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.step -eq 'get' })
        $get.Count | Should -Be 1
        $get[0].level | Should -Be 'DEBUG'
        $get[0].result | Should -BeNullOrEmpty
        @($get[0].state.PSObject.Properties.Name) | Should -Be @('Count', 'Gone', 'Name', 'Token', 'Version')
        $get[0].state.Token | Should -BeExactly 'tok-***'
        $get[0].state.Count | Should -BeExactly '3'
        $get[0].state.Name | Should -BeExactly 'app'
        $get[0].state.Gone | Should -BeNullOrEmpty
        (Get-AllFileText -Path $run.LogDir) -join '' | Should -Not -Match ([regex]::Escape($script:Planted))
    }

    It 'runs no get for a resource that failed, was skipped or blocked, and a get returning no hashtable is a WARN line' {
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'broken' -Category 'Apps' -Type 'T' -Properties { @{} } -Test { param($p) $false } -Set { param($p) throw 'no' } -Get { param($p) @{ Version = '1' } }
        $null = Invoke-FfResource -Run $run -Id 'odd' -Category 'Apps' -Type 'T' -Properties { @{} } -Test { param($p) $true } -Set { param($p) } -Get { param($p) 'text' }
        $get = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.step -eq 'get' })
        @($get | ForEach-Object { $_.item }) | Should -Be @('odd')
        $get[0].level | Should -Be 'WARN'
        $get[0].message | Should -Match '^get returned .*expected exactly one hashtable'
        $run.Results['odd'] | Should -Be 'in-desired-state'
    }

    It 'compares ordinally (case-sensitive) and leaves the other keys alone' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = 'Secret-Value' } }
        $null = Get-FfSecret -SecretId 'x'
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message 'Secret-Value secret-value SECRET-VALUE'
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly '*** secret-value SECRET-VALUE'
    }

    It 'redacts a secret that code trimmed, and each line of a secret of several lines' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'padded' } { [pscustomobject]@{ SecretString = "  tok-$script:Planted`r`n" } }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'pem' } { [pscustomobject]@{ SecretString = "-----BEGIN KEY-----`nMIIBline1AAAA`n  MIIBline2BBBB`n-----END KEY-----`n" } }
        $token = (Get-FfSecret -SecretId 'padded').Trim()
        $pem = Get-FfSecret -SecretId 'pem'
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message ('token [{0}] end [{1}]' -f $token, $token.TrimEnd())
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message ('second line: ' + $pem.Split("`n")[2].Trim())
        $messages = @(Get-TestLogEntry -LogDir $run.LogDir | ForEach-Object { $_.message })
        $messages[-2] | Should -BeExactly 'token [***] end [***]'
        $messages[-1] | Should -BeExactly 'second line: ***'
        ($messages -join "`n") | Should -Not -BeLike ('*' + $script:Planted + '*')
    }

    It 'does not recognise a secret changed otherwise (the documented limit): Base64 passes' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = 'Secret-Value' } }
        $value = Get-FfSecret -SecretId 'x'
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($value))
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message $encoded
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly $encoded
    }

    It 'does not redact values shorter than 4 characters' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'three' } { [pscustomobject]@{ SecretString = 'abc' } }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'four' } { [pscustomobject]@{ SecretString = 'wxyz' } }
        Get-FfSecret -SecretId 'three' | Should -BeExactly 'abc'
        $null = Get-FfSecret -SecretId 'four'
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message 'abc wxyz abcdef'
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly 'abc *** abcdef'
    }

    It 'registers Get-FfSsmParameter values read -WithDecryption, not plain ones' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter -ParameterFilter { $Name -eq '/fleet/password' } { [pscustomobject]@{ Name = $Name; Type = 'SecureString'; Value = 'ssm-' + $script:Planted } }
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter -ParameterFilter { $Name -eq '/fleet/url' } { [pscustomobject]@{ Name = $Name; Type = 'String'; Value = 'https://emr.example.com' } }
        $null = Get-FfSsmParameter -Name '/fleet/password' -WithDecryption
        $null = Get-FfSsmParameter -Name '/fleet/url'
        $run = New-TestRun
        Write-FfLog -Run $run -Level 'INFO' -Category 'Apps' -Item 'item' -Message ('pw ssm-' + $script:Planted + ' url https://emr.example.com')
        @(Get-TestLogEntry -LogDir $run.LogDir)[-1].message | Should -BeExactly 'pw *** url https://emr.example.com'
    }

    It 'redacts before shortening: a long secret returned by a test block leaves no prefix in the log' {
        $long = 'LONG-' + ('9f2c' * 20)
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $long } }
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'leaky-test' -Category 'Apps' -Type 'T' -Properties { @{ Token = (Get-FfSecret -SecretId 'x') } } `
            -Test { param($p) $p.Token } -Set { param($p) }
        $state = @{ done = $false }
        $null = Invoke-FfResource -Run $run -Id 'leaky-set' -Category 'Apps' -Type 'T' -Properties { @{ Token = (Get-FfSecret -SecretId 'x') } } `
            -Test { param($p) $state.done } -Set { param($p) ('x' * 1990) + $p.Token; $state.done = $true }
        $run.Resources['leaky-test'].Message | Should -Match "returned a \[System.String\] '\*\*\*'"
        $text = (Get-AllFileText -Path $run.LogDir) -join "`n"
        $text | Should -Not -Match 'LONG-9f2c'
        $text | Should -Not -Match '9f2c9f2c'
    }

    It 'keeps the redacted message in the run record too' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $script:Planted } }
        $run = New-TestRun
        $null = Invoke-FfResource -Run $run -Id 'a' -Category 'Apps' -Type 'T' -Properties { @{ P = (Get-FfSecret -SecretId 'x') } } `
            -Test { param($p) $false } -Set { param($p) throw ('bad ' + $p.P) }
        $run.Resources['a'].Message | Should -Match 'set threw: bad \*\*\*'
        $run.Resources['a'].Message | Should -Not -Match 'PLANTED'
    }
}

Describe 'Faults: secrets in a run' {
    BeforeEach {
        Reset-SecretRegistry
    }

    It 'a properties block whose secret read fails: failed (33), dependants skipped (11), independent resources still run' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { throw 'AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue' }
        $calls = New-Object -TypeName System.Collections.Generic.List[string]
        $run = New-TestRun
        $results = [ordered]@{}
        $results['db-login'] = Invoke-FfResource -Run $run -Id 'db-login' -Category 'Apps' -Type 'SqlLogin' `
            -Properties { @{ Password = (Get-FfSecret -SecretId $script:SecretArn) } } `
            -Test { param($p) $calls.Add('db-login.test'); $false } -Set { param($p) $calls.Add('db-login.set') }
        $results['db-user'] = Invoke-FfResource -Run $run -Id 'db-user' -Category 'Apps' -Type 'SqlUser' -DependsOn @('db-login') `
            -Properties { $calls.Add('db-user.properties'); @{} } -Test { param($p) $calls.Add('db-user.test'); $false } -Set { param($p) $calls.Add('db-user.set') }
        $results['db-role'] = Invoke-FfResource -Run $run -Id 'db-role' -Category 'Apps' -Type 'SqlRole' -DependsOn @('db-user') `
            -Properties { @{} } -Test { param($p) $calls.Add('db-role.test'); $false } -Set { param($p) $calls.Add('db-role.set') }
        $state = @{ done = $false }
        $results['iis'] = Invoke-FfResource -Run $run -Id 'iis' -Category 'Windows' -Type 'WindowsFeature' `
            -Properties { @{ Name = 'Web-Server' } } -Test { param($p) $state.done } -Set { param($p) $calls.Add('iis.set'); $state.done = $true }

        @($results.Values) | Should -Be @('failed', 'skipped', 'skipped', 'changed')
        @($calls) | Should -Be @('iis.set')
        $run.Resources['db-login'].ExitCode | Should -Be 33
        $run.Resources['db-login'].Step | Should -Be 'properties'
        $run.Resources['db-user'].ExitCode | Should -Be 11
        $run.Resources['db-role'].ExitCode | Should -Be 11
        $run.Resources['iis'].ExitCode | Should -Be 0
        Complete-FfRun -Run $run | Should -Be 33
        $line = @(Get-TestLogEntry -LogDir $run.LogDir | Where-Object { $_.item -eq 'db-login' })[-1]
        $line.level | Should -Be 'ERROR'
        $line.result | Should -Be 'failed'
        $line.message | Should -Match ("properties threw: cannot read Secrets Manager secret '" + [regex]::Escape($script:SecretArn) + "'")
        $summary = @(Get-TestLogEntry -LogDir $run.LogDir)[-1]
        $summary.message | Should -Match "'db-login' failed \(33\)"
        $summary.message | Should -Match "'db-user' skipped \(11\)"
    }

    It 'a set block whose error quotes the secret: *** in the console and file lines, never the value' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq $script:SecretArn } { [pscustomobject]@{ SecretString = $script:Planted } }
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue -ParameterFilter { $SecretId -eq 'fleet/svc' } {
            [pscustomobject]@{ SecretString = '{"Username":"svc-emr","Password":"cred-' + $script:Planted + '"}' }
        }
        Mock -ModuleName 'Fleetform.Runtime' Get-SSMParameter { [pscustomobject]@{ Name = $Name; Type = 'SecureString'; Value = 'ssm-' + $script:Planted } }
        $root = New-TestFolder
        $captured = @(& {
                $run = Initialize-FfRun -Configuration 'SecretConfig' -Mode 'apply' -LogDir (Join-Path $root 'logs') -StateDir (Join-Path $root 'state')
                $null = Invoke-FfResource -Run $run -Id 'throws' -Category 'Apps' -Type 'SqlLogin' `
                    -Properties { @{ Password = (Get-FfSecret -SecretId $script:SecretArn) } } `
                    -Test { param($p) $false } -Set { param($p) throw ('Login failed for user sa with password ' + $p.Password) }
                $null = Invoke-FfResource -Run $run -Id 'writes-error' -Category 'Apps' -Type 'SqlLogin' `
                    -Properties { @{ Password = (Get-FfSecret -SecretId $script:SecretArn) } } `
                    -Test { param($p) $false } -Set { param($p) Write-Error -Message ('cannot use ' + $p.Password) }
                $null = Invoke-FfResource -Run $run -Id 'credential' -Category 'Apps' -Type 'Service' `
                    -Properties { @{ Credential = (Get-FfCredential -SecretId 'fleet/svc') } } `
                    -Test { param($p) $false } -Set { param($p) throw ('logon failure for ' + $p.Credential.UserName + ' / ' + $p.Credential.GetNetworkCredential().Password) }
                $null = Invoke-FfResource -Run $run -Id 'ssm' -Category 'Apps' -Type 'Service' `
                    -Properties { @{ Password = (Get-FfSsmParameter -Name '/fleet/pw' -WithDecryption) } } `
                    -Test { param($p) Write-Error -Message ('test saw ' + $p.Password) } -Set { param($p) }
                $state = @{ done = $false }
                $null = Invoke-FfResource -Run $run -Id 'set-output' -Category 'Apps' -Type 'T' `
                    -Properties { @{ Password = (Get-FfSecret -SecretId $script:SecretArn) } } `
                    -Test { param($p) $state.done } -Set { param($p) 'installer echoed ' + $p.Password; $state.done = $true }
                Complete-FfRun -Run $run
            } *>&1)
        $text = ConvertTo-CapturedText -Captured $captured
        @($captured | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).Count | Should -BeGreaterThan 10
        $text | Should -Match 'Login failed for user sa with password \*\*\*'
        $text | Should -Match 'cannot use \*\*\*'
        $text | Should -Match 'logon failure for svc-emr / \*\*\*'
        $text | Should -Match 'test saw \*\*\*'
        $text | Should -Match 'installer echoed \*\*\*'
        $text | Should -Not -Match 'PLANTED'
        $text | Should -Not -Match 's3cr3t'
        $files = @(Get-AllFileText -Path $root)
        $files.Count | Should -BeGreaterThan 0
        $all = $files -join "`n"
        $all | Should -Match 'Login failed for user sa with password \*\*\*'
        $all | Should -Match 'installer echoed \*\*\*'
        $all | Should -Not -Match 'PLANTED'
        $all | Should -Not -Match 's3cr3t'
        $captured[-1] | Should -Be 22
    }

    It 'in a separate PowerShell process: neither stdout, stderr nor any file holds the value' {
        $root = New-TestFolder
        $logDir = Join-Path -Path $root -ChildPath 'logs'
        $process = Invoke-TestRunProcess -Arguments @{
            Scenario      = 'secret'
            ManifestPath  = $script:ManifestPath
            LogDir        = $logDir
            StateDir      = (Join-Path -Path $root -ChildPath 'state')
            ExitCodePath  = (Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('N') + '.code'))
            PlantedSecret = $script:Planted
        }
        $process.ExitCode | Should -Be 20
        $process.Stdout | Should -Match 'Login failed for user sa with password \*\*\*'
        $process.Stdout | Should -Match 'test printed \*\*\*'
        $process.Stdout | Should -Match 'host printed \*\*\*'
        $process.Stdout | Should -Match 'warned \*\*\*'
        $process.Stdout | Should -Match 'verbose \*\*\*'
        $process.Stdout | Should -Not -Match 'PLANTED'
        $process.Stdout | Should -Not -Match 's3cr3t'
        $process.Stderr | Should -Not -Match 'PLANTED'
        $all = (Get-AllFileText -Path $root) -join "`n"
        $all | Should -Match 'Login failed for user sa with password \*\*\*'
        $all | Should -Not -Match 'PLANTED'
        $all | Should -Not -Match 's3cr3t'
    }
}

Describe 'What a block prints (Invoke-FfBlock)' {
    BeforeEach {
        Reset-SecretRegistry
    }

    It 'is written again after the block, in its order, redacted, as it was written' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $script:Planted } }
        $null = Get-FfSecret -SecretId 'printed'
        $captured = @(InModuleScope -ModuleName 'Fleetform.Runtime' -Parameters @{ Secret = $script:Planted } -ScriptBlock {
                param($Secret)
                $VerbosePreference = 'SilentlyContinue'
                $block = {
                    Write-Host ('host ' + $Secret) -ForegroundColor Red -NoNewline
                    'output ' + $Secret
                    Write-Warning ('warning ' + $Secret)
                    Write-Verbose 'not shown'
                    Write-Verbose ('verbose ' + $Secret) -Verbose
                    Write-Information ('info ' + $Secret) -Tags 'Mine'
                }.GetNewClosure()
                Invoke-FfBlock -ScriptBlock $block
            } *>&1)
        $captured.Count | Should -Be 5
        $captured[0] | Should -BeOfType ([System.Management.Automation.InformationRecord])
        $captured[0].MessageData.Message | Should -BeExactly 'host ***'
        $captured[0].MessageData.ForegroundColor | Should -Be ([System.ConsoleColor]::Red)
        $captured[0].MessageData.NoNewLine | Should -BeTrue
        @($captured[0].Tags) | Should -Contain 'PSHOST'
        $captured[1] | Should -BeOfType ([System.Management.Automation.WarningRecord])
        $captured[1].Message | Should -BeExactly 'warning ***'
        $captured[2] | Should -BeOfType ([System.Management.Automation.VerboseRecord])
        $captured[2].Message | Should -BeExactly 'verbose ***'
        $captured[3] | Should -BeOfType ([System.Management.Automation.InformationRecord])
        [string]$captured[3].MessageData | Should -BeExactly 'info ***'
        @($captured[3].Tags) | Should -Be @('Mine')
        # The output is the caller's to log (redacted there), as it was.
        @($captured[4].Output) | Should -Be @('output ' + $script:Planted)
        @($captured[4].Errors).Count | Should -Be 0
    }

    It 'is written as it comes: what a block printed before it threw is shown, redacted, and the throw reaches the caller' {
        Mock -ModuleName 'Fleetform.Runtime' Get-SECSecretValue { [pscustomobject]@{ SecretString = $script:Planted } }
        $null = Get-FfSecret -SecretId 'printed'
        $captured = @(InModuleScope -ModuleName 'Fleetform.Runtime' -Parameters @{ Secret = $script:Planted } -ScriptBlock {
                param($Secret)
                $block = {
                    Write-Host ('before the throw ' + $Secret)
                    Write-Warning 'about to fail'
                    throw 'boom'
                }.GetNewClosure()
                try {
                    Invoke-FfBlock -ScriptBlock $block
                }
                catch {
                    'caught ' + $_.Exception.Message
                }
            } *>&1)
        $captured.Count | Should -Be 3
        $captured[0].MessageData.Message | Should -BeExactly 'before the throw ***'
        $captured[1].Message | Should -BeExactly 'about to fail'
        $captured[2] | Should -BeExactly 'caught boom'
    }
    It 'gives the caller, with the error a block threw, the output and native text it produced before' {
        $data = InModuleScope -ModuleName 'Fleetform.Runtime' -ScriptBlock {
            try {
                Invoke-FfBlock -ScriptBlock { 'first'; 'second'; throw 'boom' }
            }
            catch {
                $_.Exception.Data
            }
        }
        @($data['Fleetform.Output']) | Should -Be @('first', 'second')
        @($data['Fleetform.NativeText']).Count | Should -Be 0
    }
}
