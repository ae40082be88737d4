# Parses PowerShell fragments with PowerShell's own parser and links them against Windows
# PowerShell 5.1, for fleetform's build.
# Input (stdin, a line per build, then that build's line of files: parse-files.ps1): JSON
# [{ "id": "...", "text": "..." }]. Output (stdout, one line each): JSON
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
# - typed (only when there are some): a variable passed as it is to an in-box parameter of type
#   SecureString or PSCredential ({ line, column, endLine, endColumn, text, variable, command,
#   parameter, takes }): the build knows which variables are parameters, and their types (FF3070).
# - unassigned (only when there are some): variables the text reads and never assigns whose name is
#   close to another variable of the text ({ line, column, endLine, endColumn, text, name,
#   suggestion }, first place of each): the build drops the function's parameters (FF3071).
# - definitions (only for an input marked "file": true, always returned): the functions the text
#   defines, { name, parameters }.
# - A text with a DSC Configuration statement gets one compat finding, 'a DSC Configuration statement',
#   at its keyword, and nothing else (fleetform refuses it: see FragmentCheck.cs).
# The inventory is ps51-inventory.json next to this file (scripts/gen-ps51-inventory.mjs).
# The process starts early in the build (hiding PowerShell's start-up) and waits here for its input.
# Speed (thousands of fragments per build): the work per text is compiled C#, FragmentCheck.cs next
# to this file: each text is parsed once on its own, on every core (the output is in input order
# all the same), its tree walked once by an AstVisitor, the inventory held in hash tables loaded
# once, JSON read from stdin and written to stdout as UTF-8 bytes with System.Text.Json. Compiling
# it (Add-Type) costs seconds of CPU, so it is compiled ahead: `fleetform setup` compiles it with the
# tools it installs (the build passes that file, read only, in FLEETFORM_CHECK_PREPARED), and a build
# whose pwsh has none (or one of another fleetform or pwsh) keeps it in fleetform's cache: the build
# passes a file for it in FLEETFORM_CHECK_ASSEMBLY (none with --no-cache: then it is compiled in
# memory each time; setup runs this script with its tools' file there and no input). The file holds a header line naming what the assembly was compiled from (the C#
# text, this pwsh's version and System.Management.Automation, the .NET runtime) and the sha256 of
# the assembly's bytes, then those bytes; a file that is missing, torn, damaged or of another
# source or pwsh is compiled again and replaced (written aside, then renamed into place); a file
# that is used gets the current time, as the cache's own entries do on a hit (the cache is pruned
# by last use). Only the C# file is ever compiled: no text of a fragment goes into code.
$ErrorActionPreference = 'Stop'

function Get-FfHash([byte[]]$bytes) { return [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant() }

function Get-FfCheckType {
    $source = [System.IO.File]::ReadAllBytes([System.IO.Path]::Combine($PSScriptRoot, 'FragmentCheck.cs'))
    $automation = [System.Management.Automation.PSObject].Assembly
    $from = "$(Get-FfHash $source) pwsh $($PSVersionTable.PSVersion) $($automation.ManifestModule.ModuleVersionId) .NET $([Environment]::Version)"
    $header = "fleetform-check-assembly 1 $(Get-FfHash ([System.Text.Encoding]::UTF8.GetBytes($from)))"
    # The assembly in a file of this header, or $null (missing, unreadable, torn, damaged, another's,
    # or bytes .NET does not load).
    $read = {
        param([string]$file)
        try {
            $data = [System.IO.File]::ReadAllBytes($file)
            $nl = [Array]::IndexOf($data, [byte]10)
            if ($nl -le 0) { return $null }
            $body = [byte[]]::new($data.Length - $nl - 1)
            [Array]::Copy($data, $nl + 1, $body, 0, $body.Length)
            if ([System.Text.Encoding]::UTF8.GetString($data, 0, $nl) -cne "$header $(Get-FfHash $body)") { return $null }
            return [System.Reflection.Assembly]::Load($body).GetType('Fleetform.PowerShellCheck.FragmentCheck', $true)
        }
        catch {
            return $null
        }
    }
    $prepared = $env:FLEETFORM_CHECK_PREPARED
    if (-not [string]::IsNullOrEmpty($prepared)) {
        $type = & $read $prepared
        if ($null -ne $type) { return $type }
    }
    $kept = $env:FLEETFORM_CHECK_ASSEMBLY
    $text = [System.Text.Encoding]::UTF8.GetString($source)
    # No cache (--no-cache), or one that cannot be written: compiled in memory.
    $inMemory = { @(Add-Type -TypeDefinition $text -IgnoreWarnings -PassThru | Where-Object { $_.FullName -eq 'Fleetform.PowerShellCheck.FragmentCheck' })[0] }
    if ([string]::IsNullOrEmpty($kept)) { return & $inMemory }
    $type = & $read $kept
    if ($null -ne $type) {
        # A hit is a use: the cache prunes by last use (the file's time), as it does its own entries.
        try { [System.IO.File]::SetLastWriteTimeUtc($kept, [DateTime]::UtcNow) } catch { }
        return $type
    }
    $aside = "$kept.tmp-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    try {
        Add-Type -TypeDefinition $text -OutputAssembly "$aside.dll" -OutputType Library -IgnoreWarnings
        $body = [System.IO.File]::ReadAllBytes("$aside.dll")
    }
    catch {
        return & $inMemory
    }
    finally {
        Remove-Item -LiteralPath "$aside.dll" -Force -ErrorAction Ignore
    }
    $type = [System.Reflection.Assembly]::Load($body).GetType('Fleetform.PowerShellCheck.FragmentCheck', $true)
    try {
        $stream = [System.IO.File]::Create($aside)
        try {
            $line = [System.Text.Encoding]::UTF8.GetBytes("$header $(Get-FfHash $body)`n")
            $stream.Write($line, 0, $line.Length)
            $stream.Write($body, 0, $body.Length)
        }
        finally {
            $stream.Dispose()
        }
        [System.IO.File]::Move($aside, $kept, $true)
    }
    catch {
        # A cache that cannot be written (read-only, full) only means compiling again next time.
        Remove-Item -LiteralPath $aside -Force -ErrorAction Ignore
    }
    return $type
}

# Compiled (or loaded) and the inventory read while the build still works on the fragments.
$checkType = Get-FfCheckType
$check = $checkType::new([System.IO.Path]::Combine($PSScriptRoot, 'ps51-inventory.json'))
# stdin and stdout as bytes, a line of JSON each way (no text of a line goes through PowerShell).
$lines = $checkType.Assembly.GetType('Fleetform.PowerShellCheck.Lines', $true)::new([Console]::OpenStandardInput(), [Console]::OpenStandardOutput())

# A build's turn: one line of fragments, JSON [{ id, text, file? }], then one line of whole generated
# files (a separate script: see its header), each answered with one line. The process then waits for
# the next build's turn (a compiler process that builds again keeps it: pwsh.ts); the end of the
# input ends it.
while ($true) {
    $request = $lines.ReadLine()
    if ($null -eq $request) { break }
    $lines.WriteLine($check.Check($request))
    $request = $lines.ReadLine()
    if ($null -eq $request) { break }
    . ([System.IO.Path]::Combine($PSScriptRoot, 'parse-files.ps1'))
}
