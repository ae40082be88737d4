// What counts as disruptive in a `set` (FF3020): the commands it runs as Windows PowerShell 5.1
// resolves them (aliases, abbreviated parameters, native programs, cmd /c, Start-Process), and
// what does not (comments, strings, other commands of the same look).
import { describe, expect, it } from "vitest";
import { commandsIn } from "../../compiler/powershell/commands.js";
import { disruption } from "../../compiler/phases/3-lower/safety.js";
import type * as ir from "../../compiler/phases/3-lower/ir.js";

const text = (t: string): ir.Fragment => ({ kind: "fragment", parts: [{ kind: "text", text: t }] });
const found = (t: string): string | undefined => disruption(text(t), new Map());

describe("disruption", () => {
  it.each([
    ["rm -r C:\\Apps\\Old", "removes a tree (Remove-Item -Recurse)"],
    ["Remove-Item -Path $p -rec -Force", "removes a tree (Remove-Item -Recurse)"],
    ["Get-ChildItem C:\\x | ri -Recurse:$true", "removes a tree (Remove-Item -Recurse)"],
    ["del C:\\x `\n  -Recurse", "removes a tree (Remove-Item -Recurse)"],
    ["kill -Name notepad", "stops processes"],
    ["spps -Id 4", "stops processes"],
    ["spsv -Name W3SVC", "stops a service"],
    ["$null = Stop-Service W3SVC", "stops a service"],
    ["Set-Service -Name W3SVC -Status Stopped", "stops a service (Set-Service -Status)"],
    ["sc.exe stop W3SVC", "stops a service (sc.exe stop)"],
    ["& \"$env:SystemRoot\\System32\\sc.exe\" delete Old", "removes a service (sc.exe delete)"],
    ["net stop spooler /y", "stops a service (net stop)"],
    ["net user olduser /delete", "removes or disables local accounts (net user /delete)"],
    ["taskkill /F /IM w3wp.exe", "stops processes (taskkill)"],
    ["shutdown /s /t 0", "shuts down (shutdown /s)"],
    ["shutdown.exe -r -t 0", "reboots (shutdown -r)"],
    ["icacls 'C:\\Data' /grant 'Users:(OI)(CI)M'", "changes an ACL (icacls /grant)"],
    ["takeown /f C:\\Data /r", "changes an ACL (takeown)"],
    ["cmd /c rd /s /q C:\\Old", "removes a tree (rd /s)"],
    ["cmd.exe /c \"rmdir /s /q C:\\Old & echo done\"", "removes a tree (rmdir /s)"],
    ["Start-Process -FilePath msiexec.exe -ArgumentList '/x', '{GUID}', '/qn' -Wait", "uninstalls (msiexec /x)"],
    ["Start-Process shutdown.exe -ArgumentList '/r /t 30'", "reboots (shutdown /r)"],
    ["iex 'Stop-Service W3SVC'", "stops a service"],
    ["wusa.exe /uninstall /kb:123456 /quiet", "uninstalls (wusa /uninstall)"],
    ["dism.exe /Online /Disable-Feature /FeatureName:SMB1Protocol", "uninstalls (dism /Disable-Feature)"],
    ["Remove-WindowsFeature Web-Server", "uninstalls"],
    ["Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol", "uninstalls"],
    ["if ($x) { Get-Service | ForEach-Object { Restart-Service $_ } }", "restarts a service"],
    ["Restart-NetAdapter -Name Ethernet", "restarts a network adapter"],
    ["Initialize-Volume -DriveLetter D", "erases a disk"],
    // (a command in a string another command runs: found by its name)
    ["Start-Job -ScriptBlock ([scriptblock]::Create('Stop-Service W3SVC'))", "stops a service"],
  ])("%s: %s", (code, what) => {
    expect(found(code)).toBe(what);
  });

  it.each([
    "Remove-Item -Path $p -Force",
    "# rm -r C:\\x is what we do not do\nNew-Item -ItemType Directory -Path C:\\x -Force",
    "Write-Output 'kill the process'",
    "sc stop-words.txt 'x'", // sc is Set-Content in PowerShell
    "Set-Service -Name W3SVC -StartupType Automatic -Status Running",
    "net start spooler",
    "icacls C:\\Data",
    "shutdown /a",
    "$kill = 1",
    "Get-Process | Where-Object { $_.Name -eq 'rd' }",
    "Write-Output ${env:ProgramFiles(x86)}",
  ])("not disruptive: %s", (code) => {
    expect(found(code)).toBeUndefined();
  });

  it("follows a call of a command value with its switches and arguments", () => {
    const fragment: ir.Fragment = {
      kind: "fragment",
      parts: [{ kind: "call", command: "rm", args: [{ name: "Path", value: { kind: "string", value: "C:\\x" } }], switches: [{ name: "r", on: true }] }],
    };
    expect(disruption(fragment, new Map())).toBe("removes a tree (Remove-Item -Recurse)");
  });
});

describe("commandsIn", () => {
  it("reads commands in pipelines, blocks, parentheses and after assignments, quotes removed", () => {
    const cmds = commandsIn("$a = (Get-Item 'C:\\a b').Length; Get-Service | % { Stop-Service -Name \"x`\"y\" }\n& 'C:\\Tools\\x.exe' /q");
    expect(cmds.map((c) => [c.name, c.native, c.args])).toEqual([
      ["Get-Item", false, ["C:\\a b"]],
      ["Get-Service", false, []],
      ["Stop-Service", false, ["-Name", 'x"y']],
      ["ForEach-Object", false, []],
      ["x", true, ["/q"]],
    ]);
  });

  it("skips comments and here-strings", () => {
    const cmds = commandsIn("<# Stop-Service x #>\n$t = @'\nStop-Service y\n'@\nGet-Date # Stop-Service z");
    expect(cmds.map((c) => c.name)).toEqual(["Get-Date"]);
  });
});
