import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Files", layer: "platform", version: "1.0.0", description: "Files" });

export const FileContent = resource({
  name: "FileContent",
  description: "A file holds its text",
  properties: { path: t.string({ key: true }), text: t.string(), items: t.array(t.string()) },
  get: ({ path }) => ps`@{ Path = ${path} }`,
  // $reslt: a misspelt local (FF3071, did you mean $result?).
  test: ({ path, text }) => ps`
    $result = Get-Content -LiteralPath ${path} -Raw -ErrorAction SilentlyContinue
    $reslt -ceq ${text}
  `,
  // $Pth: a parameter written by hand, misspelt (FF3071, did you mean $Path?).
  set: ({ path, text }) => ps`
    Set-Content -LiteralPath $Pth -Value ${text}
    Write-Verbose ('wrote ' + ${path})
  `,
});

// None of these is reported: parameters ($Items beside $item), foreach and for variables,
// -OutVariable and -ErrorVariable, Set-Variable, [type]$x = and $a, $b =, automatic variables,
// a script block's param(), $script: and $env: variables, names of two letters.
export const listItems = fn({
  name: "Get-ItemList",
  params: { items: t.array(t.string()) },
  body: ({ items }) => ps`
    foreach ($item in ${items}) { Write-Output $item }
    for ($index = 0; $index -lt $Items.Count; $index++) { $Items[$index] }
    Get-ChildItem -Path 'C:\Fleet' -OutVariable listed -ErrorVariable +listErrors | Out-Null
    $listed.Count; $listErrors.Count
    Set-Variable -Name counted -Value 1; $counted
    [int]$total = 0; $total
    $first, $second = 1, 2; $first + $second
    $Matches; $PSItem; $ErrorActionPreference; $PSScriptRoot
    & { param($value) $value } 1
    $script:items; $env:items
    $ab; $ac
  `,
});
