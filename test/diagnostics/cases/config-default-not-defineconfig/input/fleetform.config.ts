import type { ConfigOptions } from "fleetform";

const config: ConfigOptions = { layers: ["platform", "application", "role"] };
export default config;
