import { defineModule, ps, resource, t } from "fleetform";
import { Marker } from "./marker.js";

export { Marker };

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

// A second module in the same entry: not a module of the build.
export const tools = defineModule({ name: "BaseTools", layer: "platform", version: "1.0.0", description: "Tools" });

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id }`,
  test: ({ id }) => ps`(Get-TimeZone).Id -eq ${id}`,
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});
