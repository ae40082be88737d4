import { defineModule, ec2Tag, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Registry settings" });

// A runtime value's name is checked inside a fragment too (the same rule as in a property value).
export const Setting = resource({
  name: "Setting",
  description: "A registry value holds the desired data",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Data = ${ec2Tag("Name}{ssm:/x")}; Name = ${name} }`,
  test: () => ps`$true`,
  set: () => ps`$null`,
});
