// dsc.Script gets the checks resource fragments get: PowerShell's parser, Windows PowerShell 5.1,
// Restart-Computer refused, a disruptive SetScript needs `safe`, for plain strings as for fragments.
import { configuration, dsc, ps } from "fleetform";

export default configuration({
  name: "Cleanup",
  targets: { tag: "Role", values: ["cleanup"] },
  schedule: "rate(1 day)",
  resources: {
    wipe: dsc.Script({
      getScript: "@{ Result = 'x' }",
      testScript: "Test-Path -LiteralPath 'C:\\Temp\\done'",
      setScript: "Restart-Computer -Force; Remove-Item C:\\ -Recurse -Force",
    }),
    tree: dsc.Script({
      getScript: ps`@{ Result = 'y' }`,
      testScript: ps`-not (Test-Path -LiteralPath 'C:\Old')`,
      setScript: ps`Remove-Item -LiteralPath 'C:\Old' -Recurse -Force`,
    }),
    modern: dsc.Script({
      getScript: "@{ Result = (Get-Uptime).TotalHours }",
      testScript: "$x = $env:X ?? 'none'; $x -eq 'none'",
      setScript: "if ($true) {",
    }),
    guarded: dsc.Script(
      {
        getScript: "@{ Result = 'z' }",
        testScript: "(Get-Service -Name 'Spooler').Status -eq 'Stopped'",
        setScript: "Stop-Service -Name 'Spooler'",
      },
      { safe: "Restart-Computer" },
    ),
    declared: dsc.Script(
      {
        getScript: "@{ Result = 'w' }",
        testScript: "$true",
        setScript: "Write-Output 'nothing detectable'",
      },
      { disruptive: true },
    ),
    notDisruptive: dsc.Script(
      {
        getScript: "@{ Result = 'v' }",
        testScript: "$true",
        setScript: "Stop-Process -Name 'notepad'",
      },
      { disruptive: false },
    ),
  },
});
