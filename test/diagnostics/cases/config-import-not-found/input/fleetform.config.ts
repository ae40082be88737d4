import { defineConfig } from "fleetform";
import { layers } from "./layers.js";

export default defineConfig({ layers });
