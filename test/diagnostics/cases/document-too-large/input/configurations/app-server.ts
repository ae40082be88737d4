import { configuration } from "fleetform";
import { ComputerName } from "../modules/windows/index.js";

// The change log was pasted into the description; it ends up in the SSM document.
const changeLog = Array.from({ length: 1600 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, "0")}: renamed app server batch ${i}`).join("; ");

export default configuration({
  name: "AppServer",
  description: `Application servers. Changes: ${changeLog}`,
  targets: { tag: "SSM_Association", values: ["windows-prod"] },
  schedule: "rate(30 minutes)",
  resources: {
    hostname: ComputerName({ name: "app01" }),
  },
});
