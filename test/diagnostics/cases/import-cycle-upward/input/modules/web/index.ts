import { defineModule, fn, ps, t } from "fleetform";
import { getBase } from "../base/index.js";

export const module = defineModule({ name: "Web", layer: "role", version: "1.0.0", description: "Web" });

export const getSite = fn({ name: "Get-Site", params: { name: t.string() }, body: ({ name }) => ps`Get-Item -Path ${name}` });
export const getBoth = fn({ name: "Get-Both", params: { name: t.string() }, body: ({ name }) => ps`${getBase({ name })}` });
