// Top-level names that CommonJS reserves (module, exports, require) are ordinary names in a
// TypeScript module: the file evaluates, and its exports still reach the configuration.
import { defineModule, ps, resource, t } from "fleetform";

const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });
const exports = ["Europe/Berlin", "UTC"];
const require = (zone: string): string => (exports.includes(zone) ? zone : "UTC");

export const TimeZone = resource({
  name: "TimeZone",
  description: "The time zone is the desired one",
  properties: { id: t.string({ key: true }) },
  get: () => ps`@{ Id = (Get-TimeZone).Id; Default = ${require("UTC")} }`,
  test: ({ id }) => ps`(Get-TimeZone).Id -eq ${id}`,
  set: ({ id }) => ps`Set-TimeZone -Id ${id}`,
});

export { module };
