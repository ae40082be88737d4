import { defineModule, ps, resource, t } from "fleetform";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });

function parsePorts(list: string): number[] {
  const ports: number[] = [];
  for (const p of list.split(",")) {
    const port = Number(p);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a TCP port: '${p}'`);
    ports.push(port);
  }
  return ports;
}

const webPorts = parsePorts("80,443,8443x");

export const FirewallRule = resource({
  name: "FirewallRule",
  description: "Inbound web ports are open",
  properties: { name: t.string({ key: true }) },
  get: ({ name }) => ps`@{ Name = ${name}; Enabled = [bool](Get-NetFirewallRule -Name ${name} -ErrorAction SilentlyContinue) }`,
  test: ({ name }) => ps`[bool](Get-NetFirewallRule -Name ${name} -ErrorAction SilentlyContinue)`,
  set: ({ name }) => ps`New-NetFirewallRule -Name ${name} -DisplayName ${name} -Direction Inbound -Protocol TCP -LocalPort ${webPorts} -Action Allow | Out-Null`,
});
