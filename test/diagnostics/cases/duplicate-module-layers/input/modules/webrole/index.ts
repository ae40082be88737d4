import { defineModule } from "fleetform";

// Renamed by mistake to a name another module has: one error, FF2003.
export const module = defineModule({ name: "Platform", layer: "role", version: "1.0.0", description: "Web role" });
