import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "IIS helpers" });

export const restartAppPool = fn({
  name: "Restart-AppPool",
  params: { name: t.string() },
  body: ({ name }) => ps`& "$env:windir\system32\inetsrv\appcmd.exe" recycle apppool /apppool.name:${name}`,
});
