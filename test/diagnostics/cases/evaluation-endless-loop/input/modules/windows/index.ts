import { defineModule } from "fleetform";
import { retries } from "./retries.js";

export const module = defineModule({ name: "Windows", layer: "platform", version: "1.4.0", description: "Windows building blocks" });
export const attempts = retries;
