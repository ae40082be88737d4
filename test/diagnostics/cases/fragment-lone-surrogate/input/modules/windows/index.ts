import { defineModule, fn, ps } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

// Half of a surrogate pair pasted as raw PowerShell: no UTF-8 file can hold it.
const banner = "\uD83D";

export const writeBanner = fn({
  name: "Write-Banner",
  params: {},
  body: () => ps`
    Write-Output 'ready'
    Write-Output '${ps.raw(banner)}'
  `,
});

export const writeReady = fn({
  name: "Write-Ready",
  params: {},
  body: () => ps`Write-Output 'ready'`,
});
