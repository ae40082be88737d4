import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Banners" });

export const Banner = resource({
  name: "Banner",
  description: "The logon banner",
  properties: { text: t.string({ key: true }) },
  get: ({ text }) => ps`@{ Text = ${text} }`,
  test: () => ps`$false`,
  // PowerShell's escape written as it is: the backtick ends the template, and TypeScript's parser
  // reports a cascade of syntax errors after it (one is reported, with a note at the backtick).
  set: ({ text }) => ps`Write-Host "`e[31m$(${text})`e[0m"`,
});
