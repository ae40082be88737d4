import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id }`,
  test: () => {
    throw new Error("TODO: compare with (Get-TimeZone).Id");
  },
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});
