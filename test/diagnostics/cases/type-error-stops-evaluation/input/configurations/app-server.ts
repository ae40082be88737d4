import { configuration } from "fleetform";
import { ComputerNam } from "../modules/windows/index.js";

// The misspelt import is undefined when the file runs, so calling it throws: the type error says
// why, and nothing else is reported (not the throw, not checks of a configuration that never loaded).
export default configuration({
  name: "AppServer",
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "cron(0 25 ? * * *)",
  resources: {
    hostname: ComputerNam({ name: "web-01" }),
  },
});
