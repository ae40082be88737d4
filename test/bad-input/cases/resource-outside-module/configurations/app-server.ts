import { configuration, ps, resource, t } from "fleetform";

// A resource type defined in a configuration file: it belongs to no PowerShell module.
const Motd = resource({
  name: "Motd",
  description: "The logon message",
  properties: { text: t.string({ key: true }) },
  get: ({ text }) => ps`@{ Text = ${text} }`,
  test: ({ text }) => ps`(Get-ItemPropertyValue -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -Name legalnoticetext) -eq ${text}`,
  set: ({ text }) => ps`Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -Name legalnoticetext -Value ${text}`,
});

export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    banner: Motd({ text: "Authorised use only" }),
  },
});
