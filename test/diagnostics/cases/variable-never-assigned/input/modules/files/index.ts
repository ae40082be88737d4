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

// $Pth again, with the property not written in the text (FF3071, did you mean $Path?); ${a c}
// beside ${a b} (FF3071, written with its braces); $parms splatted beside $params (FF3071).
export const FileExists = resource({
  name: "FileExists",
  description: "A file exists",
  properties: { path: t.string({ key: true }) },
  get: () => ps`@{ Exists = Test-Path -LiteralPath $Pth }`,
  test: () => ps`
    \${a b} = 1; \${a c}
    $params = @{ LiteralPath = 'C:\Fleet' }; Test-Path @parms
  `,
  set: () => ps`Write-Verbose 'nothing to do'`,
});

// A text that dot-sources a file may be given any variable by it: nothing is reported there.
export const dotSourced = fn({
  name: "Get-Settings",
  params: {},
  body: () => ps`
    $setting = 1
    . 'C:\Fleet\settings.ps1'
    $settings
  `,
});

// None of these is reported: parameters ($Items beside $item), foreach and for variables,
// -OutVariable and -ErrorVariable, Set-Variable, [type]$x = and $a, $b =, automatic variables,
// a script block's param(), $script: and $env: variables, names of two letters, a data section,
// $global:/$script: assignments, -outv (a prefix of -OutVariable), Import-LocalizedData's variable.
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
    $Matches; $PSItem; $ErrorActionPreference; $PSScriptRoot; $edition = 1; $PSEdition; $edition
    & { param($value) $value } 1
    $script:items; $env:items
    $ab; $ac
    data messages { ConvertFrom-StringData 'a=b' }; $message = 1; $messages.a; $message
    $global:settings = 1; $script:setting = 2; $settings; $setting
    Get-Item -LiteralPath 'C:\Fleet' -outv itemy | Out-Null; $itemy; $item
    Import-LocalizedData strings -FileName 'x.psd1'; $string = 1; $strings; $string
  `,
});
