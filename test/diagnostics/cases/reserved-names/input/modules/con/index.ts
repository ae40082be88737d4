import { defineModule, ps, resource, t } from "fleetform";

// Windows opens the device, not a file, for CON, NUL, COM1 ... with any extension.
export const module = defineModule({ name: "CON.Tools", layer: "platform", version: "1.0.0", description: "Device names" });

export const Com1 = resource({
  name: "Com1",
  description: "A resource type named like a serial port",
  properties: { name: t.string({ key: true }) },
  get: () => ps`@{}`,
  test: () => ps`$true`,
  set: () => ps`$null`,
});
