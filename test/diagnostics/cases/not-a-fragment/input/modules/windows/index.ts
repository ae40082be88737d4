import { defineModule, ps, resource, t, type Fragment } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => "@{ Id = (Get-TimeZone).Id }" as unknown as Fragment,
  test: ({ id }) => ps`(Get-TimeZone).Id -eq ${id}`,
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});
