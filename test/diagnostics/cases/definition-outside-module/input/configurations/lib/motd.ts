import { ps, resource, t } from "fleetform";

export const Motd = resource({
  name: "Motd",
  description: "The logon banner text",
  properties: { text: t.string({ key: true }) },
  get: () => ps`@{ Text = (Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System').LegalNoticeText }`,
  test: ({ text }) => ps`(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System').LegalNoticeText -eq ${text}`,
  set: ({ text }) => ps`Set-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' -Name LegalNoticeText -Value ${text}`,
});
