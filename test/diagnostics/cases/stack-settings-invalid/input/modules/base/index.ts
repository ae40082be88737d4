import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id }`,
  test: ({ id }) => ps`(Get-TimeZone).Id -eq ${id}`,
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});
