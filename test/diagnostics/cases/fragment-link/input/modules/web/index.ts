import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Web", layer: "application", version: "1.0.0", description: "The web tier" });

export const getSiteRoot = fn({
  name: "Get-SiteRoot",
  params: { site: t.string() },
  body: ({ site }) => ps`Join-Path -Path 'C:\inetpub' -ChildPath ${site}`,
});

export const SiteFiles = resource({
  name: "SiteFiles",
  description: "A site's files are deployed",
  properties: { site: t.string({ key: true }), source: t.string() },
  get: ({ site }) => ps`@{ Files = @(Get-ChildItme -Path (Get-SiteRoot -Site ${site}) -Recurse).Count }`,
  test: ({ site }) => ps`
    $root = Get-SiteRoot -Sitename ${site}
    Test-Path -LiteralPath (Join-Path -Path $root 'web.config' -AdditionalChildPath 'x')
  `,
  safe: () => ps`
    $check = 'Test-Path'
    & $check -LiteralPath 'C:\inetpub\maintenance.flag'
  `,
  set: ({ site, source }) => ps`
    Copy-Item -Path ${source} -Destination (Get-SiteRoot -Site ${site}) -Recurse -Force
    Set-Content -Path 'C:\inetpub\deployed.txt' -Value ${site} -Encoding utf8NoBOM
    Restart-AppPool -Name ${site}
    Restart-WebAppPool -Name ${site}
    choco upgrade urlrewrite -y
  `,
});

export const SiteBinding = resource({
  name: "SiteBinding",
  description: "A site answers on its port",
  properties: { port: t.int({ key: true }) },
  get: ({ port }) => ps`@{ Port = ${port} }`,
  test: ({ port }) => ps`if ($$port -eq ${port}) { $true } else { $false }`,
  set: () => ps`Write-Verbose 'nothing to do'`,
});
