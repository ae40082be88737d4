import { defineModule, fn, ps } from "fleetform";

// Copied from modules/windows to try Server 2022 changes; the name was never changed.
export const module = defineModule({ name: "Windows", layer: "platform", version: "1.5.0", description: "Windows building blocks (Server 2022)" });

export const getOsBuild = fn({
  name: "Get-OsBuild",
  params: {},
  body: () => ps`[System.Environment]::OSVersion.Version.Build`,
});
