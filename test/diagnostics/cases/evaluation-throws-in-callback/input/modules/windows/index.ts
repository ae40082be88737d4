import { defineModule } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

// The frame that throws is an anonymous arrow function.
export const ports = "443,8443x".split(",").map((p) => {
  if (!/^\d+$/.test(p)) throw new Error(`not a TCP port: '${p}'`);
  return Number(p);
});
