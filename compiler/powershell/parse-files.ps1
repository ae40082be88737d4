# Parses whole generated PowerShell files with PowerShell's own parser, for fleetform's build: a
# file fleetform wrote that PowerShell cannot parse (or a .psd1 that is not a data file) must never
# ship. Dot-sourced by check-fragments.ps1 after the fragments, in the same pwsh process; the work
# is FileCheck in FragmentCheck.cs (the files parsed on every core, the findings in input order).
# Input: the build's lines of JSON [{ "path": "...", "text": "..." }], a batch of files each (the
# first is $request, read by check-fragments.ps1): the build sends each module's files as it emits
# them, and PowerShell parses them meanwhile; [] or a blank line ends the build's turn (the end of
# the input too). Output: one line of JSON for each line read, [] included:
# [{ "path", "line", "column", "message", "kind": "syntax" | "data" }], findings only: every syntax error of a file, in PowerShell's order; for a .psd1 without one,
# "data" when it is not a single hashtable of constant values (SafeGetValue's refusal, as
# PowerShell words a .NET method's exception).

$fileCheck = $checkType.Assembly.GetType('Fleetform.PowerShellCheck.FileCheck', $true)
while ($true) {
    $lines.WriteLine($fileCheck::Check($request))
    # (a batch of files is longer than "[]")
    if ($request.Length -le 2) { break }
    $request = $lines.ReadLine()
    if ($null -eq $request) { break }
}
