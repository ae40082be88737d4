import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Emr", layer: "application", version: "2.1.0", description: "The EMR application" });

// Options PowerShell would refuse, or that contradict each other: each built, and [ValidateRange(10, 1)]
// or an empty [ValidateSet()] made every call of the generated functions fail; a key that may be
// left out, or a list or a secret as a key, is no DSC Key.
export const AppPool = resource({
  name: "AppPool",
  description: "An IIS application pool",
  properties: {
    name: t.string({ key: true, optional: true }),
    site: t.string({ key: true, default: "Default" }),
    tags: t.array(t.string(), { key: true }),
    port: t.int({ min: 10, max: 1 }),
    weight: t.int({ default: 1.5 }),
    queue: t.int({ max: 10, default: 50 }),
    code: t.string({ minLength: 5, maxLength: 2 }),
    id: t.string({ pattern: /^\d+$/, default: "x" }),
    mode: t.enum([], { optional: true }),
    state: t.enum(["on", "off"], { default: "maybe" as "on" }),
  },
  get: ({ name }) => ps`@{ Name = ${name} }`,
  test: ({ name }) => ps`Test-Path ${name}`,
  set: ({ name }) => ps`New-Item -Path ${name}`,
});
