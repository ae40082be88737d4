import { defineConfig, patchBaselineScan, softwareInventory } from "fleetform";

const everyServer = { tag: "Role", values: ["web", "files"] };

export default defineConfig({
  layers: ["platform", "role"],
  stack: {
    associations: [patchBaselineScan({ targets: everyServer }), softwareInventory({ targets: everyServer })],
  },
});
