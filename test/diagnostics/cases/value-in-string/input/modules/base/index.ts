import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

export const getBuild = fn({ name: "Get-Build", params: { path: t.string() }, returns: t.string(), body: ({ path }) => ps`Get-Content -LiteralPath ${path}` });

export const Flag = resource({
  name: "Flag",
  description: "A flag is set",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: () => ps`$true`,
  set: () => ps`$null = 1`,
});

export const Marker = resource({
  name: "Marker",
  description: "A marker file holds the build",
  properties: { path: t.string({ key: true }), build: t.string() },
  get: ({ path }) => ps`@{ Path = ${path}; Build = (Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue) }`,
  // In a double-quoted string a value is the string's text: fine.
  test: ({ path, build }) => ps`"$(Get-Content -LiteralPath ${path} -ErrorAction SilentlyContinue)" -eq "build ${build} (${"it's"})"`,
  set: ({ path, build }) => ps`
    # writes ${build} to the marker
    Write-Verbose 'writing ${build}'
    Write-Verbose "read back: ${getBuild({ path })}"
    Set-Content -LiteralPath ${path} -Value ${build}
    # (an instance is no value: "an instance", once)
    Write-Verbose ${Flag({ name: "x" }) as never}
  `,
});
