# Instance metadata (IMDSv2): the session token, the instance id and the instance's EC2 tags.

# IMDSv2 cache (per PowerShell session).
$script:FfImdsTokenTtlSeconds = 21600
$script:FfImdsTokenRefreshSeconds = 300
$script:FfImdsMaxAttempts = 3
$script:FfImdsToken = $null
$script:FfImdsTokenExpiresUtc = [DateTime]::MinValue
$script:FfInstanceId = $null

function Get-FfImdsEndpoint {
    <#
    .SYNOPSIS
    Returns the IMDS base address: $env:FLEETFORM_IMDS_ENDPOINT or http://169.254.169.254.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $endpoint = [Environment]::GetEnvironmentVariable('FLEETFORM_IMDS_ENDPOINT')
    if ([string]::IsNullOrEmpty($endpoint)) {
        $endpoint = 'http://169.254.169.254'
    }
    return $endpoint.TrimEnd('/')
}

function Get-FfHttpStatusCode {
    <#
    .SYNOPSIS
    Returns the HTTP status code of a failed web request (5.1 WebException or 7 HttpResponseException), or 0 when there was no response.
    .PARAMETER ErrorRecord
    The error of Invoke-RestMethod.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$ErrorRecord
    )
    $exception = $ErrorRecord.Exception
    $depth = 0
    while ($null -ne $exception -and $depth -lt 10) {
        $responseProperty = $exception.PSObject.Properties['Response']
        if ($null -ne $responseProperty) {
            $response = $null
            try {
                $response = $responseProperty.Value
            }
            catch {
                $response = $null
            }
            if ($null -ne $response) {
                $statusProperty = $response.PSObject.Properties['StatusCode']
                if ($null -ne $statusProperty -and $null -ne $statusProperty.Value) {
                    try {
                        return [int]$statusProperty.Value
                    }
                    catch {
                        $null = $_
                    }
                }
            }
        }
        $exception = $exception.InnerException
        $depth++
    }
    return 0
}

function Invoke-FfImdsRequest {
    <#
    .SYNOPSIS
    Sends one request to the instance metadata service, retrying when there is no answer.
    .DESCRIPTION
    Returns an object with StatusCode (200 on success, the HTTP status of a 4xx answer) and
    Content. Throws an error carrying exit code 30 when the service cannot be reached (after
    a few attempts) or answers with a server error.
    .PARAMETER Method
    Get or Put.
    .PARAMETER Path
    The path after the endpoint, e.g. latest/api/token.
    .PARAMETER Headers
    Request headers.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][ValidateSet('Get', 'Put')][string]$Method,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][hashtable]$Headers
    )
    $uri = '{0}/{1}' -f (Get-FfImdsEndpoint), $Path.TrimStart('/')
    $attempt = 0
    while ($true) {
        $attempt++
        try {
            $content = Invoke-RestMethod -Method $Method -Uri $uri -Headers $Headers -UseBasicParsing -TimeoutSec 5 -ErrorAction Stop
            return [pscustomobject]@{
                StatusCode = 200
                Content    = $content
            }
        }
        catch {
            $status = Get-FfHttpStatusCode -ErrorRecord $_
            if ($status -ge 400 -and $status -lt 500) {
                return [pscustomobject]@{
                    StatusCode = $status
                    Content    = $null
                }
            }
            if ($attempt -ge $script:FfImdsMaxAttempts) {
                $what = 'no answer'
                if ($status -gt 0) {
                    $what = 'HTTP {0}' -f $status
                }
                throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable -InnerException $_.Exception `
                        -Message ('instance metadata (IMDS) unreachable: {0} {1} failed after {2} attempts ({3}): {4}' -f $Method.ToUpperInvariant(), $uri, $attempt, $what, $_.Exception.Message))
            }
            Start-Sleep -Milliseconds (500 * $attempt)
        }
    }
}

function Get-FfImdsMetadata {
    <#
    .SYNOPSIS
    GETs an IMDS path with the IMDSv2 session token (fetching a new token once when the token is refused with 401).
    .PARAMETER Path
    The path after the endpoint, e.g. latest/meta-data/instance-id.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)][string]$Path
    )
    $token = Get-FfImdsToken
    $response = Invoke-FfImdsRequest -Method 'Get' -Path $Path -Headers @{ 'X-aws-ec2-metadata-token' = $token }
    if ($response.StatusCode -eq 401) {
        $token = Get-FfImdsToken -Force
        $response = Invoke-FfImdsRequest -Method 'Get' -Path $Path -Headers @{ 'X-aws-ec2-metadata-token' = $token }
    }
    return $response
}

function Get-FfImdsToken {
    <#
    .SYNOPSIS
    Returns an IMDSv2 session token (PUT latest/api/token, TTL 21600 s), cached until five minutes before it expires.
    .DESCRIPTION
    Errors carry exit code 30 (instance metadata unreachable) in Exception.Data['FleetformExitCode'].
    The endpoint can be overridden with $env:FLEETFORM_IMDS_ENDPOINT.
    .PARAMETER Force
    Ignore the cached token and request a new one.
    .EXAMPLE
    $token = Get-FfImdsToken
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][switch]$Force
    )
    $now = [DateTime]::UtcNow
    if (-not $Force -and -not [string]::IsNullOrEmpty($script:FfImdsToken) -and $now.AddSeconds($script:FfImdsTokenRefreshSeconds) -lt $script:FfImdsTokenExpiresUtc) {
        return $script:FfImdsToken
    }
    $response = Invoke-FfImdsRequest -Method 'Put' -Path 'latest/api/token' -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = [string]$script:FfImdsTokenTtlSeconds }
    if ($response.StatusCode -ne 200 -or [string]::IsNullOrEmpty([string]$response.Content)) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ('instance metadata (IMDS) refused the IMDSv2 token request (HTTP {0}); is the metadata service enabled for this instance?' -f $response.StatusCode))
    }
    $script:FfImdsToken = ([string]$response.Content).Trim()
    $script:FfImdsTokenExpiresUtc = $now.AddSeconds($script:FfImdsTokenTtlSeconds)
    return $script:FfImdsToken
}

function Get-FfInstanceId {
    <#
    .SYNOPSIS
    Returns the EC2 instance id from instance metadata (IMDSv2), cached for the session.
    .DESCRIPTION
    Errors carry exit code 30 (instance metadata unreachable) in Exception.Data['FleetformExitCode'].
    .PARAMETER Force
    Ignore the cached value.
    .EXAMPLE
    $id = Get-FfInstanceId
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter()][switch]$Force
    )
    if (-not $Force -and -not [string]::IsNullOrEmpty($script:FfInstanceId)) {
        return $script:FfInstanceId
    }
    $response = Get-FfImdsMetadata -Path 'latest/meta-data/instance-id'
    $value = ''
    if ($null -ne $response.Content) {
        $value = ([string]$response.Content).Trim()
    }
    if ($response.StatusCode -ne 200 -or [string]::IsNullOrEmpty($value)) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ('instance metadata (IMDS) did not return the instance id (HTTP {0})' -f $response.StatusCode))
    }
    $script:FfInstanceId = $value
    return $value
}

function Get-FfInstanceTag {
    <#
    .SYNOPSIS
    Returns the value of an EC2 tag of this instance from instance metadata (latest/meta-data/tags/instance/<key>).
    .DESCRIPTION
    Needs "instance metadata tags" enabled on the instance. A missing tag (HTTP 404; also what
    IMDS answers when metadata tags are disabled) throws an error carrying exit code 31; an
    unreachable metadata service throws one carrying exit code 30. Tag keys that IMDS cannot
    serve (characters other than letters, digits and + - = . , _ : @) also give code 31.
    .PARAMETER Key
    The tag key, e.g. Name.
    .EXAMPLE
    $name = Get-FfInstanceTag -Key 'Name'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)][ValidateNotNullOrEmpty()][string]$Key
    )
    if ($Key -notmatch '^[A-Za-z0-9+\-=.,_:@]+$' -or $Key -eq '.' -or $Key -eq '..' -or $Key -eq '_index') {
        throw (New-FfException -ExitCode $script:FfCode.TagMissing `
                -Message ("EC2 tag '{0}' cannot be read from instance metadata: tag keys there may only contain letters, digits and + - = . , _ : @" -f $Key))
    }
    $response = Get-FfImdsMetadata -Path ('latest/meta-data/tags/instance/' + $Key)
    if ($response.StatusCode -eq 404) {
        throw (New-FfException -ExitCode $script:FfCode.TagMissing `
                -Message ("required EC2 tag '{0}' is missing on this instance (or instance metadata tags are not enabled for it)" -f $Key))
    }
    if ($response.StatusCode -ne 200) {
        throw (New-FfException -ExitCode $script:FfCode.ImdsUnreachable `
                -Message ("instance metadata (IMDS) answered HTTP {0} for EC2 tag '{1}'" -f $response.StatusCode, $Key))
    }
    if ($null -eq $response.Content) {
        return ''
    }
    return [string]$response.Content
}
