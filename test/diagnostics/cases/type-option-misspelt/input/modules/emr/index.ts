import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

// A misspelt option of a t.* type beside a valid one: tsc accepts it (the options are a generic
// type parameter), so without this check the pattern, the length limit, the default were lost.
export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool",
  properties: {
    name: t.string({ key: true, patern: /^[a-z]+$/ }),
    data: t.string({ minLength: 1, maxLenght: 5 }),
    tags: t.array(t.string({ optinal: true }), { optional: true }),
    mode: t.enum(["a", "b"], { defualt: "a" }),
    port: t.int({ min: 1, mx: 65535 }),
  },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`Test-Path ${name}`,
  set: ({ name }) => ps`New-Item -Path ${name}`,
});
