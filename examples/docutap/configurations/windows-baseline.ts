// The seed's DSC configuration (DscHsWindowsManage: Chocolatey through a DSC Script resource),
// delivered as a MOF through AWS-ApplyDSCMofs, with in-box baseline settings beside it.
import { configuration, dsc, ec2Tag, ps } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

export default configuration({
  name: "WindowsBaseline",
  description: "Windows baseline for every DocuTAP server, applied by the LCM through AWS-ApplyDSCMofs",
  targets: { tag: "SSM_Association", values: ["windows-prod", "windows-prod-db"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { rebootBehavior: "AfterMof", mode: "Apply" } },
  resources: {
    chocolatey: dsc.Script({
      getScript: ps`@{ Result = [string](Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'chocolatey\choco.exe')) }`,
      testScript: ps`Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'chocolatey\choco.exe')`,
      setScript: ps`
        [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
        $env:chocolateyVersion = '2.2.2'
        $script = (New-Object -TypeName System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1')
        & ([scriptblock]::Create($script)) | Out-Null
      `,
    }),
    logFolder: dsc.File({ destinationPath: "C:\\ProgramData\\Fleetform\\Logs", type: "Directory", ensure: "Present" }),
    scriptBlockLogging: dsc.Registry(
      {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\ScriptBlockLogging",
        valueName: "EnableScriptBlockLogging",
        valueData: ["1"],
        valueType: "Dword",
        ensure: "Present",
      },
      { dependsOn: ["logFolder"] },
    ),
    timeService: dsc.Service({ name: "W32Time", state: "Running", startupType: "Automatic" }),
    hostname: ComputerName({ name: ec2Tag("Name") }),
  },
});
