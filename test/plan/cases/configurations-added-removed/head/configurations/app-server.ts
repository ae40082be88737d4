import { configuration, env } from "fleetform";
import { AppSetting } from "../modules/app/index.js";

export default configuration({
  name: "AppServer",
  description: "Application servers",
  version: "0.1.0",
  targets: { tag: "Role", values: ["app"] },
  schedule: "rate(1 hour)",
  resources: {
    home: AppSetting({ name: "APP_HOME", value: env("ProgramFiles") }),
  },
});
