import { defineConfig } from "fleetform";

export default defineConfig({
  layers: ["base", "app"],
  install: { logDir: "D:\\Logs\\It's here", stateDir: "D:\\State", logReaders: "CONTOSO\\Log Reader's Group" },
});
