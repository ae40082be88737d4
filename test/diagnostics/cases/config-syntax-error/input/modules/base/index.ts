import { defineModule } from "fleetform";

export const module = defineModule({ name: "Base", layer: "platform", version: "1.0.0", description: "Base" });
