# Values read on the instance when a configuration runs, other than secrets and EC2 tags: SSM
# Parameter Store parameters and environment variables.

function Get-FfSsmParameter {
    <#
    .SYNOPSIS
    Returns the value of an SSM Parameter Store parameter (Get-SSMParameter from AWS.Tools.SimpleSystemsManagement).
    .DESCRIPTION
    Imports AWS.Tools.SimpleSystemsManagement only when Get-SSMParameter is not already
    available. Any failure throws an error carrying exit code 32 in
    Exception.Data['FleetformExitCode']. The value is never logged; with -WithDecryption it is
    also registered as a secret, so Write-FfLog replaces it with '***' wherever a message quotes it.
    .PARAMETER Name
    Parameter name or ARN.
    .PARAMETER WithDecryption
    Decrypt a SecureString parameter.
    .EXAMPLE
    $password = Get-FfSsmParameter -Name '/fleet/emr/service-password' -WithDecryption
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Name,
        [Parameter()][switch]$WithDecryption
    )
    if ($null -eq (Get-Command -Name 'Get-SSMParameter' -ErrorAction SilentlyContinue)) {
        try {
            Import-Module -Name 'AWS.Tools.SimpleSystemsManagement' -ErrorAction Stop -Verbose:$false
        }
        catch {
            throw (New-FfException -ExitCode $script:FfCode.SsmParameter -InnerException $_.Exception `
                    -Message ("cannot read SSM parameter '{0}': the module AWS.Tools.SimpleSystemsManagement could not be imported: {1}" -f $Name, $_.Exception.Message))
        }
    }
    try {
        $parameter = Get-SSMParameter -Name $Name -WithDecryption ([bool]$WithDecryption) -ErrorAction Stop
    }
    catch {
        throw (New-FfException -ExitCode $script:FfCode.SsmParameter -InnerException $_.Exception `
                -Message ("cannot read SSM parameter '{0}': {1}" -f $Name, $_.Exception.Message))
    }
    $parameter = @($parameter)
    if ($parameter.Count -ne 1 -or $null -eq $parameter[0] -or $null -eq $parameter[0].PSObject.Properties['Value']) {
        throw (New-FfException -ExitCode $script:FfCode.SsmParameter `
                -Message ("cannot read SSM parameter '{0}': Get-SSMParameter returned no parameter value" -f $Name))
    }
    $value = [string]$parameter[0].Value
    if ($WithDecryption) {
        Register-FfSecretValue -Value $value
    }
    return $value
}

function Get-FfEnvironmentValue {
    <#
    .SYNOPSIS
    Returns the value of an environment variable of the process ($null when it is not set).
    .PARAMETER Name
    The variable name.
    .EXAMPLE
    $proxy = Get-FfEnvironmentValue -Name 'HTTPS_PROXY'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Name
    )
    return [Environment]::GetEnvironmentVariable($Name)
}
