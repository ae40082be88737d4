import { defineConfig } from "fleetform";

// A colon for a comma: the config does not parse, and nothing else is read (FF1040, not "threw").
export default defineConfig({ layers: ["platform": "application"] });
