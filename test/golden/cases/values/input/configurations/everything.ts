import { configuration, dsc, ec2Tag, env, ps, secret, ssmParameter } from "fleetform";
import { ServiceAccount, Setting } from "../modules/base/index.js";
import { Motd } from "../modules/app/index.js";

export default configuration({
  name: "Everything",
  description: "Every kind of value, with \"quotes\" and 'apostrophes'",
  version: "2.0.1",
  targets: { tag: "Role", values: ["web", "Web"] },
  schedule: "cron(0 2 ? * SUN *)",
  timeoutSeconds: 600,
  // Delivered by DSC too, so that every kind of value is also written to a DSC document.
  delivery: { runCommand: true, dsc: true },
  resources: {
    banner: Setting({
      path: "HKLM:\\SOFTWARE\\Contoso",
      name: "Banner",
      data: "line one\nline two with ’curly’ quote and $(Remove-Item C:\\)",
      tags: ["a", "b'c"],
      extra: { one: 1, "two words": 2 },
    }),
    owner: Setting({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Owner", data: ec2Tag("Owner"), kind: "String" }, { dependsOn: ["banner"] }),
    secret: Setting({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Endpoint", data: ssmParameter("/contoso/endpoint") }, { dependsOn: ["banner"] }),
    home: Setting({ path: "HKLM:\\SOFTWARE\\Contoso", name: "Home", data: env("USERPROFILE") }),
    svc: ServiceAccount({
      service: "ContosoAgent",
      credential: secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:contoso/agent-AbCdEf"),
      apiToken: ssmParameter("/contoso/agent/token", { secure: true }),
    }),
    motd: Motd({ who: "Zoë" }, { dependsOn: ["owner", "secret"] }),
    // A disruptive SetScript (plain text) guarded by a safe script (a fragment).
    spooler: dsc.Script(
      {
        getScript: "@{ Result = [string](Get-Service -Name 'Spooler').Status }",
        testScript: "(Get-Service -Name 'Spooler').Status -eq 'Stopped'",
        setScript: "Stop-Service -Name 'Spooler' -Force",
      },
      { safe: ps`@(Get-Printer -ErrorAction SilentlyContinue | Where-Object { $_.JobCount -gt 0 }).Count -eq 0` },
    ),
  },
});
