# Helpers of the hook-script tests (dot-sourced by Hooks.Tests.ps1 and ValidateService.Tests.ps1):
# see Hooks.Tests.ps1 for the environment variables and how the scripts are rewritten.

$script:dist = $env:FF_DELIVERY_DIST
$script:copies = @($env:FF_DELIVERY_COPIES | ConvertFrom-Json)
$script:installLiteral = $env:FF_DELIVERY_INSTALL_ROOT
$script:deployLiteral = $env:FF_DELIVERY_DEPLOY_DIR
$script:pwsh = @($env:FF_DELIVERY_PWSH | ConvertFrom-Json)
foreach ($name in @('FF_DELIVERY_DIST', 'FF_DELIVERY_COPIES', 'FF_DELIVERY_INSTALL_ROOT', 'FF_DELIVERY_DEPLOY_DIR', 'FF_DELIVERY_PWSH')) {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run the delivery Pester files through test/delivery/codedeploy.test.ts" }
}

# A fresh machine: <TestDrive>/<guid>/{modules, deploy, bundle/codedeploy/scripts}, with the
# bundle's runtime at bundle/modules/Fleetform.Runtime (where the hook scripts import it from).
function New-Machine {
    $base = Join-Path -Path $TestDrive -ChildPath ([guid]::NewGuid().ToString('n'))
    $machine = [pscustomobject]@{
        Root    = Join-Path -Path $base -ChildPath 'modules'
        Deploy  = Join-Path -Path $base -ChildPath 'deploy'
        Scripts = Join-Path -Path $base -ChildPath 'bundle/codedeploy/scripts'
        # The files the last deployment copied: the agent's cleanup file for the deployment group.
        Copied  = [System.Collections.Generic.List[string]]::new()
    }
    foreach ($dir in @($machine.Root, $machine.Deploy, $machine.Scripts)) { $null = New-Item -ItemType Directory -Path $dir -Force }
    $bundleModules = Join-Path -Path $base -ChildPath 'bundle/modules'
    $null = New-Item -ItemType Directory -Path $bundleModules -Force
    Copy-Tree -Source (Join-Path -Path $script:dist -ChildPath 'modules/Fleetform.Runtime') -Destination (Join-Path -Path $bundleModules -ChildPath 'Fleetform.Runtime')
    $machine
}

# Copies a folder's files and subfolders into a destination folder (made if missing), overwriting.
# .NET's file calls, not Copy-Item: on Linux, Copy-Item took about 1.7 s for the 63 files of a
# docutap bundle, most of each test's time.
function Copy-Tree {
    param([Parameter(Mandatory = $true)][string]$Source, [Parameter(Mandatory = $true)][string]$Destination)
    $null = [IO.Directory]::CreateDirectory($Destination)
    foreach ($file in [IO.Directory]::EnumerateFiles($Source, '*', [IO.SearchOption]::AllDirectories)) {
        $target = Join-Path -Path $Destination -ChildPath ([IO.Path]::GetRelativePath($Source, $file))
        $null = [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($target))
        [IO.File]::Copy($file, $target, $true)
    }
}

# A Windows path of the generated files, moved onto the test machine.
function ConvertTo-MachinePath {
    param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)]$Machine)
    if ($Path.StartsWith($script:installLiteral)) { return $Machine.Root + $Path.Substring($script:installLiteral.Length).Replace('\', '/') }
    if ($Path.StartsWith($script:deployLiteral)) { return $Machine.Deploy + $Path.Substring($script:deployLiteral.Length).Replace('\', '/') }
    throw "unexpected destination $Path"
}

# The generated hook script with its quoted install-root and deploy-folder literals rewritten.
function New-HookCopy {
    param([Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)]$Machine)
    $text = Get-Content -LiteralPath (Join-Path -Path $script:dist -ChildPath "codedeploy/scripts/$Name") -Raw -Encoding UTF8
    $rewritten = $text.Replace("'" + $script:installLiteral, "'" + $Machine.Root).Replace("'" + $script:deployLiteral, "'" + $Machine.Deploy)
    # The substitution must have hit the assignments and left no Windows path behind.
    $rewritten | Should -Match ([regex]::Escape('$installRoot = ''' + $Machine.Root + ''''))
    $rewritten | Should -Match ([regex]::Escape('$deployDir = ''' + $Machine.Deploy + ''''))
    $rewritten | Should -Not -Match "'[A-Za-z]:\\"
    $path = Join-Path -Path $Machine.Scripts -ChildPath $Name
    [IO.File]::WriteAllText($path, $rewritten, [Text.UTF8Encoding]::new($true))
    $path
}

# What the agent's Install step does: first it deletes every file the group's previous deployment
# copied (its cleanup file; aws-codedeploy-agent, installer.rb), and the folders left empty; then
# the files section: a folder source's content goes into the destination folder, a file source
# into the destination folder. The files copied are recorded for the next deployment's cleanup.
function Install-Bundle {
    param([Parameter(Mandatory = $true)]$Machine)
    foreach ($file in $Machine.Copied) {
        if ([IO.File]::Exists($file)) { [IO.File]::Delete($file) }
        for ($dir = [IO.Path]::GetDirectoryName($file); [IO.Directory]::Exists($dir) -and @([IO.Directory]::EnumerateFileSystemEntries($dir)).Count -eq 0; $dir = [IO.Path]::GetDirectoryName($dir)) {
            [IO.Directory]::Delete($dir)
        }
    }
    $Machine.Copied.Clear()
    foreach ($copy in $script:copies) {
        $source = Join-Path -Path $script:dist -ChildPath $copy.source
        $destination = ConvertTo-MachinePath -Path $copy.destination -Machine $Machine
        if ([IO.Directory]::Exists($source)) {
            Copy-Tree -Source $source -Destination $destination
            foreach ($file in [IO.Directory]::EnumerateFiles($source, '*', [IO.SearchOption]::AllDirectories)) { $Machine.Copied.Add((Join-Path -Path $destination -ChildPath ([IO.Path]::GetRelativePath($source, $file)))) }
        } else {
            $null = [IO.Directory]::CreateDirectory($destination)
            $target = Join-Path -Path $destination -ChildPath ([IO.Path]::GetFileName($source))
            [IO.File]::Copy($source, $target, $true)
            $Machine.Copied.Add($target)
        }
    }
}

# Runs a script with `pwsh -File` in a child process; the machine's module root first on PSModulePath.
function Invoke-Hook {
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)]$Machine,
        [hashtable]$Environment = @{}
    )
    $variables = @{
        PSModulePath           = $Machine.Root + [IO.Path]::PathSeparator + $env:PSModulePath
        PROCESSOR_ARCHITEW6432 = $null
    }
    foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
    $saved = @{}
    foreach ($key in $variables.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, $variables[$key])
    }
    try {
        $arguments = @($script:pwsh | Select-Object -Skip 1) + @('-NoLogo', '-NoProfile', '-NonInteractive', '-File', $Path)
        $output = & $script:pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    } finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

function Get-InstalledFile {
    param([Parameter(Mandatory = $true)]$Machine, [Parameter(Mandatory = $true)][string]$Leaf)
    $found = @(Get-ChildItem -LiteralPath $Machine.Root, $Machine.Deploy -Recurse -File | Where-Object { $_.Name -eq $Leaf })
    $found.Count | Should -BeGreaterThan 0 -Because "the bundle installs a $Leaf"
    $found[0]
}

# A module version folder as a previous deployment (or someone else) left it.
function New-InstalledVersion {
    param([Parameter(Mandatory = $true)]$Machine, [string]$Name, [string]$Version, [string]$PrivateData)
    $folder = Join-Path -Path $Machine.Root -ChildPath "$Name/$Version"
    $null = New-Item -ItemType Directory -Path $folder -Force
    if ($PrivateData) {
        $manifest = "@{`n    RootModule = '$Name.psm1'`n    ModuleVersion = '$Version'`n    PrivateData = $PrivateData`n}`n"
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$Name.psd1") -Value $manifest -Encoding utf8
    }
    Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath "$Name.psm1") -Value '# old' -Encoding utf8
    $folder
}

# An instance metadata (IMDSv2) stand-in on the loopback interface, for the hooks that read the
# instance's tags through Fleetform.Runtime (FLEETFORM_IMDS_ENDPOINT): PUT /latest/api/token gives a
# token, GET /latest/meta-data/tags/instance/<Key> the value in $Tags (a synchronized hashtable the
# tests change), else 404 (a missing tag, or tags not enabled). It serves until Stop-ImdsStandIn.
function Start-ImdsStandIn {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $tags = [hashtable]::Synchronized(@{})
    $job = Start-ThreadJob -ArgumentList $listener, $tags -ScriptBlock {
        param($listener, $tags)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $path = $context.Request.Url.AbsolutePath
            $status = 404
            $body = ''
            if ($context.Request.HttpMethod -eq 'PUT' -and $path -eq '/latest/api/token') {
                $status = 200; $body = 'stand-in-token'
            } elseif ($context.Request.HttpMethod -eq 'GET' -and $path.StartsWith('/latest/meta-data/tags/instance/')) {
                $key = [uri]::UnescapeDataString($path.Substring('/latest/meta-data/tags/instance/'.Length))
                if ($tags.ContainsKey($key)) { $status = 200; $body = [string]$tags[$key] }
            }
            $bytes = [Text.Encoding]::UTF8.GetBytes($body)
            $context.Response.StatusCode = $status
            $context.Response.ContentType = 'text/plain'
            $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
            $context.Response.Close()
        }
    }
    [pscustomobject]@{ Endpoint = "http://127.0.0.1:$port"; Tags = $tags; Listener = $listener; Job = $job }
}

function Stop-ImdsStandIn {
    param([Parameter(Mandatory = $true)]$StandIn)
    $StandIn.Listener.Stop()
    $StandIn.Listener.Close()
    $null = Wait-Job -Job $StandIn.Job -Timeout 10
    Remove-Job -Job $StandIn.Job -Force
}
