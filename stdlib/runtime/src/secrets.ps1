# Secrets: Secrets Manager secrets and credentials read at run time, and the set of secret values
# that Write-FfLog (and every text the runtime logs) replaces with '***'.

# Secret values read by Get-FfSecret, Get-FfCredential and Get-FfSsmParameter -WithDecryption.
# Write-FfLog replaces them with '***'. The set lives as long as the process (the module).
# Values shorter than FfSecretMinimumLength are not registered: redacting 'a' or 'ab' would
# garble every log line.
$script:FfSecretMinimumLength = 4
$script:FfSecretMask = '***'
$script:FfSecretValues = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::Ordinal)
$script:FfSecretValuesByLength = [string[]]@()

function Register-FfSecretValue {
    <#
    .SYNOPSIS
    Adds a value to the module's set of secret values, which Write-FfLog replaces with '***'.
    .DESCRIPTION
    Registers the value as it is and the forms code commonly makes of it before printing: the
    value without leading and trailing white space (.Trim(), .TrimEnd(), a value read with a
    trailing newline) and, for a value of several lines (a key, a certificate), each line without
    its white space. Redaction is exact, ordinal substring replacement of these forms only: a
    secret changed any other way (case, encoding such as Base64, a part of it, pieces joined or
    split over log lines) is not recognised. Values shorter than 4 characters (and null or empty
    values) are not registered: replacing them would garble ordinary text. The set lives for the
    process; nothing is ever removed.
    .PARAMETER Value
    The secret value.
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyString()][string]$Value
    )
    if ([string]::IsNullOrEmpty($Value)) {
        return
    }
    $forms = New-Object -TypeName System.Collections.Generic.List[string]
    $forms.Add($Value)
    $forms.Add($Value.Trim())
    foreach ($line in $Value.Split([string[]]@("`r`n", "`n", "`r"), [System.StringSplitOptions]::RemoveEmptyEntries)) {
        $forms.Add($line.Trim())
    }
    $added = $false
    foreach ($form in $forms) {
        if ($form.Length -ge $script:FfSecretMinimumLength -and $script:FfSecretValues.Add($form)) {
            $added = $true
        }
    }
    if ($added) {
        # Longest first, so that a secret containing another one is replaced as a whole.
        $script:FfSecretValuesByLength = [string[]]@($script:FfSecretValues | Sort-Object -Property @{ Expression = { $_.Length }; Descending = $true }, @{ Expression = { $_ }; Descending = $false })
    }
}

function Protect-FfText {
    <#
    .SYNOPSIS
    Replaces every occurrence of a registered secret value in a text with '***' (longest value first, ordinal comparison).
    .PARAMETER Text
    The text (a log message).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][AllowNull()][AllowEmptyString()][string]$Text
    )
    if ([string]::IsNullOrEmpty($Text)) {
        return $Text
    }
    $result = $Text
    foreach ($value in $script:FfSecretValuesByLength) {
        if ($result.IndexOf($value, [System.StringComparison]::Ordinal) -ge 0) {
            # String.Replace(string, string) is ordinal (case-sensitive, culture-insensitive).
            $result = $result.Replace($value, $script:FfSecretMask)
        }
    }
    return $result
}

function Get-FfSecret {
    <#
    .SYNOPSIS
    Returns the SecretString of an AWS Secrets Manager secret (Get-SECSecretValue from AWS.Tools.SecretsManager).
    .DESCRIPTION
    Imports AWS.Tools.SecretsManager only when Get-SECSecretValue is not already available.
    The value is read on the instance at run time with the instance's credentials and is
    registered as a secret: Write-FfLog replaces it with '***' wherever a message quotes it.
    Any failure (module import, access denied, unknown secret, a binary secret without a
    SecretString) throws an error carrying exit code 33 in Exception.Data['FleetformExitCode'];
    the message names the secret id, never the value.
    .PARAMETER SecretId
    The secret's ARN or name.
    .EXAMPLE
    $apiKey = Get-FfSecret -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/api-key-AbCdEf'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$SecretId
    )
    if ($null -eq (Get-Command -Name 'Get-SECSecretValue' -ErrorAction SilentlyContinue)) {
        try {
            Import-Module -Name 'AWS.Tools.SecretsManager' -ErrorAction Stop -Verbose:$false
        }
        catch {
            throw (New-FfException -ExitCode $script:FfCode.SecretsManager -InnerException $_.Exception `
                    -Message ("cannot read Secrets Manager secret '{0}': the module AWS.Tools.SecretsManager could not be imported: {1}" -f $SecretId, $_.Exception.Message))
        }
    }
    try {
        $response = Get-SECSecretValue -SecretId $SecretId -ErrorAction Stop
    }
    catch {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager -InnerException $_.Exception `
                -Message ("cannot read Secrets Manager secret '{0}': {1}" -f $SecretId, $_.Exception.Message))
    }
    $response = @($response)
    if ($response.Count -ne 1 -or $null -eq $response[0]) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("cannot read Secrets Manager secret '{0}': Get-SECSecretValue returned no secret value" -f $SecretId))
    }
    $property = $response[0].PSObject.Properties['SecretString']
    if ($null -eq $property -or [string]::IsNullOrEmpty([string]$property.Value)) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("cannot read Secrets Manager secret '{0}': it has no SecretString (binary secrets are not supported)" -f $SecretId))
    }
    $value = [string]$property.Value
    Register-FfSecretValue -Value $value
    return $value
}

function Get-FfCredential {
    <#
    .SYNOPSIS
    Returns a PSCredential built from a Secrets Manager secret whose SecretString is JSON {"Username": "...", "Password": "..."}.
    .DESCRIPTION
    Reads the secret with Get-FfSecret (so the whole SecretString is registered as a secret) and
    registers the password as well: Write-FfLog replaces both with '***'. This is the secret
    format of the AWS-ApplyDSCMofs document. Key names are matched without regard to case; both
    values must be non-empty JSON strings. Any failure (the secret cannot be read, it is not a
    JSON object, a key is missing or empty) throws an error carrying exit code 33 in
    Exception.Data['FleetformExitCode']; the message names the secret id and the key, never
    the content.
    .PARAMETER SecretId
    The secret's ARN or name.
    .EXAMPLE
    $credential = Get-FfCredential -SecretId 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet/svc-emr-AbCdEf'
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCredential])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$SecretId
    )
    $secretString = Get-FfSecret -SecretId $SecretId
    $expected = 'expected a JSON object {"Username": "...", "Password": "..."}'
    # The parser's own error text quotes the content it choked on, so it is never passed on.
    $document = $null
    $parsed = $false
    if ($secretString.TrimStart().StartsWith('{', [System.StringComparison]::Ordinal)) {
        try {
            $document = ConvertFrom-Json -InputObject $secretString -ErrorAction Stop
            $parsed = $true
        }
        catch {
            $parsed = $false
        }
    }
    if (-not $parsed -or $null -eq $document -or $document -isnot [System.Management.Automation.PSCustomObject]) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("Secrets Manager secret '{0}' is not a credential: its SecretString is not a JSON object; {1}" -f $SecretId, $expected))
    }
    $values = @{}
    $problems = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($key in @('Username', 'Password')) {
        $field = $document.PSObject.Properties[$key]
        if ($null -eq $field -or $null -eq $field.Value) {
            $problems.Add(("'{0}' is missing" -f $key))
        }
        elseif ($field.Value -isnot [string]) {
            $problems.Add(("'{0}' is not a string" -f $key))
        }
        elseif ([string]::IsNullOrEmpty([string]$field.Value)) {
            $problems.Add(("'{0}' is empty" -f $key))
        }
        else {
            $values[$key] = [string]$field.Value
        }
    }
    if ($problems.Count -gt 0) {
        throw (New-FfException -ExitCode $script:FfCode.SecretsManager `
                -Message ("Secrets Manager secret '{0}' is not a credential: {1}; {2}" -f $SecretId, ($problems -join ', '), $expected))
    }
    $password = [string]$values['Password']
    Register-FfSecretValue -Value $password
    $secure = New-Object -TypeName System.Security.SecureString
    foreach ($character in $password.ToCharArray()) {
        $secure.AppendChar($character)
    }
    $secure.MakeReadOnly()
    return (New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList ([string]$values['Username']), $secure)
}
