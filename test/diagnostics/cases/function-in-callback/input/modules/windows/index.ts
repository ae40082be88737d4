import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id }`,
  test: ({ id }) => {
    // Made each time the fragment is built: no module ever defines Get-CurrentTimeZoneId.
    const getCurrent = fn({ name: "Get-CurrentTimeZoneId", params: {}, returns: t.string(), body: () => ps`(Get-TimeZone).Id` });
    return ps`${getCurrent({})} -eq ${id}`;
  },
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});
