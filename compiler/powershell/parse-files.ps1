# Parses whole generated PowerShell files with PowerShell's own parser, for fleetform's build: a
# file fleetform wrote that PowerShell cannot parse (or a .psd1 that is not a data file) must never
# ship. Dot-sourced by check-fragments.ps1 after the fragments, in the same pwsh process; the work
# is FileCheck in FragmentCheck.cs (the files parsed on every core, the findings in input order).
# Input: the build's line of JSON [{ "path": "...", "text": "..." }] ($request, read by
# check-fragments.ps1; [] or a blank line: no files). Output: always one line of JSON
# [{ "path", "line", "column", "message", "kind": "syntax" | "data" }], findings only: every syntax error of a file, in PowerShell's order; for a .psd1 without one,
# "data" when it is not a single hashtable of constant values (SafeGetValue's refusal, as
# PowerShell words a .NET method's exception).

$fileFindings = $checkType.Assembly.GetType('Fleetform.PowerShellCheck.FileCheck', $true)::Check($request)
$lines.WriteLine($fileFindings)
