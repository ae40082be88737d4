import { configuration, dsc, ec2Tag, env, ps, ssmParameter } from "fleetform";
import { Setting } from "../modules/base/index.js";

// Delivered as a MOF: AWS-ApplyDSCMofs would resolve token syntax in a literal (a secret would land
// in a plain property), and a runtime value's name could close its own token and open another.
export default configuration({
  name: "Motd",
  targets: { tag: "Role", values: ["web"] },
  schedule: "rate(1 day)",
  delivery: { runCommand: false, dsc: { rebootBehavior: "Never" } },
  resources: {
    welcome: Setting({ name: "Welcome", data: "Welcome {ssm:/prod/db-password}" }),
    owner: Setting({ name: "Owner", data: "{ tagssm :Owner}" }),
    spaced: Setting({ name: "Spaced", data: ec2Tag("Name}{ssm:/x") }),
    param: Setting({ name: "Param", data: ssmParameter("/app/motd}") }),
    home: Setting({ name: "Home", data: env("HOME\n") }),
    fine: Setting({ name: "Fine", data: ec2Tag("aws:cloudformation:stack-name") }),
    // A NUL has no MOF escape every reader takes alike (\x: 1 to 4 hex digits, or 1 to 6); TAB and line breaks are fine.
    nul: Setting({ name: "Nul", data: "a\u0000b" }),
    tab: Setting({ name: "Tab", data: "a\tb\r\nc" }),
    script: dsc.Script({
      getScript: ps`@{ Result = \${env:TEMP} }`,
      testScript: ps`$true`,
      setScript: ps`Write-Verbose ${"{tag:Name}"}`,
    }),
  },
});
