import { defineModule, fn, ps, t } from "fleetform";
import type { EmrChannel } from "../emr/index.js";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

const channel: EmrChannel = "stable";

export const getUpdateChannel = fn({
  name: "Get-UpdateChannel",
  params: {},
  returns: t.string(),
  body: () => ps`if ($env:FLEET_CHANNEL) { $env:FLEET_CHANNEL } else { ${channel} }`,
});
