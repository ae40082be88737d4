import { defineModule, fn, ps, t } from "fleetform";

export const module = defineModule({ name: "Platform", layer: "platform", version: "1.0.0", description: "Platform" });

export const getKey = fn({ name: "Get-Key", params: { name: t.string() }, body: ({ name }) => ps`Get-Item -Path ${name}` });
