import { defineConfig } from "fleetform";

export const config = defineConfig({ layers: ["platform", "application", "role"] });
