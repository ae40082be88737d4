// Casts get values past the type check that the compiler must still reject, not crash on.
import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: 42 as never, layer: "platform", version: "1.4.0", description: "Windows building blocks" });

export const ComputerName = resource({
  name: "ComputerName",
  description: "The computer name is the desired one",
  properties: { name: t.string({ key: true, pattern: "^[A-Za-z0-9-]{1,15}$" as never }) },
  get: ({ name }) => ps`@{ Name = $env:COMPUTERNAME; Desired = ${name} }`,
  test: ({ name }) => ps`$env:COMPUTERNAME -eq ${name}`,
  set: ({ name }) => ps`Rename-Computer -NewName ${name} -Force`,
});
