import { defineModule, fn, ps, t } from "fleetform";
// Up the layer stack (FF2002), and so closing a cycle with Web's import of this module: one error,
// the upward import's, as the cycle goes with it.
import { getSite } from "../web/index.js";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base" });

export const getBase = fn({ name: "Get-Base", params: { name: t.string() }, body: ({ name }) => ps`${getSite({ name })}` });
