import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const removeTempFiles = fn({
  name: "Delete-TempFiles",
  params: { olderThanDays: t.int({ min: 1 }) },
  body: ({ olderThanDays }) => ps`
    Get-ChildItem -LiteralPath $env:TEMP -File -Recurse |
        Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-${olderThanDays}) } |
        Remove-Item -Force
  `,
});

export const getTempSize = fn({
  name: "Calculate-TempSize",
  params: {},
  returns: t.int(),
  body: () => ps`[int]((Get-ChildItem -LiteralPath $env:TEMP -File -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB)`,
});

// Not exported: still a function of the module, so still checked.
const purgeTemp = fn({
  name: "Purge-Temp",
  params: {},
  body: () => ps`Remove-Item -Path (Join-Path -Path $env:TEMP -ChildPath '*') -Recurse -Force`,
});

export const clearTemp = fn({
  name: "Clear-Temp",
  params: {},
  body: () => ps`${purgeTemp({})}`,
});
