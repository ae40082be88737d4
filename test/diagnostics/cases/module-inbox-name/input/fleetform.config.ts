import { defineConfig } from "fleetform";

export default defineConfig({ layers: ["platform"] });
