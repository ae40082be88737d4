import { defineModule, fn, ps, t } from "fleetform";
import { getKey } from "../platform/index.js";

export const module = defineModule({ name: "App", layer: "application", version: "1.0.0", description: "App" });

// It imports the platform module, down the stack: no layer violation here, whatever module the
// other 'Platform' in layer role is.
export const getApp = fn({ name: "Get-App", params: { name: t.string() }, body: ({ name }) => ps`${getKey({ name })}` });
