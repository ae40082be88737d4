import { defineModule, fn, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base settings" });

export const getServiceState = fn({
  name: "Get-ServiceState",
  params: { name: t.string({ pattern: /^[A-Za-z0-9_-]+$/ }), attempts: t.int({ min: 1, max: 5, default: 1 }), kind: t.enum(["Win32", "Driver"], { default: "Win32" }) },
  body: ({ name }) => ps`(Get-Service -Name ${name}).Status`,
});

// Literal arguments the generated parameters' validation would refuse on every run.
export const Spooler = resource({
  name: "Spooler",
  description: "The print spooler runs",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Status = [string]${getServiceState({ name })} }`,
  test: () => ps`${getServiceState({ name: "Print Spooler", attempts: 9 })} -eq 'Running'`,
  set: ({ name }) => ps`Start-Service -Name ${name}; ${getServiceState({ name, kind: "Kernel" as "Win32" })}`,
});
