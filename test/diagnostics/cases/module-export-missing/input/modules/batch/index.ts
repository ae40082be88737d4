// The module is declared, but not exported: FF1004 at its name, saying so.
import { defineModule } from "fleetform";

const module = defineModule({ name: "Batch", layer: "platform", version: "1.0.0", description: "Batch servers" });

export const description = module.description;
